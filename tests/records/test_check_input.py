"""Issue 17, point 7, through HTTP: `POST /sessions/{id}/record/check` sees through look-alike
characters and its spans point into the text as sent (R-42); blank notes and everyday
Unicode (emoji, smart quotes, no-break spaces, Welsh diacritics) are no error; a note or a
name holding a control character, a bidirectional override, a BOM or a non-character is a
422 naming the field, and nothing is written (R-70)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app.children.models import Person
from tests.helpers import at
from tests.records.test_router import DURING, body, counts, csw, put
from tests.records.test_router import booked as booked  # noqa: F401 - a fixture, used by name


def check(client, auth, booked, **change):
    with at(DURING):
        return client.post(f"/api/v1/sessions/{booked['session']['id']}/record/check", json=body(booked, **change), headers=csw(auth))


def findings(client, auth, booked, **change) -> list[dict]:
    response = check(client, auth, booked, **change)
    assert response.status_code == 200, response.text
    return response.json()["findings"]


@pytest.mark.parametrize(
    ("note", "text", "kind"),
    [
        ("Mrs Ok\u200bafor was late.", "Mrs Ok\u200bafor", "name"),  # a zero-width space in the surname
        ("They live near NG5\u00a06AB now.", "NG5\u00a06AB", "postcode"),  # a no-break space in the postcode
        ("Then \u0410mara Okafor smiled.", "\u0410mara Okafor", "name"),  # a Cyrillic "А" in the first name
        ("\uff21\uff4d\uff41\uff52\uff41 \uff2f\uff4b\uff41\uff46\uff4f\uff52 came.", "\uff21\uff4d\uff41\uff52\uff41 \uff2f\uff4b\uff41\uff46\uff4f\uff52", "name"),  # full-width
    ],
)
def test_r42_look_alike_characters_hide_nothing_and_spans_point_into_the_text_sent(client, auth, booked, note, text, kind):
    [finding] = findings(client, auth, booked, observations=note)
    assert (finding["text"], finding["kind"]) == (text, kind)
    assert note[finding["start"] : finding["end"]] == text


@pytest.mark.parametrize("note", ["", " ", "  \n\t  ", "\n\n"])
def test_r42_an_empty_or_blank_note_has_no_findings_and_is_no_error(client, auth, booked, note):
    assert findings(client, auth, booked, observations=note, child_views=note, parent_views=note, incidents=note) == []


def test_r42_a_blank_note_is_saved_as_an_empty_one(client, auth, booked):
    response = put(client, auth, booked, observations="   \n ")
    assert response.status_code == 201, response.text
    assert response.json()["fields"]["observations"] == ""


def test_r42_emoji_smart_quotes_no_break_spaces_and_welsh_diacritics_are_checked_as_usual(client, auth, booked):
    note = (
        "Amara \U0001f600 said \u201cGrace\u2019s flat is in Ynys M\u00f4n\u201d \u2014 visited 12\u00a0Elm\u00a0Road "
        "\U0001f468\u200d\U0001f469\u200d\U0001f467 with Mrs\u00a0Okafor\u2019s\u00a0sister."
    )
    found = findings(client, auth, booked, observations=note)
    assert [(f["text"], f["kind"]) for f in found if f["kind"] in ("name", "address", "postcode")] == [
        ("12\u00a0Elm\u00a0Road", "address"),
        ("Mrs\u00a0Okafor", "name"),
    ]
    assert all(note[f["start"] : f["end"]] == f["text"] for f in found)


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\u0007", "must not contain the control character U+0007"),
        ("\u001b", "must not contain the control character U+001B"),
        ("\u007f", "must not contain the control character U+007F"),
        ("\u0085", "must not contain the control character U+0085"),
        ("\u202e", "must not contain the control character U+202E"),
        ("\u2067", "must not contain the control character U+2067"),
        ("\ufeff", "must not contain the control character U+FEFF"),
        ("\ufdd0", "must not contain the non-character U+FDD0"),
        ("\uffff", "must not contain the non-character U+FFFF"),
        ("\U0010fffe", "must not contain the non-character U+10FFFE"),
    ],
)
def test_r70_a_note_with_a_control_character_is_a_422_naming_it_and_nothing_is_written(client, auth, engine, booked, char, message):
    before = counts(engine)
    checked = check(client, auth, booked, child_views=f"Amara said{char} yes.")
    saved = put(client, auth, booked, child_views=f"Amara said{char} yes.")
    for response in (checked, saved):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [("child_views", message)]
    assert counts(engine) == before


def test_r70_a_lone_surrogate_in_a_note_is_a_422_not_a_database_error(client, auth, engine, booked):
    before = counts(engine)
    payload = '{"went_ahead": true, "observations": "half a pair \\ud83d here"}'
    with at(DURING):
        response = client.put(
            f"/api/v1/sessions/{booked['session']['id']}/record",
            content=payload.encode(),
            headers={**csw(auth), "Idempotency-Key": "key-00000001", "content-type": "application/json"},
        )
    assert response.status_code == 422, response.text
    # pydantic refuses it before the service's own rule would: either way a 422 naming the field.
    assert [e["field"] for e in response.json()["errors"]] == ["observations"]
    assert counts(engine) == before


def test_r70_tabs_and_line_breaks_in_a_note_are_still_taken(client, auth, booked):
    note = "Arrived 15:58.\n\tPlayed snakes and ladders.\r\nLeft happy."
    assert check(client, auth, booked, observations=note).status_code == 200
    response = put(client, auth, booked, observations=note)
    assert response.status_code == 201, response.text
    assert response.json()["fields"]["observations"] == note.strip()


def _people(engine) -> int:
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(Person)).scalar_one()


@pytest.mark.parametrize(
    ("person", "field", "message"),
    [
        ({"first_name": "\u202eAmara"}, "first_name", "must not contain the control character U+202E"),
        ({"last_name": "Oka\ufefffor"}, "last_name", "must not contain the control character U+FEFF"),
        ({"first_name": "Ama\u0000ra"}, "first_name", "must not contain the NUL character (U+0000)"),
        ({"last_name": "Oka\tfor"}, "last_name", "must be a single line, without the tab or line break U+0009"),
        ({"first_name": "Gr\nace"}, "first_name", "must be a single line, without the tab or line break U+000A"),
        ({"first_name": "Grace\r\nAnn"}, "first_name", "must be a single line, without the tab or line break U+000D"),
    ],
)
def test_r70_a_person_whose_name_holds_a_control_character_or_a_line_break_is_a_422_and_nothing_is_written(
    client, auth, engine, booked, person, field, message
):
    before = _people(engine)
    response = client.post(
        f"/api/v1/children/{booked['child']['id']}/people",
        json={"first_name": "Grace", "last_name": "Okafor", "relationship": "mum", **person},
        headers=auth("sw-1", "social_worker"),
    )
    assert response.status_code == 422, response.text
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]
    assert _people(engine) == before


def test_r70_a_name_is_stripped_of_surrounding_line_breaks_like_any_text(client, auth, booked):
    response = client.post(
        f"/api/v1/children/{booked['child']['id']}/people",
        json={"first_name": " Grace\n", "last_name": "\tOkafor ", "relationship": "other", "relationship_detail": "aunt"},
        headers=auth("sw-1", "social_worker"),
    )
    assert response.status_code == 201, response.text
    assert (response.json()["first_name"], response.json()["last_name"]) == ("Grace", "Okafor")


def test_r42_a_known_name_written_without_its_accents_is_found_as_that_person(client, auth, booked):
    """A tablet's keyboard drops accents: "Sian O Suilleabhain" is the aunt Siân Ó Súilleabháin
    the service knows, found as her name (suggesting "aunt"), not as a stranger's."""
    response = client.post(
        f"/api/v1/children/{booked['child']['id']}/people",
        json={"first_name": "Si\u00e2n", "last_name": "\u00d3 S\u00failleabh\u00e1in", "relationship": "other", "relationship_detail": "aunt"},
        headers=auth("sw-1", "social_worker"),
    )
    assert response.status_code == 201, response.text
    note = "Sian O Suilleabhain brought a cake. Mrs O'Suilleabhain left at 11."
    found = findings(client, auth, booked, observations=note)
    assert [(f["text"], f["kind"], f["suggestion"]) for f in found] == [
        ("Sian O Suilleabhain", "name", "aunt"),
        ("Mrs O'Suilleabhain", "name", "aunt"),
    ]
    assert [note[f["start"] : f["end"]] for f in found] == ["Sian O Suilleabhain", "Mrs O'Suilleabhain"]
