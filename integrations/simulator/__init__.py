"""Browser chat page that drives the real webhook path against the fake LINE."""

from integrations.simulator.router import SimulatorContext, router

__all__ = ["SimulatorContext", "router"]
