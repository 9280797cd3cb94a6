"""R-82 through HTTP: every field of `app.freetext.FIELDS` refuses a known full name and the
child's withheld placement address (422 in the R-42 shape, nothing written) and takes
clean text. `PLANTERS` has one entry per field of the table, so a field added to the table
without a way to plant text in it fails `test_r82_every_field_of_the_table_is_planted`.
`tests/transport/test_withheld_everywhere.py` reuses `PLANTERS` to plant everywhere at once.
"""

from __future__ import annotations

import itertools

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from app.freetext import FIELDS, Check
from app.freetext import anonymise
from tests.referrals.conftest import Referrals
from tests.transport.conftest import ADDRESS, WITHHELD, ask, at, world  # noqa: F401 (the fixture)

DURING = "2026-12-04T16:30:00+00:00"  # the amended record's session, 16:00 to 17:30 UTC
AFTER = "2026-12-04T19:00:00+00:00"
LATE = "2026-12-05T18:00:00+00:00"

# Mum's full name, and the withheld address whole, by its street and by its postcode.
REFUSED = {
    "Spoke with Grace Okafor about it.": ("name", "mum"),
    "Collected from 12 Elm Road, Arnold, NG5 6AB.": ("address", "the placement"),
    "Meet at the corner of elm road.": ("address", "the placement"),
    "Near ng5 6ab.": ("postcode", "[postcode removed]"),
}
CLEAN = "Mum asked for it; Amara likes Arnold park."  # first names, a relationship, a town
# Issue 17: every field is held to the stranger rule; every field but a calendar location
# (a place by nature) to the place and institution rules too.
STRANGER = ("Mum's boyfriend Gary Hargreaves asked for it.", ("person", "mum's partner"))
PLACES = {
    "Mum has moved to Hucknall.": ("place", "where they live"),
    "Dad is on the Arnold Lodge rehab programme.": ("institution", "rehab"),
}

Send = Callable[[str], httpx.Response]
# table key -> (the body field a 422 names, a set-up that returns how to send text there)
PLANTERS: dict[str, tuple[str, Callable[..., Send]]] = {}


def plants(key: str, field: str):
    def register(prepare: Callable[..., Send]) -> Callable[..., Send]:
        PLANTERS[key] = (field, prepare)
        return prepare

    return register


@plants("records.amendment.reason", "reason")
def _amendment(client, auth, world) -> Send:
    # A session of its own: submitting its record completes it, and transport needs the others.
    with at():
        booked = world["s"].book(
            arrangement_id=world["arrangement"]["id"], room_id=world["room"]["id"], csw_sub="csw-1",
            starts_at="2026-12-04T16:00:00Z", ends_at="2026-12-04T17:30:00Z",
        )
    assert booked.status_code == 201, booked.text
    world["recorded_session_id"] = booked.json()["id"]
    url = f"/api/v1/sessions/{world['recorded_session_id']}/record"
    draft = {"went_ahead": True, "arrived_at": "2026-12-04T15:58:00Z", "left_at": "2026-12-04T17:29:00Z", "observations": "Amara played."}
    with at(DURING):
        saved = client.put(url, json=draft, headers={**auth("csw-1", "contact_support_worker"), "Idempotency-Key": "key-r82-0001"})
    with at(AFTER):
        submitted = client.post(f"{url}/submit", headers={**auth("csw-1", "contact_support_worker"), "If-Match": '"1"'})
    assert saved.status_code == 201 and submitted.status_code == 200, submitted.text

    sent = itertools.count(1)

    def send(text: str) -> httpx.Response:
        with at(LATE):
            body = {"reason": text, "changes": {"incidents": f"None ({next(sent)})."}}  # an amendment must change something
            etag = client.get(url, headers=auth("csw-1", "contact_support_worker")).headers["etag"]
            return client.post(f"{url}/amendments", json=body, headers={**auth("csw-1", "contact_support_worker"), "If-Match": etag})

    return send


