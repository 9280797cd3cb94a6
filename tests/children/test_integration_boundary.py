"""The integration boundary through HTTP: a case-record system is bound to its own source
(R-80), and mirroring never erases what the mirror cannot see (R-81)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Child
from app.core.audit import AuditEntry
from tests.children.test_router import PUT_URL, counts, make_child
from tests.conftest import child_body

ADDRESS = "12 Elm Road, Arnold, NG5 6AB"
WITHHELD = {"authorised_by": "tm-0042", "reason": "Risk of abduction by father."}
UPSERT_FIELDS = (
    "first_name", "last_name", "date_of_birth", "legal_status", "court_arena", "placement_type",
    "placement_address", "address_withheld", "social_worker_sub", "team", "iro_sub", "area",
)


def framework(auth, act_for="sw-1"):
    return auth("fw", "integration", **({"act_for": act_for} if act_for else {}))


def mosaic(auth, act_for="sw-9"):
    return auth("mosaic-prod", "integration", **({"act_for": act_for} if act_for else {}))


def stored(engine, child_id) -> Child:
    with Session(engine) as session:
        child = session.execute(select(Child).where(Child.external_id == "123456")).scalar_one()
        session.expunge(child)
        return child


class TestBoundToItsSource:
    def test_r80_another_sources_system_cannot_take_over_a_child_and_writes_nothing(self, client, auth, engine):
        child = make_child(client, auth, address_withheld=WITHHELD)
        before = counts(engine)
        taken = client.put(
            PUT_URL,
            json=child_body(first_name="Renamed", social_worker_sub="sw-9", placement_address=None),
            headers=mosaic(auth),
        )
        assert taken.status_code == 404, taken.text
        assert taken.json()["type"].endswith(":not-found")
        assert counts(engine) == before
        kept = stored(engine, child["id"])
        assert (kept.first_name, kept.social_worker_sub, kept.placement_address, kept.address_withheld) == (
            "Amara", "sw-1", ADDRESS, True,
        )
        assert client.get(f"/api/v1/children/{child['id']}", headers=auth("sw-1", "social_worker")).status_code == 200

    def test_r80_another_sources_child_is_404_alike_whether_or_not_it_exists(self, client, auth):
        child = make_child(client, auth)
        read = client.get(f"/api/v1/children/{child['id']}", headers=mosaic(auth))
        missing = client.get("/api/v1/children/00000000-0000-4000-8000-000000000000", headers=mosaic(auth))
        assert read.status_code == missing.status_code == 404
        assert read.json() == missing.json()
        created = client.put("/api/v1/children/framework/999", json=child_body(social_worker_sub="sw-9"), headers=mosaic(auth))
        existing = client.put(PUT_URL, json=child_body(social_worker_sub="sw-9"), headers=mosaic(auth))
        assert created.status_code == existing.status_code == 404
        assert created.json() == existing.json()

    def test_r80_its_own_source_it_creates_reads_and_may_reallocate(self, client, auth):
        created = client.put("/api/v1/children/mosaic/M-1", json=child_body(social_worker_sub="sw-9"), headers=mosaic(auth))
        assert created.status_code == 201, created.text
        child = make_child(client, auth)
        moved = client.put(PUT_URL, json=child_body(social_worker_sub="sw-2"), headers=framework(auth, act_for="sw-7"))
        assert moved.status_code == 200, moved.text
        assert moved.json()["social_worker_sub"] == "sw-2"
        assert client.get(f"/api/v1/children/{child['id']}", headers=auth("sw-1", "social_worker")).status_code == 404
        assert client.get(f"/api/v1/children/{child['id']}", headers=auth("sw-2", "social_worker")).status_code == 200

    def test_r80_writes_need_act_for_reads_and_the_feed_do_not(self, client, auth, engine):
        child = make_child(client, auth)
        before = counts(engine)
        write = client.put(PUT_URL, json=child_body(area="south"), headers=framework(auth, act_for=None))
        assert write.status_code == 403 and "act_for" in write.json()["detail"]
        assert counts(engine) == before
        assert client.get(f"/api/v1/children/{child['id']}", headers=framework(auth, act_for=None)).status_code == 200
        assert client.get("/api/v1/events", headers=framework(auth, act_for=None)).status_code == 200

    def test_r80_an_integration_bound_to_no_source_is_refused(self, client, auth):
        child = make_child(client, auth)
        response = client.get(f"/api/v1/children/{child['id']}", headers=auth("stranger", "integration", act_for="sw-1"))
        assert response.status_code == 403
        assert "INTEGRATION_SOURCES" in response.json()["detail"]

    def test_r80_the_change_feed_shows_an_integration_only_its_own_sources_events(self, client, auth):
        ours = make_child(client, auth)
        theirs = client.put("/api/v1/children/mosaic/M-1", json=child_body(social_worker_sub="sw-9"), headers=mosaic(auth)).json()
        client.post(f"/api/v1/children/{theirs['id']}/people", json={"first_name": "Jo", "last_name": "Ray", "relationship": "dad"}, headers=mosaic(auth))

        def children_in_feed(headers) -> set[str]:
            items = client.get("/api/v1/events", headers=headers).json()["items"]
            return {item["data"]["child_id"] for item in items}

        assert children_in_feed(framework(auth, act_for=None)) == {ours["id"]}
        assert children_in_feed(mosaic(auth, act_for=None)) == {theirs["id"]}
        assert children_in_feed(auth("sm-1", "service_manager")) == {ours["id"], theirs["id"]}


class TestMirroringNeverErases:
    def test_r81_read_then_put_back_five_times_keeps_address_and_flag(self, client, auth, engine):
        child = make_child(client, auth, address_withheld=WITHHELD)
        for _ in range(5):
            read = client.get(f"/api/v1/children/{child['id']}", headers=framework(auth))
            assert read.status_code == 200
            assert read.json()["placement_address"] is None  # withheld from the integration
            body = {name: read.json()[name] for name in UPSERT_FIELDS}
            put = client.put(PUT_URL, json=body, headers=framework(auth))
            assert put.status_code == 200, put.text
        kept = stored(engine, child["id"])
        assert (kept.placement_address, kept.address_withheld, kept.address_withheld_reason, kept.version) == (
            ADDRESS, True, WITHHELD["reason"], 1,
        )
        shown = client.get(f"/api/v1/children/{child['id']}", headers=auth("sw-1", "social_worker")).json()
        assert shown["placement_address"] == ADDRESS and shown["address_withheld"]["authorised_by"] == "tm-0042"

    def test_r81_leaving_out_the_address_and_the_flag_keeps_them(self, client, auth, engine):
        make_child(client, auth, address_withheld=WITHHELD)
        body = child_body(area="south")
        del body["placement_address"], body["address_withheld"]
        put = client.put(PUT_URL, json=body, headers=framework(auth))
        assert put.status_code == 200, put.text
        kept = stored(engine, None)
        assert (kept.area, kept.placement_address, kept.address_withheld) == ("south", ADDRESS, True)

    def test_r81_lifting_needs_a_reason_and_writes_nothing_without_one(self, client, auth, engine):
        make_child(client, auth, address_withheld=WITHHELD)
        before = counts(engine)
        lifted = client.put(PUT_URL, json=child_body(address_withheld=None), headers=auth("sw-1", "social_worker"))
        assert lifted.status_code == 422
        assert [e["field"] for e in lifted.json()["errors"]] == ["lifted_reason"]
        assert counts(engine) == before and stored(engine, None).address_withheld is True

    def test_r81_lifting_by_someone_not_allowed_is_403_naming_the_field(self, client, auth, engine):
        make_child(client, auth, address_withheld=WITHHELD)
        before = counts(engine)
        lifted = client.put(
            PUT_URL, json=child_body(address_withheld=None, lifted_reason="Reviewed."), headers=framework(auth, act_for="sw-2")
        )
        assert lifted.status_code == 403
        assert [e["field"] for e in lifted.json()["errors"]] == ["address_withheld"]
        assert counts(engine) == before and stored(engine, None).address_withheld is True

    def test_r81_the_social_workers_system_lifts_it_and_the_lift_is_audited(self, client, auth, engine):
        make_child(client, auth, address_withheld=WITHHELD)
        lifted = client.put(
            PUT_URL, json=child_body(address_withheld=None, lifted_reason="Risk reviewed at LAC review."), headers=framework(auth)
        )
        assert lifted.status_code == 200, lifted.text
        assert lifted.json()["address_withheld"] is None
        with Session(engine) as session:
            entry = session.execute(select(AuditEntry).where(AuditEntry.action == "child.address_withheld_lifted")).scalar_one()
        assert (entry.subject, entry.act_for) == ("fw", "sw-1")
        assert entry.before["address_withheld"] is True and entry.after["address_withheld"] is False
        assert entry.after["address_withheld_lifted_reason"] == "Risk reviewed at LAC review."

    def test_r81_lifted_reason_alone_is_refused(self, client, auth):
        make_child(client, auth, address_withheld=WITHHELD)
        response = client.put(PUT_URL, json=child_body(address_withheld=WITHHELD, lifted_reason="?"), headers=auth("sw-1", "social_worker"))
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["lifted_reason"]
