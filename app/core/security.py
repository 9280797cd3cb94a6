"""Bearer JWT -> Principal (R-05, R-71). The only module that imports python-jose.

HS256 with a shared secret for local use; RS256/ES256 from a JWKS URL in production,
the key picked by the token's `kid` from a cached key set that is refetched (at most once
a minute) when an unknown `kid` arrives. Only the configured algorithms are accepted, so
`alg: none` and an HS256 token signed with a public key are refused. `exp` is required;
`iss`, `aud` and `nbf` are checked. Every failure, a malformed claim or an unreachable or
malformed key set included, is a 401 problem with a `WWW-Authenticate: Bearer` header.

The time claims are checked here rather than by python-jose (RFC 8725): jose runs int() on
them, so a string `exp` such as "9999999999" would pass. `exp`, `nbf` and `iat` must be JSON
numbers; an `iat` in the future (beyond the leeway) is refused, and so is a token that lives
longer than JWT_MAX_LIFETIME (`exp - iat`, or `exp - now` when the token has no `iat`).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any

import httpx
from fastapi import Request
from starlette.concurrency import run_in_threadpool
from jose import jwt
from jose.exceptions import JOSEError

from app.core.concurrency import Depends
from app.core import clock
from app.core.config import Settings
from app.core.errors import AppError


class Role(StrEnum):
    social_worker = "social_worker"
    team_manager = "team_manager"
    team_leader = "team_leader"
    contact_support_worker = "contact_support_worker"
    service_manager = "service_manager"
    iro = "iro"
    data_analyst = "data_analyst"
    integration = "integration"
    admin = "admin"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's subject and roles, and whom an integration acts for."""

    sub: str
    roles: frozenset[Role]
    name: str | None = None
    team: str | None = None
    area: str | None = None
    act_for: str | None = None
    source: str | None = None  # an integration's child source, from INTEGRATION_SOURCES
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def has(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def acting_social_worker(self) -> str | None:
        """The social worker this caller speaks for: themselves, or an integration's `act_for`."""
        if Role.integration in self.roles:
            return self.act_for
        if Role.social_worker in self.roles:
            return self.sub
        return None

    @property
    def role_label(self) -> str:
        return ",".join(sorted(self.roles))


def unauthenticated(detail: str) -> AppError:
    return AppError(
        401,
        "unauthenticated",
        "Authentication required",
        detail,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class JwksCache:
    """Keys from a JWKS URL by `kid`, cached, refetched on an unknown `kid` at a bounded rate."""

    def __init__(self, url: str, ttl_seconds: int, min_refetch_seconds: int, client: httpx.Client | None = None):
        self.url = url
        self.ttl = ttl_seconds
        self.min_refetch = min_refetch_seconds
        self._client = client or httpx.Client(timeout=5.0)
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def _fetch(self) -> None:
        response = self._client.get(self.url)
        response.raise_for_status()
        document = response.json()
        keys = document.get("keys") if isinstance(document, dict) else None
        if not isinstance(keys, list):
            raise ValueError("The JWKS document is not an object with a list of keys.")
        self._keys = {key["kid"]: key for key in keys if isinstance(key, dict) and "kid" in key}
        self._fetched_at = time.monotonic()

    def needs_fetch(self, kid: object) -> bool:
        """Whether `key_for(kid)` would go to the network (then it is called off the loop)."""
        age = time.monotonic() - self._fetched_at
        return age > self.ttl or (kid not in self._keys and age > self.min_refetch)

    def key_for(self, kid: str) -> dict[str, Any] | None:
        with self._lock:
            age = time.monotonic() - self._fetched_at
            if age > self.ttl or (kid not in self._keys and age > self.min_refetch):
                try:
                    self._fetch()
                except (httpx.HTTPError, ValueError):
                    # Keep serving the keys we have; an unknown kid is refused below.
                    self._fetched_at = time.monotonic() - self.ttl + self.min_refetch
            return self._keys.get(kid)


class TokenVerifier:
    def __init__(self, settings: Settings, jwks_client: httpx.Client | None = None):
        self.settings = settings
        self.algorithms = list(settings.accepted_algorithms)
        self.jwks = (
            JwksCache(settings.jwt_jwks_url, settings.jwks_cache_seconds, settings.jwks_min_refetch_seconds, jwks_client)
            if settings.jwt_jwks_url
            else None
        )

    def _key(self, header: dict[str, Any]) -> Any:
        if self.jwks is None:
            return self.settings.signing_secret
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise unauthenticated("The token has no key id (kid).")
        key = self.jwks.key_for(kid)
        if key is None:
            raise unauthenticated("The token was signed by an unknown key.")
        return key

    def may_block(self, token: str) -> bool:
        """Whether verifying `token` may fetch the key set over the network."""
        if self.jwks is None:
            return False
        try:
            return self.jwks.needs_fetch(jwt.get_unverified_header(token).get("kid"))
        except JOSEError:
            return False

    def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError:
            raise unauthenticated("The token is not a JWT.") from None
        if header.get("alg") not in self.algorithms:
            raise unauthenticated("The token's algorithm is not accepted.")
        key = self._key(header)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=self.algorithms,
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                # The time claims are left to `check_time_claims`, after the signature:
                # jose would coerce a string with int() and accept it.
                options={
                    "require_aud": True,
                    "require_iss": True,
                    "require_sub": True,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.JWTClaimsError as exc:
            raise unauthenticated(f"The token's claims are not accepted: {exc}.") from None
        except jwt.JWTError as exc:
            # python-jose checks required claims only after the signature, and raises a plain
            # JWTError for a missing one; otherwise a JWTError wraps a failed signature (or, for
            # a correctly signed token, a payload that is not a JSON object).
            if str(exc).startswith("missing required key"):
                raise unauthenticated(f"The token's claims are not accepted: {exc}.") from None
            raise unauthenticated("The token's signature is not valid.") from None
        except JOSEError:
            raise unauthenticated("The token's signature is not valid.") from None
        check_time_claims(
            claims,
            now=clock.now().timestamp(),
            leeway=self.settings.jwt_leeway_seconds,
            max_lifetime=self.settings.jwt_max_lifetime_seconds,
        )
        return principal_from_claims(claims)


def _numeric_date(claims: dict[str, Any], name: str) -> float | None:
    """The claim as seconds since the epoch, None when absent; anything but a JSON number is refused."""
    if name not in claims:
        return None
    value = claims[name]
    # bool is an int subclass, and a string would be coerced by int(): neither is a NumericDate.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise unauthenticated(f"The token's {name} claim must be a number (NumericDate).")
    try:
        seconds = float(value)
    except OverflowError:  # an integer too large for a float
        seconds = math.inf
    if not math.isfinite(seconds):
        raise unauthenticated(f"The token's {name} claim is out of range.")
    return seconds


def check_time_claims(claims: dict[str, Any], *, now: float, leeway: int, max_lifetime: int) -> None:
    """`exp`, `nbf` and `iat` against `now` (R-71, RFC 8725): types, validity and lifetime.

    The leeway allows for clock skew between the issuer and this service. It does not widen
    `exp - iat`, which both come from the issuer's clock; without `iat` the lifetime is
    measured from our clock, so the leeway applies there.
    """
    exp = _numeric_date(claims, "exp")
    nbf = _numeric_date(claims, "nbf")
    iat = _numeric_date(claims, "iat")
    if exp is None:
        raise unauthenticated("The token has no exp claim.")
    if now >= exp + leeway:
        raise unauthenticated("The token has expired (exp).")
    if nbf is not None and now + leeway < nbf:
        raise unauthenticated("The token is not yet valid (nbf).")
    if iat is not None and iat > now + leeway:
        raise unauthenticated("The token's iat claim is in the future.")
    lifetime, allowance = (exp - iat, 0) if iat is not None else (exp - now, leeway)
    if lifetime > max_lifetime + allowance:
        raise unauthenticated(
            f"The token lives longer than the maximum of {max_lifetime} seconds (exp - iat)."
            if iat is not None
            else f"The token lives longer than the maximum of {max_lifetime} seconds (exp - now: it has no iat)."
        )


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    raw_roles = claims.get("roles", [])
    if isinstance(raw_roles, str):
        raw_roles = [raw_roles]
    if not isinstance(raw_roles, list):
        raise unauthenticated("The token's roles claim is not a list.")
    roles = frozenset(Role(r) for r in raw_roles if isinstance(r, str) and r in Role.__members__)
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise unauthenticated("The token has no subject.")

    def text(name: str) -> str | None:
        value = claims.get(name)
        return value if isinstance(value, str) and value else None

    return Principal(
        sub=sub,
        roles=roles,
        name=text("name"),
        team=text("team"),
        area=text("area"),
        act_for=text("act_for"),
        claims=claims,
    )


def encode_token(claims: dict[str, Any], key: Any, algorithm: str, headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


def mint_local_token(
    settings: Settings,
    sub: str,
    roles: list[str],
    *,
    name: str | None = None,
    team: str | None = None,
    area: str | None = None,
    act_for: str | None = None,
    ttl: timedelta = timedelta(hours=8),
) -> str:
    """A signed HS256 token for local use (`contact-service token`, tests)."""
    now = clock.now()
    claims: dict[str, Any] = {
        "sub": sub,
        "roles": roles,
        "iss": settings.jwt_issuer[0],
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    for name_, value in (("name", name), ("team", team), ("area", area), ("act_for", act_for)):
        if value:
            claims[name_] = value
    return encode_token(claims, settings.signing_secret, "HS256")


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise unauthenticated("Send a bearer token in the Authorization header.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("The Authorization header must be 'Bearer <token>'.")
    return token.strip()


async def get_principal(request: Request) -> Principal:
    verifier: TokenVerifier = request.app.state.verifier
    token = _bearer(request)
    # Verifying is CPU work done here on the loop; only a key-set fetch goes to a thread.
    principal = await run_in_threadpool(verifier.verify, token) if verifier.may_block(token) else verifier.verify(token)
    # Logged by the request middleware: the subject id, never a name.
    request.scope.setdefault("state", {})["subject"] = principal.sub
    if Role.integration in principal.roles:
        # a case-record system is bound by configuration to the child source it owns;
        # whether it may act without `act_for` is decided per operation (core.access).
        principal = replace(principal, source=request.app.state.settings.integration_sources.get(principal.sub))
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
