"""Settings from the environment (pydantic-settings); the names are part of the contract."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Annotated

from fastapi import Request
from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.core.concurrency import Depends


API_PREFIX = "/api/v1"  # every path of the API but health sits under it
VAR_DIR = Path("var")
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'contact-service.db'}"

CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = DEFAULT_SQLITE_URL
    db_pool_size: int = 20
    db_max_overflow: int = 20
    sqlite_busy_timeout_ms: int = 15_000

    host: str = "127.0.0.1"
    port: int = 8000

    # Tokens. With neither a secret nor a JWKS URL, a random local secret is kept
    # in var/jwt-secret so `make run` and `contact-service token` agree without a default
    # secret that could ever be deployed by accident.
    jwt_secret: str | None = None
    jwt_jwks_url: str | None = None
    jwt_issuer: CommaList = ["contact-service"]
    jwt_audience: str = "contact-service-api"
    jwt_algorithms: CommaList = []
    # Clock skew allowed on exp, nbf and iat, 0 to 60 seconds: RFC 8725 wants it small, and
    # a larger value silently stretches every token's life.
    jwt_leeway_seconds: int = 30
    # The longest a token may live (exp - iat, or exp - now without iat); a longer one is
    # refused even if correctly signed. JWT_MAX_LIFETIME is whole seconds ("43200") or a
    # whole number with a unit s, m or h ("90m", "12h"); default 12 hours. The second alias
    # keeps `Settings(jwt_max_lifetime_seconds=...)` from being silently ignored.
    jwt_max_lifetime_seconds: int = Field(
        12 * 3600, validation_alias=AliasChoices("jwt_max_lifetime", "jwt_max_lifetime_seconds")
    )
    jwks_cache_seconds: int = 3600
    jwks_min_refetch_seconds: int = 60

    # Domain defaults (SPEC: every number is a default a deployment can configure).
    timezone: str = "Europe/London"
    holiday_subdivision: str = "ENG"
    areas: CommaList = ["north", "central", "south"]
    child_sources: CommaList = ["framework", "mosaic", "manual"]
    # integration client `sub` -> the child source it owns, e.g.
    # "framework-i=framework,mosaic-prod=mosaic". An integration not listed can do nothing.
    integration_sources: Annotated[dict[str, str], NoDecode] = {}
    referral_decision_working_days: int = 5  # R-13 (004 s8)
    urgent_triage_hours: int = 24  # R-14 (004 s8)
    csw_daily_cap: int = 3  # R-23 (004 s10: 2.5 to 3 sessions a day)
    session_max_minutes: int = 480
    series_max_sessions: int = 52
    stagger_minutes: int = 15
    school_day: str = "08:45-15:15"
    school_age_from: int = 5
    school_age_to: int = 16
    late_cancellation_hours: int = 24
    journey_minutes: int = 60  # a driver's leg to or from the venue, for double-booking
    contact_service_review_months: int = Field(default=3, ge=1, le=12)  # R-55 (004 s9)
    supervised_review_weeks: int = Field(default=6, ge=4, le=6)  # every 4 to 6 weeks (003 s8)

    # the audit chain's head is checkpointed, signed with AUDIT_KEY (kept under var/ when
    # unset), at least this often, so a truncated or rewritten tail is found.
    audit_key: str | None = None
    # the HMAC-SHA256 key behind the data analyst's pseudonyms; keep it stable, or
    # every pseudonym changes and analysts can no longer join old exports to new ones.
    pseudonym_key: str | None = None
    audit_checkpoint_seconds: int = 60
    audit_checkpoint_entries: int = 1000

    # the worker (deliveries and scheduled jobs). `serve` runs it in-process unless
    # WORKER=off; `contact-service worker` runs it alone, as many replicas as wanted.
    worker: bool = True
    worker_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    worker_threads: int = Field(default=4, ge=1, le=32)  # each delivers for one subscription at a time
    # webhooks. Targets are https, or loopback http when WEBHOOKS_ALLOW_HTTP is set;
    # WEBHOOKS_ALLOWED_HOSTS, when set, lists the only hosts a subscription may name.
    webhooks_allow_http: bool = False
    webhooks_allowed_hosts: CommaList = []
    # Seconds before each attempt: "0,5s,5m,30m,2h,5h,10h,10h" (whole seconds or s/m/h).
    webhook_retry_schedule: Annotated[list[int], NoDecode] = [0, 5, 300, 1800, 7200, 18000, 36000, 36000]
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=30)  # connect and read, each
    # How long a worker may hold a subscription it is delivering for before another takes
    # over (a worker killed mid-batch loses its claim after this long).
    webhook_lease_seconds: float = Field(default=60.0, ge=1, le=3600)
    webhook_disable_after_days: int = Field(default=5, ge=1, le=30)
    webhook_log_days: int = Field(default=30, ge=7, le=3650)  # succeeded deliveries are kept this long
    # Webhook secrets are stored encrypted under this key (Fernet); kept under var/ when unset.
    webhook_secrets_key: str | None = None
    # sessions that did not go ahead are reported by 10:00 on the next working day.
    not_held_report_time: str = "09:00"

    # The service's address as callers reach it (e.g. https://contact.example.gov.uk), for the
    # absolute links it hands out (a timetable's feed URL). Unset: the base URL each request
    # came to, which behind a proxy may not be the public one.
    public_base_url: str | None = None

    max_body_bytes: int = 1024 * 1024
    # the issuing authority printed on every court document.
    organisation_name: str = Field(default="Supervised Contact Service", min_length=1, max_length=200)
    # a PDF sent to `POST /documents/verify` (a year's court bundle runs to a few MB).
    max_document_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    log_level: str = "INFO"
    # the deployment's own place names (towns, estates, districts, local landmarks), one
    # per line, found in notes on top of the GB gazetteer (app/freetext/gazetteer.py).
    place_names_file: Path | None = None

    @field_validator("jwt_issuer", "jwt_algorithms", "areas", "child_sources", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("worker", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("on", "off"):
            return value.strip().lower() == "on"
        return value

    @field_validator("webhooks_allowed_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().lower().rstrip(".") for part in value.split(",") if part.strip()]
        return value

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _schedule(cls, value: object) -> object:
        if isinstance(value, str):
            return [_seconds(step, "each step") for step in (part.strip() for part in value.split(",")) if step]
        return value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _some_attempts(cls, value: list[int]) -> list[int]:
        if not value or any(step < 0 for step in value):
            raise ValueError("needs at least one step, none negative")
        return value

    @field_validator("public_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/")
            if not value:
                return None  # PUBLIC_BASE_URL= (empty, as Compose passes an unset one) means unset
            if re.fullmatch(r"https?://[^/?#\s]+(/[^?#\s]*)?", value, flags=re.IGNORECASE) is None:
                raise ValueError("must be an absolute http(s) URL without query or fragment, e.g. https://contact.example.gov.uk")
        return value

    @field_validator("place_names_file", mode="before")
    @classmethod
    def _place_names(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None  # PLACE_NAMES_FILE= (empty, as Compose passes an unset one) means unset
        if value is not None and not Path(str(value)).is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("not_held_report_time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) is None:
            raise ValueError("must be HH:MM")
        return value

    @field_validator("integration_sources", mode="before")
    @classmethod
    def _pairs(cls, value: object) -> object:
        if isinstance(value, str):
            pairs = [part.strip() for part in value.split(",") if part.strip()]
            bad = [pair for pair in pairs if pair.count("=") != 1 or not all(x.strip() for x in pair.split("="))]
            if bad:
                raise ValueError(f"expected sub=source pairs separated by commas, got: {bad}")
            return {sub.strip(): source.strip() for sub, source in (pair.split("=") for pair in pairs)}
        return value

    @field_validator("jwt_algorithms")
    @classmethod
    def _known_algorithms(cls, value: list[str]) -> list[str]:
        allowed = {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "PS256"}
        unknown = [alg for alg in value if alg not in allowed]
        if unknown:
            raise ValueError(f"unsupported JWT algorithms: {unknown}")
        return value

    @field_validator("jwt_leeway_seconds")
    @classmethod
    def _small_leeway(cls, value: int) -> int:
        if not 0 <= value <= 60:
            raise ValueError("must be between 0 and 60 seconds")
        return value

    @field_validator("jwt_max_lifetime_seconds", mode="before")
    @classmethod
    def _lifetime_in_seconds(cls, value: object) -> object:
        if isinstance(value, str):
            return _seconds(value, "must be")
        return value

    @field_validator("jwt_max_lifetime_seconds")
    @classmethod
    def _positive_lifetime(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be more than 0 seconds")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(value)  # raises for an unknown zone
        return value

    @field_validator("holiday_subdivision")
    @classmethod
    def _uk_nation(cls, value: str) -> str:
        if value not in ("ENG", "WLS", "SCT", "NIR"):
            raise ValueError("must be one of ENG, WLS, SCT, NIR")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def uses_jwks(self) -> bool:
        return bool(self.jwt_jwks_url)

    @cached_property
    def accepted_algorithms(self) -> list[str]:
        if self.jwt_algorithms:
            return self.jwt_algorithms
        return ["RS256", "ES256"] if self.uses_jwks else ["HS256"]

    @cached_property
    def audit_signing_key(self) -> str:
        """AUDIT_KEY, or one kept under var/: signs the audit chain's checkpoints (R-61)."""
        return self.audit_key or local_secret("audit-key")

    @cached_property
    def pseudonym_secret(self) -> str:
        """PSEUDONYM_KEY, or one kept under var/: keys the exports' pseudonyms (R-86)."""
        return self.pseudonym_key or local_secret("pseudonym-key")

    @cached_property
    def webhook_secrets_cipher_key(self) -> str:
        """WEBHOOK_SECRETS_KEY, or one kept under var/: encrypts webhook secrets at rest (R-84)."""
        return self.webhook_secrets_key or local_secret("webhook-secrets-key")

    @cached_property
    def signing_secret(self) -> str:
        """The HS256 secret: JWT_SECRET, or the local one kept under var/."""
        if self.jwt_secret:
            return self.jwt_secret
        return local_secret()


def _seconds(text: str, what: str) -> int:
    """Whole seconds, or a whole number with a unit s, m or h ("90m", "12h")."""
    match = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", text, flags=re.IGNORECASE | re.ASCII)
    if match is None:
        raise ValueError(f'{what} whole seconds or a number with a unit s, m or h, e.g. "12h"; got {text!r}')
    return int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[match[2].lower()]


def local_secret(name: str = "jwt-secret") -> str:
    """A random secret kept under var/ (mode 0600), made on first use."""
    import secrets

    path = VAR_DIR / name
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(value)
    return value


def get_settings() -> Settings:
    return Settings()


async def app_settings(request: Request) -> Settings:
    """The settings the app was created with (tests create apps with their own)."""
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(app_settings)]
