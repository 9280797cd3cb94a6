"""The role matrix (R-06, R-80), in one place: for every operation of the OpenAPI document,
the outcome for each of the nine roles on their own row, on another's row and on a row of
another source, run through HTTP.

Outcomes: `o` the caller gets past access (whatever the operation then answers: the
requests are built to fail validation after access where they would otherwise change who
may see what); `3` a 403; `4` the row is hidden: the answer is exactly the one for an id
that does not exist (a 404 for a path, the same 422 for an id in the body), so nothing is
learnt about rows the caller may not know exist.

The rows: `own` is child A (framework, social worker sw-1, team north-1, IRO iro-1, its
session supervised by csw-1); `other` is child B (framework, sw-2, team south-3, csw-2);
`foreign` is child C, allocated like A but mirrored from Mosaic, so it differs from A only
for the Framework-i integration. A new endpoint without a row here fails
`test_r06_every_operation_has_a_row_in_the_matrix`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.security import mint_local_token
from tests.conftest import child_body, clean_database
from tests.core.test_access_layer import PUBLIC
from tests.helpers import at, make_deliveries, sign_agreement

ROLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "sw": ("sw-1", "social_worker", {"team": "north-1"}),
    "tm": ("tm-1", "team_manager", {"team": "north-1"}),
    "tl": ("tl-1", "team_leader", {}),
    "csw": ("csw-1", "contact_support_worker", {}),
    "sm": ("sm-1", "service_manager", {}),
    "iro": ("iro-1", "iro", {}),
    "da": ("da-1", "data_analyst", {}),
    "int": ("fw", "integration", {"act_for": "sw-1"}),
    "adm": ("admin-1", "admin", {}),
}
ROWS = ("own", "other", "foreign")
BUILT_AT = "2027-03-01T09:00:00+00:00"  # a Monday; the sessions are on Tuesday afternoon
RUN_AT = "2027-03-03T09:00:00+00:00"

CHILD_READERS = {"sw": "o4o", "tm": "o4o", "tl": "ooo", "csw": "o4o", "sm": "ooo", "iro": "o4o", "int": "oo4"}
EVERYONE = {role: "ooo" for role in ROLES}


def only(**roles: str) -> dict[str, str]:
    return roles


@dataclass(frozen=True)
class Op:
    expect: dict[str, str]
    body: Callable[[dict[str, str], str], Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # Runs before each call; may answer ids to use instead of the row's (a fresh row to delete).
    prepare: Callable[[TestClient, dict[str, str]], dict[str, str] | None] | None = None
    body_ref: bool = False  # the row is named in the body, not the path


def reissue_feed_token(client: TestClient, ids: dict[str, str]) -> None:
    client.post(f"/api/v1/staff/{ids['sub']}/timetable/feed-token", headers=token("tl"))


HOOK_OWNERS = {"framework": "framework-prod", "mosaic": "mosaic-prod"}  # integrations other than `fw`


def subscribe(client: TestClient, owner: str) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {mint_local_token(_settings, owner, ['integration'])}"}
    response = client.post("/api/v1/webhooks", json={"url": "https://receiver.example.org/hooks", "event_types": ["*"]}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def fresh_webhook(client: TestClient, ids: dict[str, str]) -> dict[str, str]:
    """A subscription of the row's source to delete, so each role deletes one of its own."""
    return {"webhook_id": subscribe(client, HOOK_OWNERS[ids["source"]])["id"]}


def reversed_times(ids: dict[str, str], role: str) -> dict[str, Any]:
    """A booking body that passes access and then fails validation (ends before it starts)."""
    return {
        "arrangement_id": ids["arrangement_id"], "room_id": ids["room_id"], "csw_sub": "csw-1",
        "starts_at": "2027-03-10T17:00:00Z", "ends_at": "2027-03-10T16:00:00Z",
    }


EMPTY = lambda ids, role: {}  # noqa: E731 - a body every write refuses after access, as 422

