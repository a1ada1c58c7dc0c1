"""Fixtures of the gateway tests: the shared stub Rasa, fake LINE and gateway."""

from tests.support.fixtures import case_database, domain_file, fake_line_url, gateway, stub_rasa  # noqa: F401 (shared fixtures)