def _decision(field: str) -> Callable[..., Send]:
    def prepare(client, auth, world) -> Send:
        referrals = Referrals(client, auth)
        with at():
            # A child of its own per field, so every planter can run in one test.
            child, people = referrals.child(key=f"r82-{field}", address_withheld=WITHHELD)
            referral = referrals.draft(child, people)
            client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=referrals.tm())
            client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=referrals.sw())
        world["referral_id"] = referral["id"]

        def send(text: str) -> httpx.Response:
            if field == "reason":
                body = {"outcome": "declined", "reason": text}
            else:
                body = {"outcome": "accepted_exceptional", "rationale": text, "review_by": "2027-02-23"}
            with at():
                return referrals.decide(referral, **body)

        return send

    return prepare


plants("referrals.decision.reason", "reason")(_decision("reason"))
plants("referrals.decision.rationale", "rationale")(_decision("rationale"))


def outside(world: dict, location: str) -> dict:
    return {
        "arrangement_id": world["arrangement"]["id"], "room_id": None, "csw_sub": "csw-1",
        "starts_at": "2026-12-03T16:00:00Z", "ends_at": "2026-12-03T17:30:00Z",
        "outside": {"location": location, "exception": "no_outside_space_park_nearby", "risk_note": "Two CSWs."},
    }


@plants("sessions.outside.location", "outside.location")
def _outside(client, auth, world) -> Send:
    def send(text: str) -> httpx.Response:
        with at():
            return world["s"].book(**outside(world, text))

    return send


def _transport(field: str, session: int) -> Callable[..., Send]:
    def prepare(client, auth, world) -> Send:
        # A session of its own per field: a session has one active request at a time.
        return lambda text: ask(client, auth, session_id=world["sessions"][session]["id"], **{field: text})

    return prepare


plants("transport.reason", "reason")(_transport("reason", 0))
plants("transport.evidence", "evidence")(_transport("evidence", 1))


@plants("expenses.purpose", "purpose")
def _expense(client, auth, world) -> Send:
    def send(text: str) -> httpx.Response:
        body = {
            "arrangement_id": world["arrangement"]["id"], "person_id": world["arrangement"]["people"][0]["id"],
            "amount_pence": 640, "purpose": text, "incurred_on": "2026-11-20",
        }
        with at():
            return client.post("/api/v1/expenses", json=body, headers=auth("sw-1", "social_worker"))

    return send


def _agreement(field: str) -> Callable[..., Send]:
    def prepare(client, auth, world) -> Send:
        with at():  # an arrangement of its own, its agreement not yet written
            arrangement = world["s"].arrangement(key=f"r82-{field}", signed=False, address_withheld=WITHHELD)
        people = [{"person_id": person["id"], "role": "parent"} for person in arrangement["people"]]

        def send(text: str) -> httpx.Response:
            body = {"expectations": ["Arrive on time."], "breach_consequences": "Contact may be suspended.", "parties": people}
            body[field] = [text] if field == "expectations" else text
            with at():
                return client.put(f"/api/v1/arrangements/{arrangement['id']}/agreement", json=body, headers=world["s"].tl())

        return send

    return prepare


plants("agreements.expectations", "expectations.0")(_agreement("expectations"))
plants("agreements.breach_consequences", "breach_consequences")(_agreement("breach_consequences"))


@plants("breaches.description", "description")
def _breach(client, auth, world) -> Send:
    def send(text: str) -> httpx.Response:
        body = {"severity": "ordinary", "description": text, "session_id": world["sessions"][0]["id"]}
        with at():
            return client.post(f"/api/v1/arrangements/{world['arrangement']['id']}/breaches", json=body, headers=world["s"].tl())

    return send


@plants("restrictions.reason", "reason")
def _restriction(client, auth, world) -> Send:
    def send(text: str) -> httpx.Response:
        body = {"kind": "restrict", "reason": text, "starts_on": "2026-11-30", "changes": {"frequency": "fortnightly"}}
        with at():
            return client.post(f"/api/v1/arrangements/{world['arrangement']['id']}/restrictions", json=body, headers=auth("sm-1", "service_manager"))

    return send