MATRIX: dict[tuple[str, str], Op] = {
    # children
    ("PUT", "/api/v1/children/{source}/{external_id}"): Op(
        only(sw="o4o", tl="ooo", int="oo4"), lambda ids, role: child_body(social_worker_sub="sw-1", area="nowhere")
    ),
    ("GET", "/api/v1/children/{child_id}"): Op(CHILD_READERS),
    ("GET", "/api/v1/children/by-key/{source}/{external_id}"): Op(CHILD_READERS),
    ("POST", "/api/v1/children/{child_id}/people"): Op(only(sw="o4o", int="oo4"), EMPTY),
    ("GET", "/api/v1/children/{child_id}/people"): Op(CHILD_READERS),
    ("GET", "/api/v1/children/{child_id}/referrals"): Op(only(sw="o4o", tm="o4o", tl="ooo", sm="ooo", int="oo4")),
    ("GET", "/api/v1/children/{child_id}/arrangements"): Op(CHILD_READERS),
    # referrals
    ("POST", "/api/v1/referrals"): Op(
        only(sw="o4o", int="o44"),
        lambda ids, role: {
            "child_id": ids["child_id"], "people": [str(uuid.uuid4())], "purpose": ["relationships"], "level": "supervised",
            "frequency": {"times": 1, "per": "week"}, "duration_minutes": 60,
            "risk_assessment": {"factors": [{"factor": "other", "level": "low", "note": "None known."}]},
        },
        body_ref=True,
    ),
    ("GET", "/api/v1/referrals/queue"): Op(only(tl="ooo", sm="ooo")),
    ("GET", "/api/v1/referrals/{referral_id}"): Op(only(sw="o4o", tm="o4o", tl="ooo", sm="ooo", int="oo4")),
    ("POST", "/api/v1/referrals/{referral_id}/approval"): Op(only(tm="o4o")),
    ("POST", "/api/v1/referrals/{referral_id}/submit"): Op(only(sw="o4o", int="oo4")),
    ("POST", "/api/v1/referrals/{referral_id}/triage"): Op(only(tl="ooo")),
    ("POST", "/api/v1/referrals/{referral_id}/decision"): Op(only(tl="ooo"), EMPTY),
    ("POST", "/api/v1/referrals/{referral_id}/withdraw"): Op(only(sw="o4o", int="oo4"), EMPTY),
    ("GET", "/api/v1/calendar/due"): Op(EVERYONE),
    # arrangements
    ("GET", "/api/v1/arrangements/{arrangement_id}"): Op(CHILD_READERS),
    ("GET", "/api/v1/arrangements/{arrangement_id}/attendance"): Op(CHILD_READERS),
    ("GET", "/api/v1/arrangements/{arrangement_id}/sessions"): Op(CHILD_READERS),  # a CSW lists their own
    ("GET", "/api/v1/arrangements/{arrangement_id}/records"): Op(CHILD_READERS),  # metadata only
    ("GET", "/api/v1/arrangements/{arrangement_id}/transport-requests"): Op(
        only(sw="o4o", tm="o4o", tl="ooo", csw="o4o", sm="ooo", int="oo4")
    ),
    ("POST", "/api/v1/arrangements/{arrangement_id}/resume"): Op(only(tl="ooo", sm="ooo")),  # active, so a 409 after access
    ("POST", "/api/v1/arrangements/{arrangement_id}/close"): Op(only(tl="ooo", sm="ooo"), EMPTY),
    # written agreements and breaches: each row's agreement is signed
    ("PUT", "/api/v1/arrangements/{arrangement_id}/agreement"): Op(only(sw="o4o", tl="ooo"), EMPTY),
    ("GET", "/api/v1/arrangements/{arrangement_id}/agreement"): Op(CHILD_READERS),
    ("POST", "/api/v1/arrangements/{arrangement_id}/agreement/signatures"): Op(only(sw="o4o", tl="ooo"), EMPTY),
    ("POST", "/api/v1/arrangements/{arrangement_id}/breaches"): Op(
        only(tl="ooo", csw="o4o"),
        # past access, then refused: it happened in the future
        lambda ids, role: {"severity": "serious", "description": "Left early.", "session_id": ids["session_id"], "occurred_at": "2099-01-01T00:00:00Z"},
    ),
    ("GET", "/api/v1/arrangements/{arrangement_id}/breaches"): Op(CHILD_READERS),
    # restrictions and the s34 application: each row has a `restrict` on it
    ("POST", "/api/v1/arrangements/{arrangement_id}/restrictions"): Op(
        only(sm="ooo", tl="ooo"),
        # an emergency (so a team leader may), refused after access: it ends before it starts
        lambda ids, role: {"kind": "suspend", "reason": "Assessment.", "starts_on": "2027-03-01", "ends_on": "2027-02-01", "emergency": True},
    ),
    ("GET", "/api/v1/arrangements/{arrangement_id}/restrictions"): Op(CHILD_READERS),
    ("POST", "/api/v1/restrictions/{restriction_id}/notices"): Op(only(sm="ooo", tl="ooo"), EMPTY),
    ("POST", "/api/v1/arrangements/{arrangement_id}/s34-application"): Op(only(sm="ooo", sw="o4o"), EMPTY),
    # reviews
    ("POST", "/api/v1/arrangements/{arrangement_id}/reviews"): Op(only(tl="ooo"), EMPTY),
    ("GET", "/api/v1/arrangements/{arrangement_id}/reviews"): Op(CHILD_READERS),
    ("GET", "/api/v1/reviews/due"): Op(only(tl="ooo", sm="ooo")),
    ("GET", "/api/v1/flags"): Op(only(tl="ooo", sm="ooo")),
    # disputes: each row has one raised
    ("POST", "/api/v1/arrangements/{arrangement_id}/disputes"): Op(only(sw="o4o", tl="ooo", sm="ooo"), EMPTY),
    ("POST", "/api/v1/disputes/{dispute_id}/steps"): Op(only(sw="o4o", tl="ooo", sm="ooo"), EMPTY),
    ("GET", "/api/v1/disputes/{dispute_id}"): Op(only(sw="o4o", tl="ooo", sm="ooo")),
    # venues, rooms, staff
    ("POST", "/api/v1/venues"): Op(only(adm="ooo"), EMPTY),
    ("POST", "/api/v1/venues/{venue_id}/rooms"): Op(only(adm="ooo"), EMPTY),
    ("PUT", "/api/v1/staff/{sub}"): Op(only(adm="ooo"), EMPTY),
    # sessions
    ("POST", "/api/v1/sessions"): Op(only(tl="ooo", csw="o4o"), reversed_times, body_ref=True),
    ("GET", "/api/v1/sessions/{session_id}"): Op(CHILD_READERS),
    ("POST", "/api/v1/sessions/{session_id}/cancel"): Op(only(tl="ooo", csw="o4o", sw="o4o"), EMPTY),
    ("POST", "/api/v1/sessions/{session_id}/move"): Op(only(tl="ooo", csw="o4o"), reversed_times),
    ("GET", "/api/v1/availability"): Op(only(tl="ooo", csw="ooo")),
    # timetables: the rows are csw-1 (own), csw-2 and csw-3
    ("GET", "/api/v1/staff/{sub}/timetable"): Op(only(tl="ooo", sm="ooo", csw="o33")),
    ("GET", "/api/v1/staff/{sub}/timetable.ics"): Op(only(tl="ooo", sm="ooo", csw="o33")),
    ("POST", "/api/v1/staff/{sub}/timetable/feed-token"): Op(only(tl="ooo", csw="o33")),
    ("DELETE", "/api/v1/staff/{sub}/timetable/feed-token"): Op(only(tl="ooo", csw="o33"), prepare=reissue_feed_token),
    # visits
    ("POST", "/api/v1/sessions/{session_id}/visits"): Op(only(tl="ooo", csw="o4o"), EMPTY),
    ("POST", "/api/v1/sessions/{session_id}/visits/{visit_id}/sign-out"): Op(only(tl="ooo", csw="o4o"), EMPTY),
    ("GET", "/api/v1/sessions/{session_id}/visits"): Op(CHILD_READERS),
    # transport and expenses
    ("POST", "/api/v1/transport-requests"): Op(
        only(sw="o4o", tl="ooo"),
        lambda ids, role: {"session_id": ids["session_id"], "legs": ["to_venue"], "pickup_address": "The placement", "reason": "Carer works.", "evidence": "Rota."},
        body_ref=True,
    ),
    ("GET", "/api/v1/transport-requests/{request_id}"): Op(only(sw="o4o", tm="o4o", tl="ooo", csw="o4o", sm="ooo", int="oo4")),
    ("POST", "/api/v1/transport-requests/{request_id}/decision"): Op(only(tl="ooo"), EMPTY),
    ("POST", "/api/v1/transport-requests/{request_id}/driver"): Op(only(tl="ooo"), EMPTY),
    ("POST", "/api/v1/transport-requests/{request_id}/cancel"): Op(only(sw="o4o", tl="ooo"), EMPTY),
    ("POST", "/api/v1/drivers"): Op(only(adm="ooo", tl="ooo"), EMPTY),
    ("GET", "/api/v1/drivers/{driver_id}/journeys"): Op(only(tl="ooo")),
    ("POST", "/api/v1/expenses"): Op(
        only(sw="o4o", tl="ooo"),
        lambda ids, role: {"arrangement_id": ids["arrangement_id"], "person_id": str(uuid.uuid4()), "amount_pence": 100, "purpose": "Bus fare", "incurred_on": "2027-03-01"},
        body_ref=True,
    ),
    ("POST", "/api/v1/expenses/{expense_id}/approval"): Op(only(tl="ooo"), EMPTY),
    ("GET", "/api/v1/expenses/totals"): Op(only(tl="ooo", sm="ooo")),
    # session records: each row's session has a submitted record
    ("PUT", "/api/v1/sessions/{session_id}/record"): Op(only(csw="o4o"), EMPTY),
    ("POST", "/api/v1/sessions/{session_id}/record/check"): Op(only(csw="o4o"), EMPTY),
    ("POST", "/api/v1/sessions/{session_id}/record/submit"): Op(only(csw="o4o")),
    ("POST", "/api/v1/sessions/{session_id}/record/amendments"): Op(only(csw="o4o", tl="ooo"), EMPTY),
    ("GET", "/api/v1/sessions/{session_id}/record"): Op(CHILD_READERS),
    ("GET", "/api/v1/sessions/{session_id}/record.pdf"): Op(CHILD_READERS),
    ("GET", "/api/v1/records/overdue"): Op(only(tl="ooo", sm="ooo")),
    # court documents: the bundle for the child's social worker, team leaders and service
    # managers; any caller checks a copy (here an empty body: a 422 after access)
    ("GET", "/api/v1/arrangements/{arrangement_id}/bundle.pdf"): Op(only(sw="o4o", tl="ooo", sm="ooo")),
    ("POST", "/api/v1/documents/verify"): Op(EVERYONE),
    # change feed and audit
    ("GET", "/api/v1/events"): Op(only(int="ooo", sm="ooo")),
    ("GET", "/api/v1/audit"): Op(only(sm="ooo")),
    # exports: whole datasets, pseudonymised for the data analyst
    ("GET", "/api/v1/exports"): Op(only(da="ooo", sm="ooo")),
    ("GET", "/api/v1/exports/{dataset}.csv"): Op(only(da="ooo", sm="ooo")),
    ("GET", "/api/v1/exports/{dataset}.ndjson"): Op(only(da="ooo", sm="ooo")),
    # reports: aggregates, no row of anyone's
    ("GET", "/api/v1/reports/{report}"): Op(only(da="ooo", sm="ooo", tl="ooo")),
    ("GET", "/api/v1/reports/{report}.csv"): Op(only(da="ooo", sm="ooo", tl="ooo")),
    ("GET", "/api/v1/reports/{report}.svg"): Op(only(da="ooo", sm="ooo", tl="ooo")),
    # webhooks: each row's source has a subscription with a delivery; `fw` is Framework's
    ("POST", "/api/v1/webhooks"): Op(only(int="ooo", adm="ooo"), EMPTY),
    ("GET", "/api/v1/webhooks"): Op(only(int="ooo", adm="ooo")),
    ("GET", "/api/v1/webhooks/{webhook_id}"): Op(only(int="oo4", adm="ooo")),
    ("POST", "/api/v1/webhooks/{webhook_id}/secret"): Op(only(int="oo4", adm="ooo")),
    ("POST", "/api/v1/webhooks/{webhook_id}/enable"): Op(only(int="oo4", adm="ooo")),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): Op(only(int="oo4", adm="ooo")),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry"): Op(only(int="oo4", adm="ooo")),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Op(only(int="oo4", adm="ooo"), prepare=fresh_webhook),
}

