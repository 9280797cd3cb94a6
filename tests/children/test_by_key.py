"""Finding a child by its case-record key (R-83), under the child's access rules (R-06, R-80)."""

from __future__ import annotations

from tests.conftest import child_body
from tests.helpers import at

NOW = "2026-11-30T09:00:00+00:00"


def test_r83_a_child_is_found_by_its_external_key(client, auth):
    with at(NOW):
        made = client.put("/api/v1/children/framework/F-123", json=child_body(), headers=auth("sw-1", "social_worker"))
        found = client.get("/api/v1/children/by-key/framework/F-123", headers=auth("sw-1", "social_worker"))
        by_id = client.get(f"/api/v1/children/{made.json()['id']}", headers=auth("sw-1", "social_worker"))
    assert made.status_code == 201, made.text
    assert found.status_code == 200 and found.json() == by_id.json()
    assert found.headers["etag"] == by_id.headers["etag"]


def test_r80_r83_a_missing_key_another_sources_key_and_an_unreadable_child_are_the_same_404(client, auth):
    with at(NOW):
        assert client.put("/api/v1/children/mosaic/M-9", json=child_body(), headers=auth("sw-1", "social_worker")).status_code == 201
        missing = client.get("/api/v1/children/by-key/mosaic/M-404", headers=auth("sw-1", "social_worker"))
        other_sw = client.get("/api/v1/children/by-key/mosaic/M-9", headers=auth("sw-2", "social_worker"))
        other_source = client.get("/api/v1/children/by-key/mosaic/M-9", headers=auth("fw", "integration", act_for="sw-1"))
        bad_key = client.get("/api/v1/children/by-key/mosaic/bad key", headers=auth("sw-1", "social_worker"))
        analyst = client.get("/api/v1/children/by-key/mosaic/M-9", headers=auth("da-1", "data_analyst"))
    assert missing.status_code == other_sw.status_code == other_source.status_code == 404
    assert missing.json() == other_sw.json() == other_source.json()
    assert bad_key.status_code == 422 and bad_key.json()["errors"][0]["field"] == "external_id"
    assert analyst.status_code == 403
