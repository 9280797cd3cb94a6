"""Bearer JWT verification through HTTP (R-05, R-06, R-71; problem+json per R-70).

Protected calls go to `GET /api/v1/events` (integration with `act_for`, or service_manager);
`GET /health` needs no token. Attack tokens are hand-crafted with base64url and hmac so
nothing here imports python-jose; legitimate asymmetric tokens are signed with
`app.core.security.encode_token`. JWKS mode runs against a real HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.cli import main as cli_main
from app.core.config import Settings
from app.core.security import encode_token
from app.main import create_app
from tests.conftest import TEST_SECRET

EVENTS = "/api/v1/events"
PROBLEM = "application/problem+json"
UNAUTHENTICATED = "urn:contact-service:problem:unauthenticated"
FORBIDDEN = "urn:contact-service:problem:forbidden"
ISSUER = "contact-service"
AUDIENCE = "contact-service-api"
DROP = object()  # a claim value meaning "leave this claim out"


# --- helpers -----------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: Any) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def b64url_uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def claims(**overrides: Any) -> dict[str, Any]:
    """Valid claims for a service manager; `name=DROP` leaves a claim out."""
    now = int(time.time())
    body: dict[str, Any] = {
        "sub": "sm-1",
        "roles": ["service_manager"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not DROP}


def unsigned(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64url_json(header)}.{b64url_json(payload)}.{b64url(signature)}"


def hmac_token(payload: Any, secret: bytes | str, *, alg: str = "HS256", **header: Any) -> str:
    """A JWS signed by hand with HMAC, whatever the key bytes are (python-jose would refuse a PEM)."""
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    key = secret.encode() if isinstance(secret, str) else secret
    signing_input = f"{b64url_json({'alg': alg, 'typ': 'JWT', **header})}.{b64url_json(payload)}"
    signature = hmac.new(key, signing_input.encode("ascii"), digest).digest()
    return f"{signing_input}.{b64url(signature)}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def payload_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def assert_unauthenticated(response: httpx.Response, reason: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].split(";")[0].strip() == PROBLEM
    body = response.json()
    assert body["type"] == UNAUTHENTICATED
    assert isinstance(body["title"], str) and body["title"]
    assert body["status"] == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    if reason is not None:
        assert reason.lower() in body.get("detail", "").lower(), body


def assert_forbidden(response: httpx.Response, reason: str | None = None) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].split(";")[0].strip() == PROBLEM
    body = response.json()
    assert body["type"] == FORBIDDEN
    assert isinstance(body["title"], str) and body["title"]
    assert body["status"] == 403
    if reason is not None:
        assert reason.lower() in body.get("detail", "").lower(), body


def assert_events_ok(response: httpx.Response) -> None:
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["items"], list)
    assert "next_cursor" in body


# --- the shared HS256 app (tests/conftest.py `client`, secret TEST_SECRET) --------------------


def test_r71_health_needs_no_token(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_r71_health_ignores_a_bad_token(client: TestClient) -> None:
    response = client.get("/health", headers=bearer("not.a.jwt"))
    assert response.status_code == 200, response.text


def test_r71_openapi_document_needs_no_token(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200, response.text
    assert response.json()["info"]["title"] == "Contact Service API"


def test_r71_no_authorization_header_is_refused(client: TestClient) -> None:
    assert_unauthenticated(client.get(EVENTS), "bearer token")


@pytest.mark.parametrize("header", ["Basic c20tMTpwYXNzd29yZA==", "Token abc", "Bearer", "Bearer   ", "bearer"])
def test_r71_non_bearer_scheme_is_refused(client: TestClient, header: str) -> None:
    assert_unauthenticated(client.get(EVENTS, headers={"Authorization": header}), "Bearer <token>")


def test_r71_non_bearer_scheme_with_a_valid_token_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers={"Authorization": f"Token {token}"}), "Bearer <token>")


@pytest.mark.parametrize("token", ["not.a.jwt", "abc", "a.b", "....", "e30.e30.", "W10.e30.x"])
def test_r71_garbage_token_is_refused(client: TestClient, token: str) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)))


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_r71_alg_none_is_refused(client: TestClient, alg: str) -> None:
    token = unsigned({"alg": alg, "typ": "JWT"}, claims())
    assert token.endswith(".")  # empty signature
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "algorithm")


def test_r71_missing_alg_is_refused(client: TestClient) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(unsigned({"typ": "JWT"}, claims()))), "algorithm")


def test_r71_valid_token_passes(client: TestClient) -> None:
    assert_events_ok(client.get(EVENTS, headers=bearer(hmac_token(claims(), TEST_SECRET))))


def test_r71_valid_token_from_conftest_auth_passes(client: TestClient, auth: Callable[..., dict[str, str]]) -> None:
    assert_events_ok(client.get(EVENTS, headers=auth("sm-1", "service_manager")))


def test_r71_algorithm_outside_configured_list_is_refused(client: TestClient) -> None:
    # Correctly keyed with the app's own secret, but HS512 is not in the configured list (HS256).
    token = hmac_token(claims(), TEST_SECRET, alg="HS512")
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "algorithm")


def test_r71_wrong_secret_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(), TEST_SECRET + "-but-not-quite")
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "signature")


def test_r71_tampered_payload_is_refused(client: TestClient) -> None:
    header, _payload, signature = hmac_token(claims(roles=["social_worker"]), TEST_SECRET).split(".")
    forged = f"{header}.{b64url_json(claims(roles=['service_manager']))}.{signature}"
    assert_unauthenticated(client.get(EVENTS, headers=bearer(forged)), "signature")


def test_r71_expired_token_is_refused(client: TestClient) -> None:
    now = int(time.time())
    token = hmac_token(claims(iat=now - 3600, nbf=now - 3600, exp=now - 120), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "expired")


def test_r71_expiry_within_the_30s_leeway_is_accepted(client: TestClient) -> None:
    now = int(time.time())
    token = hmac_token(claims(iat=now - 3600, nbf=now - 3600, exp=now - 5), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


def test_r71_not_yet_valid_token_is_refused(client: TestClient) -> None:
    now = int(time.time())
    token = hmac_token(claims(nbf=now + 600, exp=now + 3600), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "nbf")


def test_r71_wrong_audience_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(aud="some-other-api"), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "audience")


def test_r71_missing_audience_is_refused(client: TestClient) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(hmac_token(claims(aud=DROP), TEST_SECRET))), "aud")


def test_r71_wrong_issuer_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(iss="https://evil.example"), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "issuer")


def test_r71_missing_issuer_is_refused(client: TestClient) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(hmac_token(claims(iss=DROP), TEST_SECRET))), "iss")


def test_r71_missing_exp_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(exp=DROP), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "exp")


def test_r71_missing_sub_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(sub=DROP), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "sub")


@pytest.mark.parametrize("sub", ["", 42, None])
def test_r71_empty_or_non_text_sub_is_refused(client: TestClient, sub: Any) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(hmac_token(claims(sub=sub), TEST_SECRET))))


@pytest.mark.parametrize(
    "name,value",
    [("exp", None), ("exp", []), ("exp", "soon"), ("exp", 1e400), ("nbf", {}), ("iat", None), ("iat", [1])],
)
def test_r70_r71_malformed_time_claim_is_401_not_500(client: TestClient, name: str, value: Any) -> None:
    # Correctly signed, so only the claim's type is at fault: a 4xx, never a 5xx.
    token = hmac_token(claims(**{name: value}), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)))


# --- time claims per RFC 8725: JSON numbers, no iat in the future, a bounded lifetime --------

HOUR = 3600
MAX_LIFETIME = 12 * HOUR  # the JWT_MAX_LIFETIME default


@pytest.mark.parametrize(
    "name,value",
    [
        ("exp", "9999999999"),
        ("exp", "+600"),  # relative to now below: a string that is otherwise a valid expiry
        ("exp", True),
        ("nbf", "0"),
        ("iat", "0"),
        ("iat", False),
    ],
)
def test_r71_string_exp_is_refused(client: TestClient, name: str, value: Any) -> None:
    # python-jose alone runs int() on these and would accept "9999999999" as a far expiry.
    if value == "+600":
        value = str(int(time.time()) + 600)
    token = hmac_token(claims(**{name: value}), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), f"{name} claim must be a number")


@pytest.mark.parametrize("exp", [10**30, 10**400], ids=["far-future", "beyond-a-float"])
def test_r71_huge_exp_is_401_not_500(client: TestClient, exp: int) -> None:
    token = hmac_token(claims(exp=exp), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "exp")


def test_r71_fractional_time_claims_are_numbers_too(client: TestClient) -> None:
    now = time.time()
    token = hmac_token(claims(iat=now - 0.5, nbf=now - 0.5, exp=now + 600.25), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


def test_r71_iat_in_the_future_is_refused(client: TestClient) -> None:
    now = int(time.time())
    # nbf is now, so only iat is at fault: issued ten minutes from now.
    token = hmac_token(claims(iat=now + 600, nbf=now, exp=now + HOUR), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "iat claim is in the future")


def test_r71_iat_within_the_30s_leeway_is_accepted(client: TestClient) -> None:
    now = int(time.time())
    token = hmac_token(claims(iat=now + 10, nbf=now, exp=now + HOUR), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


@pytest.mark.parametrize(
    "iat_offset,exp_offset",
    [(0, MAX_LIFETIME + 1), (-HOUR, MAX_LIFETIME), (0, 365 * 24 * HOUR), (-30 * HOUR, HOUR)],
    ids=["one-second-over", "issued-an-hour-ago", "a-year", "old-iat-short-exp"],
)
def test_r71_token_living_longer_than_jwt_max_lifetime_is_refused(
    client: TestClient, iat_offset: int, exp_offset: int
) -> None:
    now = int(time.time())
    token = hmac_token(claims(iat=now + iat_offset, nbf=now + iat_offset, exp=now + exp_offset), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "exp - iat")


def test_r71_token_without_iat_living_longer_than_jwt_max_lifetime_is_refused(client: TestClient) -> None:
    # Without iat the lifetime is measured from now; the 30 s leeway allows for clock skew only.
    now = int(time.time())
    token = hmac_token(claims(iat=DROP, exp=now + MAX_LIFETIME + 120), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "lives longer")


@pytest.mark.parametrize(
    "iat_offset,exp_offset",
    [(0, MAX_LIFETIME), (-HOUR, MAX_LIFETIME - HOUR), (0, 8 * HOUR), (None, MAX_LIFETIME)],
    ids=["exactly-the-maximum", "issued-an-hour-ago", "cli-default-8h", "no-iat"],
)
def test_r71_token_within_jwt_max_lifetime_passes(client: TestClient, iat_offset: int | None, exp_offset: int) -> None:
    now = int(time.time())
    iat = DROP if iat_offset is None else now + iat_offset
    token = hmac_token(claims(iat=iat, nbf=now - 60, exp=now + exp_offset), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


def test_r71_jwt_max_lifetime_is_configurable(
    monkeypatch: pytest.MonkeyPatch, migrated: Settings, database_url: str, auth: Callable[..., dict[str, str]]
) -> None:
    monkeypatch.setenv("JWT_MAX_LIFETIME", "10m")
    settings = Settings(database_url=database_url, jwt_secret=TEST_SECRET)
    assert settings.jwt_max_lifetime_seconds == 600
    now = int(time.time())
    app = create_app(settings)
    try:
        with TestClient(app, raise_server_exceptions=False) as short_client:
            # The conftest tokens live 8 hours: too long for this deployment.
            assert_unauthenticated(short_client.get(EVENTS, headers=auth("sm-1", "service_manager")), "exp - iat")
            assert_events_ok(short_client.get(EVENTS, headers=bearer(hmac_token(claims(exp=now + 600), TEST_SECRET))))
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize(
    "value,seconds", [("43200", 43200), ("12h", 43200), ("90m", 5400), ("45s", 45), (" 2H ", 7200)]
)
def test_r71_jwt_max_lifetime_reads_seconds_or_a_unit(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: int
) -> None:
    monkeypatch.setenv("JWT_MAX_LIFETIME", value)
    assert Settings(jwt_secret=TEST_SECRET).jwt_max_lifetime_seconds == seconds


@pytest.mark.parametrize("value", ["0", "-5", "1.5h", "12d", "twelve hours", ""])
def test_r71_jwt_max_lifetime_nonsense_is_refused_by_config(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("JWT_MAX_LIFETIME", value)
    with pytest.raises(ValidationError, match="jwt_max_lifetime"):
        Settings(jwt_secret=TEST_SECRET)


@pytest.mark.parametrize("leeway", [61, 300, -1])
def test_r71_leeway_over_60_seconds_is_refused_by_config(monkeypatch: pytest.MonkeyPatch, leeway: int) -> None:
    # RFC 8725 wants a small skew allowance; a large one stretches every token's life.
    with pytest.raises(ValidationError, match="jwt_leeway_seconds"):
        Settings(jwt_secret=TEST_SECRET, jwt_leeway_seconds=leeway)
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", str(leeway))
    with pytest.raises(ValidationError, match="jwt_leeway_seconds"):
        Settings(jwt_secret=TEST_SECRET)


def test_r71_leeway_up_to_60_seconds_is_accepted_by_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_LEEWAY_SECONDS", "60")
    assert Settings(jwt_secret=TEST_SECRET).jwt_leeway_seconds == 60
    assert Settings(jwt_secret=TEST_SECRET, jwt_leeway_seconds=0).jwt_leeway_seconds == 0


@pytest.mark.parametrize("payload", [[], "sm-1", 7, None], ids=["list", "string", "number", "null"])
def test_r71_signed_payload_that_is_not_an_object_is_refused(client: TestClient, payload: Any) -> None:
    assert_unauthenticated(client.get(EVENTS, headers=bearer(hmac_token(payload, TEST_SECRET))))


def test_r05_roles_claim_not_a_list_is_refused(client: TestClient) -> None:
    token = hmac_token(claims(roles={"service_manager": True}), TEST_SECRET)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "roles")


def test_r05_r06_wrong_role_is_forbidden(client: TestClient) -> None:
    token = hmac_token(claims(sub="sw-1", roles=["social_worker"]), TEST_SECRET)
    assert_forbidden(client.get(EVENTS, headers=bearer(token)), "service_manager")


def test_r05_r06_no_roles_is_forbidden(client: TestClient) -> None:
    assert_forbidden(client.get(EVENTS, headers=bearer(hmac_token(claims(roles=DROP), TEST_SECRET))))


def test_r05_unknown_role_grants_nothing(client: TestClient) -> None:
    token = hmac_token(claims(roles=["superuser", "SERVICE_MANAGER"]), TEST_SECRET)
    assert_forbidden(client.get(EVENTS, headers=bearer(token)))


def test_r80_integration_without_act_for_reads_the_feed_but_may_not_write(client: TestClient) -> None:
    token = hmac_token(claims(sub="framework", roles=["integration"]), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))
    body = {
        "first_name": "Amara", "last_name": "Okafor", "date_of_birth": "2017-03-14", "legal_status": "care_order",
        "court_arena": False, "placement_type": "foster", "social_worker_sub": "sw-1", "area": "north",
    }
    assert_forbidden(client.put("/api/v1/children/framework/1", json=body, headers=bearer(token)), "act_for")


def test_r80_integration_not_bound_to_a_source_is_forbidden(client: TestClient) -> None:
    token = hmac_token(claims(sub="unlisted-system", roles=["integration"], act_for="sw-1"), TEST_SECRET)
    assert_forbidden(client.get(EVENTS, headers=bearer(token)), "INTEGRATION_SOURCES")


def test_r05_integration_with_act_for_passes(client: TestClient) -> None:
    token = hmac_token(claims(sub="framework", roles=["integration"], act_for="sw-1"), TEST_SECRET)
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


# --- JWKS mode (RS256 / ES256 from a real local HTTP server) --------------------------------


@dataclass
class SigningKey:
    kid: str
    alg: str
    private_pem: str
    public_pem: bytes
    jwk: dict[str, Any]

    def sign(self, payload: dict[str, Any], **header: Any) -> str:
        return encode_token(payload, self.private_pem, self.alg, headers={"kid": self.kid, **header})


def pems(private: Any) -> dict[str, Any]:
    """The private key as PKCS8 PEM text and the public key as PEM bytes."""
    return {
        "private_pem": private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        "public_pem": private.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
    }


def rsa_key(kid: str) -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = private.public_key().public_numbers()
    return SigningKey(
        kid=kid,
        alg="RS256",
        **pems(private),
        jwk={
            "kty": "RSA",
            "kid": kid,
            "use": "sig",
            "alg": "RS256",
            "n": b64url_uint(numbers.n),
            "e": b64url_uint(numbers.e),
        },
    )


def ec_key(kid: str) -> SigningKey:
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    return SigningKey(
        kid=kid,
        alg="ES256",
        **pems(private),
        jwk={
            "kty": "EC",
            "kid": kid,
            "use": "sig",
            "alg": "ES256",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        },
    )


@dataclass
class Keys:
    rsa: SigningKey
    ec: SigningKey
    rotated: SigningKey
    stranger: SigningKey  # never published


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(
        rsa=rsa_key("rsa-2024"), ec=ec_key("ec-2024"), rotated=rsa_key("rsa-2025"), stranger=rsa_key("rsa-2024")
    )


@dataclass
class JwksServer:
    url: str = ""
    keys: list[dict[str, Any]] = field(default_factory=list)
    raw: bytes | None = None  # served instead of {"keys": [...]} when set
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self, *signing_keys: SigningKey) -> None:
        with self.lock:
            self.keys = [key.jwk for key in signing_keys]

    @property
    def count(self) -> int:
        with self.lock:
            return self.requests


@pytest.fixture
def jwks_server(keys: Keys) -> Iterator[JwksServer]:
    state = JwksServer()
    state.serve(keys.rsa, keys.ec)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path != "/.well-known/jwks.json":
                self.send_error(404)
                return
            with state.lock:
                state.requests += 1
                body = state.raw if state.raw is not None else json.dumps({"keys": state.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="jwks-server", daemon=True
    )
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def close_jwks_client(app: FastAPI) -> None:
    jwks = getattr(app.state.verifier, "jwks", None)
    client = getattr(jwks, "_client", None)
    if isinstance(client, httpx.Client):
        client.close()


@pytest.fixture
def jwks_client(migrated: Settings, database_url: str, jwks_server: JwksServer) -> Iterator[Callable[..., TestClient]]:
    """`jwks_client(jwks_min_refetch_seconds=0)` -> a client for an app configured with the JWKS URL."""
    apps: list[FastAPI] = []
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        app = create_app(Settings(database_url=database_url, jwt_jwks_url=jwks_server.url, **overrides))
        apps.append(app)
        test_client = TestClient(app, raise_server_exceptions=False)
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)
    for app in apps:
        close_jwks_client(app)
        app.state.engine.dispose()


def test_r71_jwks_rs256_with_known_kid_passes(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))


def test_r71_jwks_es256_with_known_kid_passes(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.ec.sign(claims()))))


def test_r71_jwks_es256_refused_when_only_rs256_configured(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client(jwt_algorithms=["RS256"])
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))
    assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.ec.sign(claims()))), "algorithm")


def test_r71_jwks_unknown_kid_is_refused(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    token = encode_token(claims(), keys.rotated.private_pem, "RS256", headers={"kid": "no-such-key"})
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "unknown key")


def test_r71_jwks_no_kid_is_refused(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    token = encode_token(claims(), keys.rsa.private_pem, "RS256")  # the published key, but no kid
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "kid")


def test_r71_jwks_known_kid_signed_by_another_key_is_refused(
    jwks_client: Callable[..., TestClient], keys: Keys
) -> None:
    client = jwks_client()
    assert keys.stranger.kid == keys.rsa.kid
    assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.stranger.sign(claims()))), "signature")


def test_r71_jwks_rs256_kid_naming_the_ec_key_is_refused(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    token = encode_token(claims(), keys.rsa.private_pem, "RS256", headers={"kid": keys.ec.kid})
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)))


def test_r71_jwks_alg_none_is_refused(jwks_client: Callable[..., TestClient], keys: Keys) -> None:
    client = jwks_client()
    token = unsigned({"alg": "none", "typ": "JWT", "kid": keys.rsa.kid}, claims())
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "algorithm")


def test_r71_jwks_hs256_signed_with_public_key_pem_is_refused(
    jwks_client: Callable[..., TestClient], keys: Keys
) -> None:
    client = jwks_client()
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))  # the kid is known
    token = hmac_token(claims(), keys.rsa.public_pem, kid=keys.rsa.kid)
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "algorithm")


def test_r71_jwks_hs256_signed_with_public_key_pem_is_refused_even_if_hs256_is_listed(
    jwks_client: Callable[..., TestClient], keys: Keys
) -> None:
    # A misconfigured list lets the algorithm through; the JWK's key type must still refuse it.
    client = jwks_client(jwt_algorithms=["RS256", "HS256"])
    for secret in (keys.rsa.public_pem, keys.rsa.public_pem.strip()):
        token = hmac_token(claims(), secret, kid=keys.rsa.kid)
        assert_unauthenticated(client.get(EVENTS, headers=bearer(token)))
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))


@pytest.mark.parametrize(
    "overrides,reason",
    [
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"aud": "some-other-api"}, "audience"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"exp": DROP}, "exp"),
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "missing-exp"],
)
def test_r71_jwks_claims_are_checked(
    jwks_client: Callable[..., TestClient], keys: Keys, overrides: dict[str, Any], reason: str
) -> None:
    client = jwks_client()
    assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims(**overrides)))), reason)


def test_r71_jwks_same_kid_does_not_refetch(
    jwks_client: Callable[..., TestClient], jwks_server: JwksServer, keys: Keys
) -> None:
    client = jwks_client()
    assert jwks_server.count == 0  # fetched lazily, on the first token
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))
    assert jwks_server.count == 1
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims(sub="sm-2")))))
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.ec.sign(claims()))))
    assert jwks_server.count == 1


def test_r71_jwks_key_rotation_refetches_on_unknown_kid(
    jwks_client: Callable[..., TestClient], jwks_server: JwksServer, keys: Keys
) -> None:
    client = jwks_client(jwks_min_refetch_seconds=0)
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))
    assert jwks_server.count == 1

    jwks_server.serve(keys.rotated)  # the identity provider rotates: only the new key is published
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rotated.sign(claims()))))
    assert jwks_server.count == 2
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rotated.sign(claims(sub="sm-2")))))
    assert jwks_server.count == 2  # the new kid is cached now


def test_r71_jwks_unknown_kid_refetch_is_rate_limited(
    jwks_client: Callable[..., TestClient], jwks_server: JwksServer, keys: Keys
) -> None:
    client = jwks_client()  # default jwks_min_refetch_seconds (60)
    assert_events_ok(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))))
    assert jwks_server.count == 1
    jwks_server.serve(keys.rsa, keys.rotated)
    for _ in range(3):
        assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.rotated.sign(claims()))), "unknown key")
    assert jwks_server.count == 1  # a flood of unknown kids does not hammer the identity provider


def test_r71_jwks_unreachable_is_401_not_500(
    migrated: Settings, database_url: str, keys: Keys
) -> None:
    # Port 9 on loopback: nothing listens, the connection is refused.
    app = create_app(Settings(database_url=database_url, jwt_jwks_url="http://127.0.0.1:9/jwks.json"))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))), "unknown key")
            assert client.get("/health").status_code == 200
    finally:
        close_jwks_client(app)
        app.state.engine.dispose()


@pytest.mark.parametrize(
    "document",
    [[], {"keys": 5}, {"keys": {"rsa-2024": 1}}, b"not json", {"keys": [{"kid": "x"}, "junk", 7]}],
    ids=["list", "keys-not-a-list", "keys-a-dict", "not-json", "junk-entries"],
)
def test_r71_jwks_malformed_key_set_is_401_not_500(
    jwks_client: Callable[..., TestClient], jwks_server: JwksServer, keys: Keys, document: Any
) -> None:
    with jwks_server.lock:
        jwks_server.raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    client = jwks_client()
    assert_unauthenticated(client.get(EVENTS, headers=bearer(keys.rsa.sign(claims()))), "unknown key")
    assert jwks_server.count == 1
    assert client.get("/health").status_code == 200


# --- `contact-service token` -----------------------------------------------------------------


def test_r71_cli_token_is_accepted_by_an_app_with_the_same_secret(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    migrated: Settings,
    database_url: str,
    client: TestClient,
) -> None:
    secret = "cli-secret-" + "0123456789abcdef" * 3
    monkeypatch.setenv("JWT_SECRET", secret)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    monkeypatch.delenv("JWT_ALGORITHMS", raising=False)
    monkeypatch.delenv("JWT_ISSUER", raising=False)
    monkeypatch.delenv("JWT_AUDIENCE", raising=False)

    assert cli_main(["token", "--sub", "sm-cli", "--role", "service_manager"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.count(".") == 2
    payload = payload_of(token)
    assert payload["sub"] == "sm-cli"
    assert payload["roles"] == ["service_manager"]
    assert payload["iss"] == ISSUER and payload["aud"] == AUDIENCE
    assert payload["exp"] > time.time()

    app = create_app(Settings(database_url=database_url, jwt_secret=secret))
    try:
        with TestClient(app, raise_server_exceptions=False) as cli_client:
            assert_events_ok(cli_client.get(EVENTS, headers=bearer(token)))
    finally:
        app.state.engine.dispose()
    # The shared app has another secret: the token was signed with JWT_SECRET, not a default.
    assert_unauthenticated(client.get(EVENTS, headers=bearer(token)), "signature")


def test_r05_cli_integration_token_carries_act_for(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], client: TestClient
) -> None:
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("INTEGRATION_SOURCES", "framework=framework")
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    assert cli_main(["token", "--sub", "framework", "--role", "integration", "--act-for", "sw-1"]) == 0
    token = capsys.readouterr().out.strip()
    assert payload_of(token)["act_for"] == "sw-1"
    assert_events_ok(client.get(EVENTS, headers=bearer(token)))


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        # an integration client must be bound to a child source.
        (["--sub", "mosaic-prod", "--role", "integration", "--act-for", "sw-1"], "INTEGRATION_SOURCES"),
        # the API would refuse a token living longer than the maximum.
        (["--sub", "sw-1", "--role", "social_worker", "--hours", "13"], "JWT_MAX_LIFETIME"),
    ],
)
def test_r80_r71_cli_refuses_a_token_the_api_would_refuse(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
) -> None:
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("INTEGRATION_SOURCES", "framework=framework")
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    with pytest.raises(SystemExit) as exited:
        cli_main(["token", *args])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and reason in captured.err


def test_r05_cli_unknown_role_exits_with_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)
    with pytest.raises(SystemExit) as exited:
        cli_main(["token", "--sub", "x", "--role", "service_manager", "--role", "wizard"])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no token printed
    assert "wizard" in captured.err and "unknown role" in captured.err


def test_r71_cli_token_help_describes_every_option(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # argparse wraps to the terminal width
    with pytest.raises(SystemExit) as exited:
        cli_main(["token", "--help"])
    assert exited.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    options = lines[lines.index("options:") + 1 :]
    described: dict[str, str] = {}
    for number, line in enumerate(options):
        if not line.startswith("  -"):
            continue
        # "  --sub SUB   text", or a long option alone with its text on the next, indented line.
        spec, _, text = line.strip().partition("  ")
        if not text.strip() and number + 1 < len(options) and not options[number + 1].lstrip().startswith("-"):
            text = options[number + 1]
        described[re.findall(r"--[\w-]+", spec)[-1]] = text.strip()
    expected = {"--help", "--sub", "--role", "--name", "--team", "--area", "--act-for", "--hours"}
    assert expected <= described.keys(), described
    assert all(described.values()), {option: text for option, text in described.items() if not text}

