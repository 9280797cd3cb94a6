"""Children and people through HTTP: upsert (R-07), access (R-06), the withheld address
(R-08), the network (R-09), and bad input leaving nothing written (R-70)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.children.models import Child, Person
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from tests.conftest import child_body

SW = ("sw-1", "social_worker")
PUT_URL = "/api/v1/children/framework/123456"


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Child, Person, AuditEntry, OutboxEvent)
        }


def make_child(client, auth, *, sub="sw-1", key="123456", **overrides) -> dict:
    response = client.put(
        f"/api/v1/children/framework/{key}",
        json=child_body(social_worker_sub=sub, **overrides),
        headers=auth(sub, "social_worker", team="north-1"),
    )
    assert response.status_code == 201, response.text
    return response.json()


class TestUpsert:
    def test_r07_first_put_creates_then_same_key_updates_the_same_child(self, client, auth, engine):
        first = client.put(PUT_URL, json=child_body(), headers=auth(*SW, team="north-1"))
        assert first.status_code == 201
        assert first.headers["location"] == f"/api/v1/children/{first.json()['id']}"
        assert first.headers["etag"] == '"1"'
        second = client.put(PUT_URL, json=child_body(area="south"), headers=auth(*SW, team="north-1"))
        assert second.status_code == 200
        assert second.json()["id"] == first.json()["id"]
        assert second.json()["area"] == "south"
        assert second.json()["version"] == 2
        assert second.headers["etag"] == '"2"'
        assert counts(engine)["child"] == 1

    def test_r07_repeating_the_same_body_changes_nothing(self, client, auth, engine):
        client.put(PUT_URL, json=child_body(), headers=auth(*SW))
        before = counts(engine)
        again = client.put(PUT_URL, json=child_body(), headers=auth(*SW))
        assert again.status_code == 200
        assert again.json()["version"] == 1
        assert counts(engine) == before  # no audit entry, no event for a no-op

    def test_r07_same_external_id_in_another_source_is_another_child(self, client, auth, engine):
        a = client.put("/api/v1/children/framework/77", json=child_body(), headers=auth(*SW))
        b = client.put("/api/v1/children/mosaic/77", json=child_body(), headers=auth(*SW))
        assert (a.status_code, b.status_code) == (201, 201)
        assert a.json()["id"] != b.json()["id"]

    def test_r07_upsert_returns_every_kept_field_in_utc(self, client, auth):
        body = client.put(PUT_URL, json=child_body(iro_sub="iro-9"), headers=auth(*SW, team="north-1")).json()
        assert body["source"] == "framework" and body["external_id"] == "123456"
        assert body["legal_status"] == "interim_care_order"
        assert body["placement_type"] == "foster"
        assert body["court_arena"] is True
        assert body["team"] == "north-1"  # from the social worker's team claim
        assert body["iro_sub"] == "iro-9"
        assert body["created_at"].endswith("Z")
        uuid.UUID(body["id"])

    def test_r70_if_match_with_a_stale_version_is_412_and_writes_nothing(self, client, auth, engine):
        client.put(PUT_URL, json=child_body(), headers=auth(*SW))
        client.put(PUT_URL, json=child_body(area="south"), headers=auth(*SW))
        before = counts(engine)
        stale = client.put(PUT_URL, json=child_body(area="central"), headers={**auth(*SW), "If-Match": '"1"'})
        assert stale.status_code == 412
        assert stale.headers["content-type"] == "application/problem+json"
        assert stale.json()["type"].endswith(":precondition-failed")
        assert counts(engine) == before
        fresh = client.put(PUT_URL, json=child_body(area="central"), headers={**auth(*SW), "If-Match": '"2"'})
        assert fresh.status_code == 200 and fresh.json()["version"] == 3

    def test_r06_social_worker_may_not_record_a_child_for_someone_else(self, client, auth, engine):
        response = client.put(PUT_URL, json=child_body(social_worker_sub="sw-2"), headers=auth(*SW))
        assert response.status_code == 403
        assert response.json()["errors"][0]["field"] == "social_worker_sub"
        assert counts(engine)["child"] == 0

    def test_r06_social_worker_cannot_overwrite_another_workers_child(self, client, auth, engine):
        make_child(client, auth, sub="sw-2")
        response = client.put(PUT_URL, json=child_body(social_worker_sub="sw-1"), headers=auth(*SW))
        assert response.status_code == 404
        with Session(engine) as session:
            assert session.execute(select(Child.social_worker_sub)).scalar_one() == "sw-2"

    def test_r06_integration_acting_for_the_new_worker_reallocates(self, client, auth):
        created = make_child(client, auth, sub="sw-2")
        moved = client.put(
            PUT_URL, json=child_body(social_worker_sub="sw-3"), headers=auth("framework-prod", "integration", act_for="sw-3")
        )
        assert moved.status_code == 200
        assert moved.json()["id"] == created["id"]
        assert moved.json()["social_worker_sub"] == "sw-3"
        old = client.get(f"/api/v1/children/{created['id']}", headers=auth("sw-2", "social_worker"))
        assert old.status_code == 404

    def test_r06_team_leader_may_allocate_to_anyone(self, client, auth):
        response = client.put(PUT_URL, json=child_body(social_worker_sub="sw-9"), headers=auth("tl-1", "team_leader"))
        assert response.status_code == 201
        assert response.json()["social_worker_sub"] == "sw-9"

    @pytest.mark.parametrize("role", ["contact_support_worker", "data_analyst", "admin", "team_manager", "iro", "service_manager"])
    def test_r06_other_roles_may_not_upsert(self, client, auth, engine, role):
        response = client.put(PUT_URL, json=child_body(social_worker_sub="u-1"), headers=auth("u-1", role))
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        assert counts(engine)["child"] == 0

    def test_r71_anonymous_upsert_is_401(self, client, engine):
        response = client.put(PUT_URL, json=child_body())
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert counts(engine)["child"] == 0


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"legal_status": "adopted"}, "legal_status"),
            ({"placement_type": "hotel"}, "placement_type"),
            ({"date_of_birth": "14/03/2017"}, "date_of_birth"),
            ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
            ({"court_arena": "perhaps"}, "court_arena"),
            ({"first_name": ""}, "first_name"),
            ({"first_name": "   "}, "first_name"),
            ({"first_name": "x" * 101}, "first_name"),
            ({"social_worker_sub": "has space"}, "social_worker_sub"),
            ({"address_withheld": {"authorised_by": "tm-1"}}, "address_withheld.reason"),
            ({"id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10"}, "id"),
            ({"version": 9}, "version"),
            ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ],
    )
    def test_r70_bad_field_is_422_naming_it_and_writes_nothing(self, client, auth, engine, change, field):
        response = client.put(PUT_URL, json=child_body(**change), headers=auth(*SW))
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 422 and body["type"].endswith(":validation")
        assert field in [error["field"] for error in body["errors"]]
        assert counts(engine) == {"child": 0, "person": 0, "audit_log": 0, "outbox_event": 0}

    def test_r70_missing_required_fields_are_each_named(self, client, auth):
        response = client.put(PUT_URL, json={"first_name": "Amara"}, headers=auth(*SW))
        assert response.status_code == 422
        named = {error["field"] for error in response.json()["errors"]}
        assert {"last_name", "date_of_birth", "legal_status", "social_worker_sub", "area"} <= named

    def test_r70_unknown_area_is_422(self, client, auth, engine):
        response = client.put(PUT_URL, json=child_body(area="east"), headers=auth(*SW))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "area"
        assert counts(engine)["child"] == 0

    def test_r70_unknown_source_is_422_naming_the_path_field(self, client, auth, engine):
        response = client.put("/api/v1/children/carefirst/1", json=child_body(), headers=auth(*SW))
        assert response.status_code == 422
        assert response.json()["errors"][0] == {"field": "source", "location": "path", "message": response.json()["errors"][0]["message"]}
        assert counts(engine)["child"] == 0

    def test_r70_malformed_json_is_422(self, client, auth, engine):
        response = client.put(
            PUT_URL, content=b'{"first_name": "Amara",', headers={**auth(*SW), "Content-Type": "application/json"}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert counts(engine)["child"] == 0

    def test_r70_body_that_is_not_json_is_415(self, client, auth, engine):
        response = client.put(PUT_URL, content=b"first_name=Amara", headers={**auth(*SW), "Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 415
        assert response.json()["errors"][0]["field"] == "content-type"
        assert counts(engine)["child"] == 0

    def test_r70_child_id_that_is_not_a_uuid_is_422(self, client, auth):
        response = client.get("/api/v1/children/not-a-uuid", headers=auth(*SW))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "child_id"


class TestRead:
    def test_r06_allocated_social_worker_reads_the_child(self, client, auth):
        child = make_child(client, auth)
        response = client.get(f"/api/v1/children/{child['id']}", headers=auth(*SW))
        assert response.status_code == 200
        assert response.json()["first_name"] == "Amara"
        assert response.headers["etag"] == '"1"'

    @pytest.mark.parametrize(
        ("sub", "roles", "claims", "status"),
        [
            ("sw-1", ("social_worker",), {}, 200),
            ("fw", ("integration",), {"act_for": "sw-1"}, 200),
            ("tm-1", ("team_manager",), {"team": "north-1"}, 200),
            ("tl-1", ("team_leader",), {}, 200),
            ("sm-1", ("service_manager",), {}, 200),
            ("iro-9", ("iro",), {}, 200),
            ("sw-2", ("social_worker",), {}, 404),
            # a case-record system reads every child of its own source, whoever it acts for.
            ("fw", ("integration",), {"act_for": "sw-2"}, 200),
            ("fw", ("integration",), {}, 200),
            ("mosaic-prod", ("integration",), {"act_for": "sw-1"}, 404),
            ("unbound-system", ("integration",), {"act_for": "sw-1"}, 403),
            ("tm-2", ("team_manager",), {"team": "south-3"}, 404),
            ("tm-3", ("team_manager",), {}, 404),
            ("iro-8", ("iro",), {}, 404),
            ("csw-1", ("contact_support_worker",), {}, 404),
            ("da-1", ("data_analyst",), {}, 403),
            ("ad-1", ("admin",), {}, 403),
        ],
    )
    def test_r06_who_may_read_a_child(self, client, auth, sub, roles, claims, status):
        child = make_child(client, auth, iro_sub="iro-9")
        response = client.get(f"/api/v1/children/{child['id']}", headers=auth(sub, *roles, **claims))
        assert response.status_code == status, response.text
        if status != 200:
            assert response.headers["content-type"] == "application/problem+json"
            assert "Amara" not in response.text

    def test_r06_unknown_child_is_404_problem(self, client, auth):
        response = client.get(f"/api/v1/children/{uuid.uuid4()}", headers=auth("tl-1", "team_leader"))
        assert response.status_code == 404
        assert response.json()["type"].endswith(":not-found")

    def test_r06_hidden_and_missing_children_look_the_same(self, client, auth):
        child = make_child(client, auth)
        hidden = client.get(f"/api/v1/children/{child['id']}", headers=auth("sw-2", "social_worker"))
        missing = client.get(f"/api/v1/children/{uuid.uuid4()}", headers=auth("sw-2", "social_worker"))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()


WITHHELD = {"authorised_by": "tm-0042", "reason": "Risk of abduction."}


class TestWithheldAddress:
    @pytest.mark.parametrize(
        ("sub", "roles", "claims", "sees"),
        [
            ("sw-1", ("social_worker",), {}, True),
            ("tl-1", ("team_leader",), {}, True),
            ("sm-1", ("service_manager",), {}, True),
            ("fw", ("integration",), {"act_for": "sw-1"}, False),
            ("tm-1", ("team_manager",), {"team": "north-1"}, False),
            ("iro-9", ("iro",), {}, False),
        ],
    )
    def test_r08_withheld_address_reaches_only_the_social_worker_and_leaders(self, client, auth, sub, roles, claims, sees):
        child = make_child(client, auth, address_withheld=WITHHELD, iro_sub="iro-9")
        response = client.get(f"/api/v1/children/{child['id']}", headers=auth(sub, *roles, **claims))
        assert response.status_code == 200
        body = response.json()
        assert body["address_withheld"]["authorised_by"] == "tm-0042"
        assert body["address_withheld"]["authorised_at"].endswith("Z")
        if sees:
            assert body["placement_address"] == "12 Elm Road, Arnold, NG5 6AB"
        else:
            assert body["placement_address"] is None
            assert "Elm Road" not in response.text and "NG5" not in response.text

    def test_r08_integration_that_sent_the_address_does_not_get_it_back(self, client, auth):
        headers = auth("fw", "integration", act_for="sw-1")
        response = client.put(PUT_URL, json=child_body(address_withheld=WITHHELD), headers=headers)
        assert response.status_code == 201
        assert response.json()["placement_address"] is None
        assert "Elm Road" not in response.text

    def test_r08_address_not_withheld_is_shown_to_readers(self, client, auth):
        child = make_child(client, auth)
        response = client.get(f"/api/v1/children/{child['id']}", headers=auth("fw", "integration", act_for="sw-1"))
        assert response.json()["placement_address"] == "12 Elm Road, Arnold, NG5 6AB"
        assert response.json()["address_withheld"] is None

    def test_r08_withheld_address_never_reaches_events(self, client, auth):
        make_child(client, auth, address_withheld=WITHHELD)
        client.put(PUT_URL, json=child_body(address_withheld=WITHHELD, placement_address="3 Oak Lane, NG7 1AA"), headers=auth(*SW))
        feed = client.get("/api/v1/events", headers=auth("sm-1", "service_manager"))
        assert feed.status_code == 200
        assert [e["type"] for e in feed.json()["items"]] == ["child.created", "child.updated"]
        assert "Elm Road" not in feed.text and "Oak Lane" not in feed.text and "NG7" not in feed.text
        assert feed.json()["items"][1]["data"]["changed"] == ["placement_address"]

    def test_r08_lifting_the_withholding_records_it(self, client, auth):
        child = make_child(client, auth, address_withheld=WITHHELD)
        lifted = client.put(PUT_URL, json=child_body(address_withheld=None, lifted_reason="Risk reviewed."), headers=auth(*SW))
        assert lifted.status_code == 200
        assert lifted.json()["address_withheld"] is None
        shown = client.get(f"/api/v1/children/{child['id']}", headers=auth("fw", "integration", act_for="sw-1"))
        assert shown.json()["placement_address"] == "12 Elm Road, Arnold, NG5 6AB"


PERSON = {"first_name": "Grace", "last_name": "Okafor", "relationship": "mum"}


class TestPeople:
    def test_r09_social_worker_adds_and_lists_the_network(self, client, auth, engine):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        mum = client.post(url, json={**PERSON, "risk_flags": [{"factor": "substance_misuse", "note": "In recovery."}]}, headers=auth(*SW))
        assert mum.status_code == 201, mum.text
        assert mum.json()["relationship"] == "mum"
        assert mum.json()["risk_flags"] == [{"factor": "substance_misuse", "note": "In recovery."}]
        dad = client.post(url, json={**PERSON, "first_name": "Sam", "relationship": "dad"}, headers=auth("fw", "integration", act_for="sw-1"))
        assert dad.status_code == 201
        listed = client.get(url, headers=auth("tl-1", "team_leader"))
        assert listed.status_code == 200
        assert [p["first_name"] for p in listed.json()["items"]] == ["Grace", "Sam"]
        assert listed.json()["next_cursor"] is None
        with Session(engine) as session:
            assert session.execute(select(func.count()).select_from(Person)).scalar_one() == 2

    def test_r62_people_list_pages_by_cursor_without_repeats(self, client, auth):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        for n in range(5):
            assert client.post(url, json={**PERSON, "first_name": f"P{n}", "relationship": "sibling"}, headers=auth(*SW)).status_code == 201
        seen, cursor = [], None
        while True:
            params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get(url, params=params, headers=auth(*SW)).json()
            assert len(page["items"]) <= 2
            seen += [p["first_name"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["P0", "P1", "P2", "P3", "P4"]

    @pytest.mark.parametrize(("params", "field"), [({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor"), ({"cursor": "%%%"}, "cursor")])
    def test_r62_bad_paging_is_422_naming_the_parameter(self, client, auth, params, field):
        child = make_child(client, auth)
        response = client.get(f"/api/v1/children/{child['id']}/people", params=params, headers=auth(*SW))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == field

    def test_r09_same_external_id_twice_is_409_naming_the_existing_person(self, client, auth, engine):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        first = client.post(url, json={**PERSON, "external_id": "P-1"}, headers=auth(*SW))
        before = counts(engine)
        second = client.post(url, json={**PERSON, "external_id": "P-1"}, headers=auth(*SW))
        assert second.status_code == 409
        assert second.json()["existing_id"] == first.json()["id"]
        assert counts(engine) == before

    def test_r09_other_relationship_needs_detail(self, client, auth, engine):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        response = client.post(url, json={**PERSON, "relationship": "other"}, headers=auth(*SW))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "relationship_detail"
        ok = client.post(url, json={**PERSON, "relationship": "other", "relationship_detail": "aunt"}, headers=auth(*SW))
        assert ok.status_code == 201

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({**PERSON, "relationship": "uncle"}, "relationship"),
            ({**PERSON, "risk_flags": [{"factor": "gambling"}]}, "risk_flags.0.factor"),
            ({**PERSON, "id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10"}, "id"),
            ({**PERSON, "child_id": "0b9f7a52-6f55-4b8e-9d3c-3c1f3e7f2a10"}, "child_id"),
        ],
    )
    def test_r70_bad_person_is_422_and_writes_nothing(self, client, auth, engine, body, field):
        child = make_child(client, auth)
        before = counts(engine)
        response = client.post(f"/api/v1/children/{child['id']}/people", json=body, headers=auth(*SW))
        assert response.status_code == 422
        assert field in [e["field"] for e in response.json()["errors"]]
        assert counts(engine) == before

    def test_r06_people_of_someone_elses_child_are_404(self, client, auth, engine):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        assert client.post(url, json=PERSON, headers=auth("sw-2", "social_worker")).status_code == 404
        assert client.get(url, headers=auth("sw-2", "social_worker")).status_code == 404
        assert counts(engine)["person"] == 0

    def test_r06_team_leader_may_read_but_not_add_people(self, client, auth):
        child = make_child(client, auth)
        url = f"/api/v1/children/{child['id']}/people"
        assert client.post(url, json=PERSON, headers=auth("tl-1", "team_leader")).status_code == 403
        assert client.get(url, headers=auth("tl-1", "team_leader")).status_code == 200
