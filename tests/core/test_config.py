"""Settings come from the environment with the contract's names and defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.core.config import Settings


def test_defaults_follow_the_contract(monkeypatch):
    for name in ("DATABASE_URL", "JWT_ISSUER", "JWT_AUDIENCE", "JWT_ALGORITHMS", "JWT_JWKS_URL", "AREAS", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite:///var/contact-service.db"
    assert settings.jwt_issuer == ["contact-service"]
    assert settings.jwt_audience == "contact-service-api"
    assert settings.accepted_algorithms == ["HS256"]
    assert settings.areas == ["north", "central", "south"]
    assert settings.timezone == "Europe/London"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_comma_lists_and_jwks_defaults_from_the_environment(monkeypatch):
    monkeypatch.setenv("JWT_ISSUER", "https://login.example/v2.0, https://sts.example/")
    monkeypatch.setenv("JWT_JWKS_URL", "https://login.example/keys")
    monkeypatch.setenv("AREAS", "east,west")
    settings = Settings()
    assert settings.jwt_issuer == ["https://login.example/v2.0", "https://sts.example/"]
    assert settings.accepted_algorithms == ["RS256", "ES256"]
    assert settings.areas == ["east", "west"]


def test_r71_algorithm_none_cannot_be_configured(monkeypatch):
    monkeypatch.setenv("JWT_ALGORITHMS", "HS256,none")
    with pytest.raises(ValidationError):
        Settings()


def test_r85_the_worker_runs_in_process_unless_worker_is_off(monkeypatch):
    monkeypatch.delenv("WORKER", raising=False)
    assert Settings().worker is True
    for value, expected in (("off", False), ("OFF", False), ("on", True), ("false", False), ("1", True)):
        monkeypatch.setenv("WORKER", value)
        assert Settings().worker is expected, value
    monkeypatch.setenv("WORKER", "sometimes")
    with pytest.raises(ValidationError):
        Settings()


def test_r84_the_retry_schedule_defaults_to_the_spec_and_reads_units(monkeypatch):
    monkeypatch.delenv("WEBHOOK_RETRY_SCHEDULE", raising=False)
    assert Settings().webhook_retry_schedule == [0, 5, 300, 1800, 7200, 18000, 36000, 36000]
    monkeypatch.setenv("WEBHOOK_RETRY_SCHEDULE", "0, 5s, 5m, 2h, 90")
    assert Settings().webhook_retry_schedule == [0, 5, 300, 7200, 90]
    for bad in ("", "5 minutes", "-5", "1d"):
        monkeypatch.setenv("WEBHOOK_RETRY_SCHEDULE", bad)
        with pytest.raises(ValidationError):
            Settings()


def test_r84_webhook_hosts_and_report_time_are_checked(monkeypatch):
    monkeypatch.setenv("WEBHOOKS_ALLOWED_HOSTS", "Hooks.Example.org., other.example.org")
    assert Settings().webhooks_allowed_hosts == ["hooks.example.org", "other.example.org"]
    monkeypatch.setenv("NOT_HELD_REPORT_TIME", "9am")
    with pytest.raises(ValidationError):
        Settings()


def test_r42_place_names_file_is_unset_by_default_and_must_exist(monkeypatch, tmp_path):
    monkeypatch.delenv("PLACE_NAMES_FILE", raising=False)
    assert Settings().place_names_file is None
    monkeypatch.setenv("PLACE_NAMES_FILE", "")
    assert Settings().place_names_file is None
    names = tmp_path / "places.txt"
    names.write_text("Bulwell\n", encoding="utf-8")
    monkeypatch.setenv("PLACE_NAMES_FILE", str(names))
    assert Settings().place_names_file == names
    monkeypatch.setenv("PLACE_NAMES_FILE", str(tmp_path / "missing.txt"))
    with pytest.raises(ValidationError):
        Settings()
