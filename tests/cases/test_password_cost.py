"""Console passwords cost RFC 9106's low-memory argon2 in production; the tests' cheap profile
is a setting, and a hash made under either is verified under the other (argon2 reads the
parameters from the hash)."""

from __future__ import annotations

from cases.accounts import _password_hasher, hash_password, verify_password
from settings import PrivacySettings, get_settings


def test_the_default_profile_is_rfc_9106_low_memory(monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_PROFILE", raising=False)
    assert PrivacySettings(_env_file=None).password_hash_profile  # type: ignore[call-arg] == "rfc9106_low_memory"
    hasher = _password_hasher("rfc9106_low_memory")
    assert (hasher.memory_cost, hasher.time_cost) == (65536, 3)


def test_the_tests_run_with_the_cheapest_profile():
    assert get_settings().privacy.password_hash_profile == "test_only_cheapest"
    assert "m=8," in hash_password("correct horse battery")


def test_hashes_verify_across_profiles(monkeypatch):
    cheap = hash_password("correct horse battery")
    monkeypatch.setenv("PASSWORD_HASH_PROFILE", "rfc9106_low_memory")
    get_settings.cache_clear()  # read once per process: read again after the change
    strong = hash_password("correct horse battery")
    assert "m=65536," in strong
    assert verify_password(cheap, "correct horse battery") and verify_password(strong, "correct horse battery")
    assert not verify_password(strong, "wrong horse battery")
