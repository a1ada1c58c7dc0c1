"""Shared test helpers: stub servers, settings and fixtures for the web tests."""