@plants("restrictions.notices.recipient", "notices.0.recipient")
def _notice_with_restriction(client, auth, world) -> Send:
    def send(text: str) -> httpx.Response:
        body = {
            "kind": "restrict", "reason": "Fewer sessions.", "starts_on": "2026-11-30", "changes": {"frequency": "fortnightly"},
            "notices": [{"recipient": text, "sent_at": "2026-11-30T08:00:00Z", "method": "letter"}],
        }
        with at():
            return client.post(f"/api/v1/arrangements/{world['arrangement']['id']}/restrictions", json=body, headers=auth("sm-1", "service_manager"))

    return send


@plants("notices.recipient", "recipient")
def _notice(client, auth, world) -> Send:
    with at():
        made = client.post(
            f"/api/v1/arrangements/{world['arrangement']['id']}/restrictions", headers=auth("sm-1", "service_manager"),
            json={"kind": "restrict", "reason": "Fewer sessions.", "starts_on": "2026-11-30", "changes": {"frequency": "monthly"}},
        )
    assert made.status_code == 201, made.text

    def send(text: str) -> httpx.Response:
        with at():
            return client.post(
                f"/api/v1/restrictions/{made.json()['id']}/notices", headers=auth("sm-1", "service_manager"),
                json={"recipient": text, "sent_at": "2026-11-30T08:00:00Z", "method": "letter"},
            )

    return send


def _closing(field: str) -> Callable[..., Send]:
    def prepare(client, auth, world) -> Send:
        with at():  # an arrangement of its own: the accepted text closes it
            arrangement = world["s"].arrangement(key=f"r82-close-{field}", address_withheld=WITHHELD)

        def send(text: str) -> httpx.Response:
            body = {"reason": "Contact ends.", "exit_plan": "Letterbox contact.", field: text}
            with at():
                return client.post(f"/api/v1/arrangements/{arrangement['id']}/close", json=body, headers=auth("tl-1", "team_leader"))

        return send

    return prepare


plants("arrangements.reason", "reason")(_closing("reason"))
plants("arrangements.exit_plan", "exit_plan")(_closing("exit_plan"))


def _review(field: str) -> Callable[..., Send]:
    def prepare(client, auth, world) -> Send:
        def send(text: str) -> httpx.Response:
            body = {"kind": "contact_service", "held_on": "2026-11-30", "attended": ["team leader"], "outcome": "Contact continues."}
            body[field] = text
            with at():
                return client.post(f"/api/v1/arrangements/{world['arrangement']['id']}/reviews", json=body, headers=auth("tl-1", "team_leader"))

        return send

    return prepare


plants("reviews.outcome", "outcome")(_review("outcome"))
plants("reviews.exit_plan", "exit_plan")(_review("exit_plan"))


def rows(engine) -> dict[str, int]:
    """Every table's row count: a refusal writes nothing anywhere."""
    with Session(engine) as session:
        return {t.name: session.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables}


def assert_refused(response: httpx.Response, field: str, kind: str, suggestion: str) -> None:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "urn:contact-service:problem:not-anonymised"
    assert {e["field"] for e in problem["errors"]} == {field}, problem
    assert [(f["field"], f["kind"], f["suggestion"]) for f in problem["findings"]] == [(field, kind, suggestion)], problem


def test_r82_every_field_of_the_table_is_planted():
    assert set(PLANTERS) == set(FIELDS)


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_r82_a_full_name_the_withheld_address_a_town_or_a_stranger_is_refused_and_nothing_is_written(client, auth, engine, world, key):
    field, prepare = PLANTERS[key]
    send = prepare(client, auth, world)
    before = rows(engine)
    refused = {**REFUSED, STRANGER[0]: STRANGER[1], **(PLACES if FIELDS[key] == Check.full else {})}
    for text, (kind, suggestion) in refused.items():
        assert_refused(send(text), field, kind, suggestion)
        assert rows(engine) == before, f"{key}: a refusal wrote something"
    accepted = send(CLEAN)
    assert accepted.status_code in (200, 201), accepted.text
    assert rows(engine) != before


def test_r82_a_calendar_location_may_be_an_address_but_never_the_withheld_one(client, auth, world):
    send = _outside(client, auth, world)
    assert send("12 Elm Road").status_code == 422
    assert send("The park on 14 Oak Road, NG5 1AA").status_code == 201


