"""The gateway's settings live in gateway/settings.py (the worker needs them without the web
app); this name stays for the modules that still import it from here."""

from gateway.settings import GatewaySettings

__all__ = ["GatewaySettings"]
