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
