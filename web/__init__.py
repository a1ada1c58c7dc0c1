"""The web app: the one composition root (settings, security, the FastAPI app factory)."""
