"""405s list every documented method of the resource (RFC 9110), and a method a resource
does not have is a 405 even where another route's template would also match the path."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from app.children.models import Child
from tests.conftest import child_body
from tests.helpers import at

NOW = "2026-11-30T09:00:00+00:00"


def test_r72_a_405_allows_every_method_the_resource_documents(client, auth):
    some_id = uuid.uuid4()
    with at(NOW):
        headers = auth("tl-1", "team_leader")
        agreement = client.delete(f"/api/v1/arrangements/{some_id}/agreement", headers=headers)
        webhooks = client.patch("/api/v1/webhooks", headers=headers)
        one_webhook = client.put(f"/api/v1/webhooks/{some_id}", headers=headers)
        record = client.delete(f"/api/v1/sessions/{some_id}/record", headers=headers)
    assert agreement.status_code == 405, agreement.text
    assert agreement.headers["allow"] == "GET, HEAD, PUT"
    assert agreement.headers["content-type"] == "application/problem+json"
    assert webhooks.status_code == 405 and webhooks.headers["allow"] == "GET, HEAD, POST"
    assert one_webhook.status_code == 405 and one_webhook.headers["allow"] == "GET, HEAD, DELETE"
    assert record.status_code == 405 and record.headers["allow"] == "GET, HEAD, PUT"


def test_r07_put_on_a_childs_people_is_a_405_not_an_upsert_of_a_child(client, auth, engine):
    with at(NOW):
        headers = auth("sw-1", "social_worker")
        child = client.put("/api/v1/children/framework/F-1", json=child_body(), headers=headers)
        people = client.put(f"/api/v1/children/{child.json()['id']}/people", json=child_body(), headers=headers)
        # A source-shaped first segment is still the upsert, even with the key "people".
        named_people = client.put("/api/v1/children/framework/people", json=child_body(), headers=headers)
    assert child.status_code == 201, child.text
    assert people.status_code == 405, people.text
    assert people.headers["allow"] == "GET, HEAD, POST"
    assert named_people.status_code == 201, named_people.text
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Child)).scalar_one() == 2
