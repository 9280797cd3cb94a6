"""Outgoing free text (R-82): owns the one table of every free-text field whose words leave
the service, the check each gets, the people known in a child's network, and the 422 a
refusal is, in the R-42 shape. No HTTP.

Text leaves the service when it reaches a document a parent may read (the court PDF),
another system (events, the change feed, webhooks) or a calendar (the ICS feed). Such text
is checked, before anything is written, with the same `anonymise.check` a session note gets
(issue 17): the full names and surnames of the child and the people in the child's
network, the child's placement address while it is withheld (R-08), and R-42's address,
postcode, place, institution and stranger patterns. A calendar location is a place by
nature, so there a park, a town or a café's address is fine: it is held to the names, the
withheld address and strangers only ("Gary Smith's house" is refused).

A service names the text it accepts by kind and body field, in one line:
`freetext.check(session, child_id, {"reason": data.reason}, kind="transport")`. A field
missing from the table is a KeyError, so a new call cannot skip the table.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlmodel import Session

from app.children.models import Child, Person
from app.core.errors import AppError
from app.freetext import anonymise


class Check(StrEnum):
    full = "full"  # names, the withheld address, any address, postcode, place, institution or stranger
    location = "location"  # a place by nature: names, the withheld address and strangers


# "<kind>.<body field>": the body field is what a 422 names. Adding a field is one line here
# and one call where the service accepts it.
FIELDS: Mapping[str, Check] = MappingProxyType(
    {
        "records.amendment.reason": Check.full,  # printed in the court PDF
        "referrals.decision.reason": Check.full,  # referral.decided event
        "referrals.decision.rationale": Check.full,
        "sessions.outside.location": Check.location,  # ICS feed, court PDF; a place, so addresses pass
        "transport.reason": Check.full,  # R-82 names them; exported with the request
        "transport.evidence": Check.full,
        "expenses.purpose": Check.full,  # exported with the claim
        "agreements.expectations": Check.full,  # the written agreement the family signs
        "agreements.breach_consequences": Check.full,
        "breaches.description": Check.full,  # to the social worker's case record
        "restrictions.reason": Check.full,  # the written notice to parents and carers
        "restrictions.notices.recipient": Check.full,  # who was given notice: a relationship or role
        "notices.recipient": Check.full,  # the same, recorded later (POST /restrictions/{id}/notices)
        "arrangements.reason": Check.full,  # closing: it becomes each cancelled session's reason
        "arrangements.exit_plan": Check.full,  # the same exit plan a review records
        "reviews.outcome": Check.full,  # a review's minutes reach the family (R-55a)
        "reviews.exit_plan": Check.full,
    }
)


def known_people(session: Session, child: Child) -> list[anonymise.KnownPerson]:
    """The child and everyone in the child's network, as R-42 knows them."""
    people = [anonymise.KnownPerson(child.first_name, child.last_name, "child")]
    for person in session.execute(select(Person).where(Person.child_id == child.id)).scalars():
        people.append(anonymise.KnownPerson(person.first_name, person.last_name, person.relationship.value, person.relationship_detail))
    return people


def findings(session: Session, child_id: uuid.UUID, values: Mapping[str, str | None], *, kind: str) -> list[anonymise.Finding]:
    # A list's items are named by index ("expectations.0"); the table names the list.
    checks = {name: FIELDS[f"{kind}." + ".".join(p for p in name.split(".") if not p.isdigit())] for name in values}
    if not any(values.values()):
        return []
    child = session.get(Child, child_id)
    assert child is not None
    people = known_people(session, child)
    withheld = child.placement_address if child.address_withheld else None
    found: list[anonymise.Finding] = []
    for check in Check:
        fields = {name: values[name] for name, c in checks.items() if c == check}
        if fields:
            found += anonymise.check(fields, people, withheld_address=withheld, address_patterns=check == Check.full, stranger_patterns=True)
    return sorted(found, key=lambda f: (f.field, f.start))


def error(found: list[anonymise.Finding], title: str = "The text names people or places", detail: str | None = None) -> AppError:
    """The R-42 refusal: each finding as a field error, and the findings themselves."""
    return AppError(
        422, "not-anonymised", title, detail or f"{len(found)} finding(s) to replace: this text leaves the service (R-82).",
        errors=[{"field": f.field, "location": "body", "message": f"{f.kind} '{f.text}': write '{f.suggestion}'"} for f in found],
        extra={"findings": [asdict(f) for f in found]},
    )


def check(session: Session, child_id: uuid.UUID, values: Mapping[str, str | None], *, kind: str) -> None:
    """Refuse (422) text that names the child's network or the withheld address."""
    found = findings(session, child_id, values, kind=kind)
    if found:
        raise error(found)
