"""A local imitation of the parts of LINE's Messaging API the gateway uses."""

from gateway.dev.fake_line.app import create_fake_line_app

__all__ = ["create_fake_line_app"]
