"""Webhook subscriptions through the API (R-80, R-84): who manages which, the secret shown
once and sealed at rest, rotation, the URL rules, and bad input that writes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from cryptography.fernet import InvalidToken
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.core import clock
from app.core.audit import AuditEntry
from app.core.config import Settings
from app.main import create_app
from app.webhooks import signing, urls
from app.webhooks.models import WebhookSubscription
from tests.conftest import child_body
from tests.helpers import at, make_deliveries

FW = ("fw", "integration")
FW_PROD = ("framework-prod", "integration")
MOSAIC = ("mosaic-prod", "integration")
ADMIN = ("admin-1", "admin")
URL = "https://case-records.example.gov.uk/hooks"


def create(client, auth, who=FW, **body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/webhooks", json={"url": URL, "event_types": ["*"], **body}, headers=auth(*who))


def count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_r84_the_secret_is_shown_once_and_sealed_at_rest(client, auth, engine, settings):
    created = create(client, auth, event_types=["referral.decided", "session.*"])
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert body["source"] == "framework" and body["owner_sub"] == "fw" and body["status"] == "active"
    assert body["event_types"] == ["referral.decided", "session.*"]
    shown = client.get(f"/api/v1/webhooks/{body['id']}", headers=auth(*FW)).json()
    assert "secret" not in shown and shown["url"] == URL
    listed = client.get("/api/v1/webhooks", headers=auth(*FW)).json()["items"]
    assert [item["id"] for item in listed] == [body["id"]] and "secret" not in listed[0]
    with Session(engine) as session:
        row = session.get(WebhookSubscription, uuid.UUID(body["id"]))
        assert row is not None and secret not in row.secret_sealed and secret[6:] not in row.secret_sealed
        assert signing.unseal(settings.webhook_secrets_cipher_key, row.secret_sealed) == secret
        with pytest.raises(InvalidToken):
            signing.unseal("another key", row.secret_sealed)
        [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "webhook.created")).scalars()
        assert entry.subject == "fw" and entry.entity_id == body["id"]
        assert "secret_sealed" not in entry.after and secret not in str(entry.after)


def test_r80_an_integration_manages_its_own_sources_subscriptions_only(client, auth):
    ours = create(client, auth, FW).json()
    theirs = create(client, auth, MOSAIC).json()
    everything = create(client, auth, ADMIN).json()
    assert theirs["source"] == "mosaic" and everything["source"] is None
    # another client of the same source manages it too; another source's is as if it did not exist
    assert client.get(f"/api/v1/webhooks/{ours['id']}", headers=auth(*FW_PROD)).status_code == 200
    hidden = client.get(f"/api/v1/webhooks/{theirs['id']}", headers=auth(*FW))
    missing = client.get("/api/v1/webhooks/00000000-0000-4000-8000-000000000000", headers=auth(*FW))
    assert hidden.status_code == missing.status_code == 404 and hidden.json() == missing.json()
    for path in ("", "/secret", "/enable"):
        assert client.post(f"/api/v1/webhooks/{theirs['id']}{path}", headers=auth(*FW)).status_code in (404, 405)
    assert client.delete(f"/api/v1/webhooks/{theirs['id']}", headers=auth(*FW)).status_code == 404
    assert [h["id"] for h in client.get("/api/v1/webhooks", headers=auth(*FW)).json()["items"]] == [ours["id"]]
    assert {h["id"] for h in client.get("/api/v1/webhooks", headers=auth(*ADMIN)).json()["items"]} == {ours["id"], theirs["id"], everything["id"]}


def test_r80_an_integration_bound_to_no_source_and_people_are_refused(client, auth):
    assert create(client, auth, ("stray", "integration")).status_code == 403
    for who in (("sw-1", "social_worker"), ("sm-1", "service_manager"), ("tl-1", "team_leader")):
        assert create(client, auth, who).status_code == 403
        assert client.get("/api/v1/webhooks", headers=auth(*who)).status_code == 403
    assert client.post("/api/v1/webhooks", json={"url": URL, "event_types": ["*"]}).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"url": "http://hooks.example.org/in"}, "url", "loopback"),
        ({"url": "ftp://hooks.example.org/in"}, "url", "https"),
        ({"url": "https://169.254.169.254/latest/meta-data"}, "url", "link-local"),
        ({"url": "https://[fe80::1]/hooks"}, "url", "link-local"),
        ({"url": "https://[::ffff:169.254.169.254]/hooks"}, "url", "link-local"),
        ({"url": "https://metadata.google.internal/computeMetadata"}, "url", "metadata"),
        ({"url": "https://user:pass@hooks.example.org/in"}, "url", "user name"),
        ({"url": "https://hooks.example.org@169.254.169.254/"}, "url", "user name"),
        ({"url": "https:///nohost"}, "url", "host"),
        ({"url": "https://hooks.example.org:99999/"}, "url", "valid"),
        ({"event_types": ["referral.decided", "referral.eaten"]}, "event_types.1", "not an event type"),
        ({"event_types": ["nonsense.*"]}, "event_types.0", "not an event type"),
        ({"event_types": []}, "event_types", ""),
        ({"event_types": "*"}, "event_types", ""),
        ({"secret": "whsec_mine"}, "secret", ""),
    ],
)
def test_r84_bad_input_is_422_naming_the_field_and_writes_nothing(client, auth, engine, body, field, words):
    response = create(client, auth, **body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in problem["errors"]] == [field]
    assert words in problem["errors"][0]["message"]
    assert count(engine, WebhookSubscription) == 0 and count(engine, AuditEntry) == 0


def test_r84_http_to_loopback_needs_webhooks_allow_http(settings, auth, migrated):
    strict = create_app(Settings(**{**settings.model_dump(), "webhooks_allow_http": False}))
    try:
        with TestClient(strict, raise_server_exceptions=False) as client:
            refused = create(client, auth, url="http://127.0.0.1:9000/hooks")
            assert refused.status_code == 422 and refused.json()["errors"][0]["message"] == "must be https"
    finally:
        strict.state.engine.dispose()


def test_r84_loopback_http_is_accepted_when_allowed(client, auth):
    for url in ("http://127.0.0.1:9000/hooks", "http://localhost:9000/hooks", "http://[::1]:9000/hooks"):
        assert create(client, auth, url=url).status_code == 201, url


def test_r84_webhooks_allowed_hosts_restricts_targets():
    settings = Settings(webhooks_allowed_hosts="hooks.example.org, other.example.org.")
    urls.check_url("https://hooks.example.org/in", settings)
    urls.check_url("https://other.example.org/in", settings)
    with pytest.raises(urls.UnsafeTarget, match="WEBHOOKS_ALLOWED_HOSTS"):
        urls.check_url("https://elsewhere.example.org/in", settings)


def test_r84_rotation_shows_the_new_secret_once_and_keeps_the_old_for_24_hours(client, auth, engine, settings):
    with at("2026-12-01T10:00:00+00:00"):
        created = create(client, auth, FW).json()
        rotated = client.post(f"/api/v1/webhooks/{created['id']}/secret", headers=auth(*FW))
    assert rotated.status_code == 200
    body = rotated.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != created["secret"]
    assert body["previous_secret_expires_at"] == "2026-12-02T10:00:00Z"
    with Session(engine) as session:
        row = session.get(WebhookSubscription, uuid.UUID(created["id"]))
        assert row is not None
        key = settings.webhook_secrets_cipher_key
        assert signing.unseal(key, row.secret_sealed) == body["secret"]
        assert signing.unseal(key, row.previous_secret_sealed) == created["secret"]
        [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "webhook.secret_rotated")).scalars()
        assert "previous_secret_sealed" not in entry.after and "secret_sealed" not in entry.before
    from app.webhooks.delivery import _secrets

    with Session(engine) as session:
        row = session.get(WebhookSubscription, uuid.UUID(created["id"]))
        assert _secrets(settings, row, clock.now().replace(year=2026, month=12, day=2, hour=9)) == [body["secret"], created["secret"]]
        assert _secrets(settings, row, row.previous_secret_expires_at + timedelta(seconds=1)) == [body["secret"]]


def test_r84_a_delivery_of_another_subscription_is_404(client, auth, engine):
    ours = create(client, auth, FW).json()
    theirs = create(client, auth, MOSAIC).json()
    client.put("/api/v1/children/mosaic/M-1", json=child_body(), headers=auth("tl-1", "team_leader"))
    delivery_id = make_deliveries(engine)[theirs["id"]]
    mine = client.post(f"/api/v1/webhooks/{ours['id']}/deliveries/{delivery_id}/retry", headers=auth(*FW))
    assert mine.status_code == 404 and mine.json()["detail"] == client.post(
        f"/api/v1/webhooks/{ours['id']}/deliveries/00000000-0000-4000-8000-000000000000/retry", headers=auth(*FW)
    ).json()["detail"]
    assert client.post(f"/api/v1/webhooks/{theirs['id']}/deliveries/{delivery_id}/retry", headers=auth(*FW)).status_code == 404
    assert client.post(f"/api/v1/webhooks/{theirs['id']}/deliveries/{delivery_id}/retry", headers=auth(*MOSAIC)).status_code == 202


def test_r84_delete_stops_deliveries_and_is_audited(client, auth, engine):
    created = create(client, auth, FW).json()
    assert client.delete(f"/api/v1/webhooks/{created['id']}", headers=auth(*FW)).status_code == 204
    assert client.get(f"/api/v1/webhooks/{created['id']}", headers=auth(*FW)).status_code == 404
    with Session(engine) as session:
        assert session.get(WebhookSubscription, uuid.UUID(created["id"])) is None
        actions = session.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars().all()
    assert actions == ["webhook.created", "webhook.deleted"]


def test_r84_event_types_accept_families_and_star_and_drop_repeats(client, auth):
    body = create(client, auth, event_types=["session.*", "referral.decided", "session.*"]).json()
    assert body["event_types"] == ["session.*", "referral.decided"]
    assert create(client, auth, event_types=["*"]).json()["event_types"] == ["*"]


def test_r60_subscription_changes_are_on_the_outbox_for_admins_and_managers_only(client, auth, engine):
    created = create(client, auth, FW).json()
    client.post(f"/api/v1/webhooks/{created['id']}/secret", headers=auth(*FW))
    client.delete(f"/api/v1/webhooks/{created['id']}", headers=auth(*FW))
    seen = client.get("/api/v1/events", headers=auth("sm-1", "service_manager")).json()["items"]
    assert [e["type"] for e in seen] == ["webhook.created", "webhook.secret_rotated", "webhook.deleted"]
    assert seen[0]["data"]["webhook_id"] == created["id"] and seen[0]["data"]["source"] == "framework"
    assert "whsec_" not in str(seen) and "sealed" not in str(seen)
    assert client.get("/api/v1/events", headers=auth(*FW)).json()["items"] == []
