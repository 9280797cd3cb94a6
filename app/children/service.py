"""Rules for mirroring children and their networks (R-07 to R-09). No HTTP here."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from app.calendar.deadlines import working_calendar
from app.children.models import Child, Person
from app.children.schemas import ChildUpsert, PersonCreate, PersonRead
from app.children.policy import can_see_address
from app.core import clock, etags
from app.core.changes import record_change
from app.core.config import Settings
from app.core.db import lock_key
from app.core.errors import AppError, check_area, invalid_field
from app.core.models import snapshot
from app.core.pagination import Page, PageParams, paginate
from app.core.security import Principal

# The oldest a child on the service's books may be: support for care leavers runs to 25
# (Children and Social Work Act 2017), so an older date of birth is a typing slip.
MAX_AGE_YEARS = 25

_UNTRACKED = frozenset({"version", "updated_at", "created_at", "id", "address_withheld_at"})


def get_by_key(session: Session, source: str, external_id: str) -> Child | None:
    return session.execute(
        select(Child).where(Child.source == source, Child.external_id == external_id)
    ).scalar_one_or_none()


def _withheld_fields(
    principal: Principal, child: Child | None, data: ChildUpsert
) -> tuple[dict[str, Any], str | None]:
    """R-81: what the PUT does to the address and its withheld flag, and the reason when it
    lifts the flag. A field left out keeps its value; a null address from a caller it is
    withheld from keeps it too (a mirror cannot erase what it cannot see)."""
    sent = data.model_fields_set
    fields: dict[str, Any] = {}
    if child is None:
        fields["placement_address"] = data.placement_address
    elif "placement_address" in sent and (data.placement_address is not None or can_see_address(principal, child)):
        fields["placement_address"] = data.placement_address
    withheld = data.address_withheld
    lifting = "address_withheld" in sent and withheld is None and child is not None and child.address_withheld
    if data.lifted_reason is not None and not lifting:
        raise invalid_field("lifted_reason", "is sent only with address_withheld: null, to lift a withheld address")
    if lifting and data.lifted_reason is None:
        raise invalid_field("lifted_reason", "say why the withheld address is lifted")
    if withheld is not None:
        fields.update(address_withheld=True, address_withheld_authorised_by=withheld.authorised_by, address_withheld_reason=withheld.reason)
    elif lifting or child is None:
        fields.update(address_withheld=False, address_withheld_authorised_by=None, address_withheld_reason=None)
    return fields, data.lifted_reason if lifting else None


def check_date_of_birth(settings: Settings, born: date) -> None:
    """A 422 naming `date_of_birth` for a birth after today (the service's local day) or more
    than `MAX_AGE_YEARS` ago: a typing slip, not a child the service supports."""
    today = working_calendar(settings).local_date(clock.now())
    if born > today:
        raise invalid_field("date_of_birth", f"must not be in the future (today is {today.isoformat()})")
    earliest = _years_before(today, MAX_AGE_YEARS)
    if born < earliest:
        raise invalid_field(
            "date_of_birth", f"must not be more than {MAX_AGE_YEARS} years ago (on or after {earliest.isoformat()})"
        )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one: the day after 28 February
        return date(day.year - years, 3, 1)


def upsert_child(
    session: Session,
    principal: Principal,
    settings: Settings,
    source: str,
    external_id: str,
    child: Child | None,
    data: ChildUpsert,
    if_match: str | None,
) -> tuple[Child, bool]:
    """Create or update the child with this external key; returns (child, created).

    `child` is what `children.deps.mirror_target` found (and may update) under the key's
    lock. Sending the same body again changes nothing: no new version, no audit entry, no
    event.
    """
    if source not in settings.child_sources:
        raise invalid_field("source", f"must be one of: {', '.join(settings.child_sources)}", location="path")
    check_date_of_birth(settings, data.date_of_birth)
    check_area(settings.areas, data.area)

    now = clock.now()
    fields = data.model_dump(exclude={"address_withheld", "placement_address", "lifted_reason"})
    if fields["team"] is None:
        # Case-record systems rarely send the team; keep the one known, or take the
        # allocated social worker's own `team` claim.
        own_team = principal.team if principal.acting_social_worker == data.social_worker_sub else None
        fields["team"] = (child.team if child is not None else None) or own_team
    address_fields, lifted_reason = _withheld_fields(principal, child, data)
    fields.update(address_fields)

    if child is None:
        etags.check_if_match(if_match, None, "child")
        child = Child(source=source, external_id=external_id, created_at=now, updated_at=now, **fields)
        child.address_withheld_at = now if child.address_withheld else None
        session.add(child)
        record_change(
            session, principal, "child.created", "child", child, before=None,
            event={"child_id": child.id, "source": source, "external_id": external_id},
        )
        return child, True

    etags.check_if_match(if_match, child.version, "child")

    before = snapshot(child)
    for name, value in fields.items():
        setattr(child, name, value)
    if child.address_withheld and not before["address_withheld"]:
        child.address_withheld_at = now
    elif not child.address_withheld:
        child.address_withheld_at = None
    changed = sorted(k for k, v in snapshot(child).items() if k not in _UNTRACKED and before[k] != v)
    if not changed:
        return child, False
    child.version += 1
    child.updated_at = now
    session.add(child)
    after = snapshot(child)
    if lifted_reason is not None:
        after["address_withheld_lifted_reason"] = lifted_reason
    record_change(
        session, principal, "child.address_withheld_lifted" if lifted_reason is not None else "child.updated", "child", child,
        before=before, after=after, event_type="child.updated",
        event={"child_id": child.id, "source": source, "external_id": external_id, "version": child.version, "changed": changed},
    )
    return child, False


def etag(child: Child) -> str:
    return etags.etag(child.version)


def add_person(session: Session, principal: Principal, child: Child, data: PersonCreate) -> Person:
    if data.relationship == "other" and not data.relationship_detail:
        raise invalid_field("relationship_detail", "say what the relationship is when it is 'other'")
    if data.external_id is not None:
        lock_key(session, f"person:{child.id}:{data.external_id}")
        existing = session.execute(
            select(Person.id).where(Person.child_id == child.id, Person.external_id == data.external_id)
        ).scalar_one_or_none()
        if existing is not None:
            raise AppError(
                409,
                "person-exists",
                "Person already recorded",
                f"external_id {data.external_id} is already in this child's network.",
                extra={"existing_id": str(existing)},
            )
    person = Person(
        child_id=child.id,
        created_at=clock.now(),
        **data.model_dump(exclude={"risk_flags"}),
        risk_flags=[flag.model_dump(mode="json") for flag in data.risk_flags],
    )
    session.add(person)
    record_change(
        session, principal, "person.added", "person", person, before=None,
        event={"child_id": child.id, "person_id": person.id, "relationship": person.relationship},
    )
    return person


def people_page(session: Session, child: Child, page: PageParams) -> Page[PersonRead]:
    """The child's network, in the order it was recorded."""
    statement = select(Person).where(Person.child_id == child.id)
    return paginate(session, statement, [Person.created_at, Person.id], page, PersonRead.model_validate)
