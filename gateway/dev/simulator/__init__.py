"""Browser chat page that drives the real webhook path against the fake LINE."""

from gateway.dev.simulator.router import SimulatorContext, router

__all__ = ["SimulatorContext", "router"]