def test_r82_an_amendment_reason_reaches_the_court_pdf_so_no_address_at_all(client, auth, world):
    send = _amendment(client, auth, world)
    assert_refused(send("Checked with the school at 14 Oak Road."), "reason", "address", "school")
    assert send("Checked with the school.").status_code == 201


def test_r82_moving_a_session_outside_checks_its_location(client, auth, engine, world):
    url = f"/api/v1/sessions/{world['sessions'][0]['id']}/move"
    before = rows(engine)
    with at():
        refused = client.post(url, json=outside(world, "Elm Road play area"), headers=world["s"].tl())
        moved = client.post(url, json=outside(world, "Arnold park"), headers=world["s"].tl())
    assert_refused(refused, "outside.location", "address", "the placement")
    assert moved.status_code == 200 and moved.json()["location"] == "Arnold park", moved.text
    assert rows(engine)["contact_session"] == before["contact_session"]


def test_r82_an_amendment_lists_the_findings_of_its_changes_and_its_reason_in_one_answer(client, auth, world):
    _amendment(client, auth, world)
    with at(LATE):
        response = client.post(
            f"/api/v1/sessions/{world['recorded_session_id']}/record/amendments",
            json={"reason": "Grace Okafor asked.", "changes": {"incidents": "Sam Okafor shouted."}},
            headers={**auth("csw-1", "contact_support_worker"), "If-Match": '"2"'},
        )
    assert response.status_code == 422
    assert [(f["field"], f["suggestion"]) for f in response.json()["findings"]] == [("incidents", "dad"), ("reason", "mum")]


# --- the withheld address's pieces (pure) ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("12 Elm Road, Arnold, NG5 6AB", ["12 Elm Road, Arnold, NG5 6AB"]),
        ("by ELM  ROAD", ["ELM  ROAD"]),
        ("ng56ab", ["ng56ab"]),
        ("Arnold park", []),  # the town alone names no home
        ("the Elm Roadhouse cafe", []),
        ("12 Oak Road", []),  # another address: for the patterns to find, where they apply
    ],
)
def test_r82_the_withheld_address_is_found_by_its_pieces(text, found):
    findings = anonymise.check({"location": text}, [], withheld_address=ADDRESS, address_patterns=False)
    assert [f.text for f in findings] == found


def test_r82_a_flat_number_or_a_generic_street_alone_is_not_a_piece():
    address = "Flat 3, 1 High Street, Arnold"
    assert anonymise.check({"x": "flat 3 is upstairs; the high street"}, [], withheld_address=address, address_patterns=False) == []
    assert [f.text for f in anonymise.check({"x": "at 1 high street"}, [], withheld_address=address, address_patterns=False)] == ["1 high street"]


def test_r82_text_that_reaches_a_document_is_held_to_the_place_institution_and_stranger_rules(client, auth, world):
    """Issue 17: the one R-42 check serves every document field, so an amendment reason (the
    court PDF prints it) is refused for a town, a named school or rehab, and a stranger's
    full name, as a session note is."""
    send = _amendment(client, auth, world)
    assert_refused(send("Mum has moved to Hucknall."), "reason", "place", "where they live")
    assert_refused(send("Checked with Greenwood Primary School."), "reason", "institution", "school")
    assert_refused(send("Dad is on the Arnold Lodge rehab programme."), "reason", "institution", "rehab")
    assert_refused(send("Mum's boyfriend Gary Hargreaves asked for it."), "reason", "person", "mum's partner")
    assert send("Checked with the school; Mum asked for it.").status_code == 201


def test_r82_a_calendar_location_may_name_a_place_or_an_institution_but_not_a_stranger(client, auth, world):
    """A calendar location is a place: the address, place and institution patterns stay off
    there; known names and strangers are still refused."""
    send = _outside(client, auth, world)
    assert send("Colwick Park, by the Greenwood Primary School gate, Hucknall").status_code == 201
    assert_refused(send("Grace Okafor's garden"), "outside.location", "name", "mum")
    assert_refused(send("Mrs Hargreaves's garden"), "outside.location", "person", "a friend")