_settings: Any = None


def token(role: str) -> dict[str, str]:
    sub, name, claims = ROLES[role]
    return {"Authorization": f"Bearer {mint_local_token(_settings, sub, [name], **claims)}"}


class World:
    """Builds the three rows through the API, as the people who would."""

    def __init__(self, client: TestClient):
        self.client = client

    def ok(self, method: str, url: str, role: str, *, sub: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = token(role) if sub is None else {"Authorization": f"Bearer {mint_local_token(_settings, sub, [ROLES[role][1]], **{**ROLES[role][2], **({'team': 'south-3'} if sub == 'sw-2' else {})})}"}
        response = self.client.request(method, url, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)
        assert response.status_code in (200, 201), (method, url, response.text)
        return response.json()

    def build(self) -> dict[str, dict[str, str]]:
        with at(BUILT_AT):
            venue = self.ok("POST", "/api/v1/venues", "adm", json={"name": "Mansfield", "area": "north"})
            hours = [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]
            for csw in ("csw-1", "csw-2", "csw-3"):
                self.ok("PUT", f"/api/v1/staff/{csw}", "adm", json={"name": "Jo", "role": "contact_support_worker", "area": "north", "working_hours": hours})
            driver = self.ok("POST", "/api/v1/drivers", "tl", json={"name": "Pat", "dbs_checked_on": "2025-01-10", "dbs_expires_on": "2029-01-10"})
            hooks = {"own": subscribe(self.client, "fw"), "other": subscribe(self.client, "framework-prod"), "foreign": subscribe(self.client, "mosaic-prod")}
            rows = {
                "own": self.row(venue, "framework", "A-1", "sw-1", "north-1", "iro-1", "csw-1", "16:00", "16:45"),
                "other": self.row(venue, "framework", "B-1", "sw-2", "south-3", None, "csw-2", "16:00", "16:45"),
                "foreign": self.row(venue, "mosaic", "C-1", "sw-1", "north-1", "iro-1", "csw-1", "17:30", "18:15"),
            }
        with at("2027-03-02T19:00:00+00:00"):
            for row in rows.values():
                self.record(row)
        for row, sub in zip(rows.values(), ("csw-1", "csw-2", "csw-3"), strict=True):
            row.update(venue_id=venue["id"], driver_id=driver["id"], sub=sub, dataset="sessions")
            row.update(report="breaches")  # a report name for `{report}`
        deliveries = make_deliveries(self.client.app.state.engine)  # type: ignore[attr-defined]
        for name, hook in hooks.items():
            rows[name].update(webhook_id=hook["id"], delivery_id=deliveries[hook["id"]])
        return rows

    def row(self, venue, source, key, sw, team, iro, csw, starts, ends) -> dict[str, str]:  # type: ignore[no-untyped-def]
        child = self.ok("PUT", f"/api/v1/children/{source}/{key}", "tl", json=child_body(social_worker_sub=sw, team=team, iro_sub=iro))
        mum = self.ok("POST", f"/api/v1/children/{child['id']}/people", "sw", sub=sw, json={"first_name": "Grace", "last_name": "Okafor", "relationship": "mum"})
        referral = self.ok("POST", "/api/v1/referrals", "sw", sub=sw, json={
            "child_id": child["id"], "people": [mum["id"]], "purpose": ["relationships"], "level": "supervised",
            "frequency": {"times": 1, "per": "week"}, "duration_minutes": 45,
            "risk_assessment": {"factors": [{"factor": "other", "level": "low", "note": "None known."}]},
        })
        manager = "tm-1" if team == "north-1" else "tm-2"
        self.client.post(f"/api/v1/referrals/{referral['id']}/approval", headers={"Authorization": f"Bearer {mint_local_token(_settings, manager, ['team_manager'], team=team)}"})
        self.ok("POST", f"/api/v1/referrals/{referral['id']}/submit", "sw", sub=sw)
        decided = self.ok("POST", f"/api/v1/referrals/{referral['id']}/decision", "tl", json={"outcome": "accepted_core", "reason": "Care proceedings."})
        sign_agreement(self.client, token("tl"), decided["arrangement_id"], [mum])
        room = self.ok("POST", f"/api/v1/venues/{venue['id']}/rooms", "adm", json={"name": f"Room {key}", "capacity": 6})
        session = self.ok("POST", "/api/v1/sessions", "tl", json={
            "arrangement_id": decided["arrangement_id"], "room_id": room["id"], "csw_sub": csw,
            "starts_at": f"2027-03-02T{starts}:00Z", "ends_at": f"2027-03-02T{ends}:00Z",
        })
        transport = self.ok("POST", "/api/v1/transport-requests", "sw", sub=sw, json={
            "session_id": session["id"], "legs": ["to_venue"], "pickup_address": "The placement", "reason": "Carer works.", "evidence": "Rota.",
        })
        expense = self.ok("POST", "/api/v1/expenses", "sw", sub=sw, json={
            "arrangement_id": decided["arrangement_id"], "person_id": mum["id"], "amount_pence": 640, "purpose": "Bus fare", "incurred_on": "2027-03-01",
        })
        restriction = self.ok("POST", f"/api/v1/arrangements/{decided['arrangement_id']}/restrictions", "sm", json={
            "kind": "restrict", "reason": "Fewer sessions for now.", "starts_on": "2027-03-01", "changes": {"frequency": "fortnightly"},
        })
        dispute = self.ok("POST", f"/api/v1/arrangements/{decided['arrangement_id']}/disputes", "tl", json={"concern": "Frequency."})
        return {
            "dispute_id": dispute["id"],
            "source": source, "external_id": key, "child_id": child["id"], "referral_id": referral["id"],
            "arrangement_id": decided["arrangement_id"], "room_id": room["id"], "session_id": session["id"],
            "request_id": transport["id"], "expense_id": expense["id"], "csw": csw, "restriction_id": restriction["id"],
        }

    def record(self, row: dict[str, str]) -> None:
        csw = {"Authorization": f"Bearer {mint_local_token(_settings, row['csw'], ['contact_support_worker'])}"}
        visit = self.client.post(f"/api/v1/sessions/{row['session_id']}/visits", json={"visitor_name": "Interpreter", "identity_checked": True, "signed_in_at": "2027-03-02T15:55:00Z"}, headers=csw)
        assert visit.status_code == 201, visit.text
        row["visit_id"] = visit.json()["id"]
        draft = self.client.put(
            f"/api/v1/sessions/{row['session_id']}/record", json={"went_ahead": True, "observations": "Warm and relaxed."},
            headers={**csw, "Idempotency-Key": f"matrix-{row['session_id']}"},
        )
        assert draft.status_code == 201, draft.text
        submitted = self.client.post(f"/api/v1/sessions/{row['session_id']}/record/submit", headers={**csw, "If-Match": draft.headers["etag"]})
        assert submitted.status_code == 200, submitted.text


def ghost(ids: dict[str, str]) -> dict[str, str]:
    """The same row's ids, each replaced by one that does not exist."""
    out = {k: str(uuid.uuid4()) for k in ids}
    return {**out, "source": ids["source"], "external_id": "GHOST-1", "sub": "ghost-csw", "room_id": ids["room_id"]}


@pytest.fixture(scope="module")
def world(app, settings) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    global _settings
    _settings = settings
    clean_database(app.state.engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, World(client).build()
    clean_database(app.state.engine)


def call(client: TestClient, method: str, path: str, op: Op, ids: dict[str, str], role: str):  # type: ignore[no-untyped-def]
    if op.prepare is not None:
        ids = {**ids, **(op.prepare(client, ids) or {})}
    url = path
    for name, value in ids.items():
        url = url.replace("{" + name + "}", value)
    body = op.body(ids, role) if op.body is not None else None
    return client.request(method, url, json=body, headers={**token(role), **op.headers})


def outcome(response, unknown, body_ref: bool) -> str:  # type: ignore[no-untyped-def]
    if response.status_code in (401, 403):
        return {401: "1", 403: "3"}[response.status_code]
    if response.status_code == 404 or (body_ref and response.status_code == 422 and response.json() == unknown.json()):
        return "4"
    return "o"


@pytest.mark.parametrize(("method", "path"), list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_r06_r80_role_matrix(world, method, path):
    client, rows = world
    op = MATRIX[(method, path)]
    got: dict[str, str] = {}
    leaks: list[str] = []
    with at(RUN_AT):
        for role in ROLES:
            marks = ""
            for row in ROWS:
                response = call(client, method, path, op, rows[row], role)
                unknown = call(client, method, path, op, ghost(rows[row]), role)
                mark = outcome(response, unknown, op.body_ref)
                if mark == "4" and response.status_code == 404 and unknown.status_code == 404 and response.json() != unknown.json():
                    leaks.append(f"{role} on {row}: {response.text} differs from {unknown.text}")
                marks += mark
            got[role] = marks
    expected = {role: op.expect.get(role, "333") for role in ROLES}
    assert got == expected
    assert leaks == []


def test_r06_every_operation_has_a_row_in_the_matrix(app):
    operations = {
        (method.upper(), path)
        for path, items in app.openapi()["paths"].items()
        for method in items
        if method in ("get", "put", "post", "delete", "patch")
    }
    assert operations - set(MATRIX) - PUBLIC == set(), "add the new operation's row to MATRIX"
    assert set(MATRIX) - operations == set()
