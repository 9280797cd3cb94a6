"""Route dependencies for children, built on `children.policy`: a route gets a child only
through `ReadableChild`, `NetworkChild` or `MirrorTarget`, and any address that leads to a
child only through `visible_address` (R-08)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path
from sqlalchemy import select
from sqlmodel import Session
from starlette.convertors import Convertor, register_url_convertor

from app.core.concurrency import Depends
from app.children.models import Child
from app.children.policy import (
    CHILD_READERS,
    CHILD_WRITERS,
    PEOPLE_WRITERS,
    can_read_child,
    can_see_address,
    in_source,
    may_allocate,
    may_lift_withheld,
    may_supervise,
    supervised_child_ids,
)
from app.children.schemas import AddressWithheldRead, ChildRead, ChildUpsert
from app.core.access import Gate, policy
from app.core.db import SessionDep, lock_key
from app.core.errors import Forbidden, not_found
from app.core.security import Principal

Source = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$", examples=["framework"])]


class _SourceSegment(Convertor[str]):
    """`{source:child_source}`: a path segment that can be a source (`Source`'s pattern and
    length), so `PUT /children/{child_id}/people` (36 characters) is a 405 from the people
    resource, not an upsert of child "people" in a source named like a UUID."""

    regex = "[a-z][a-z0-9_-]{0,31}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("child_source", _SourceSegment())
ExternalIdPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$", examples=["123456"])]


def visible_address(principal: Principal, child: Child, address: str | None) -> str | None:
    """Every address that can lead to the child (the placement, a transport pick-up place)
    goes out through here: the one place R-08 is applied."""
    return address if can_see_address(principal, child) else None


def child_read(principal: Principal, child: Child) -> ChildRead:
    withheld = (
        AddressWithheldRead(
            authorised_by=child.address_withheld_authorised_by or "",
            reason=child.address_withheld_reason or "",
            authorised_at=child.address_withheld_at,
        )
        if child.address_withheld
        else None
    )
    return ChildRead.model_validate(
        {
            **child.model_dump(exclude={"placement_address", "address_withheld"}),
            "placement_address": visible_address(principal, child, child.placement_address),
            "address_withheld": withheld,
        }
    )


def supervises(session: Session, principal: Principal, child_id: uuid.UUID) -> bool:
    """Whether the caller is the CSW of a live session of this child (R-06)."""
    if not may_supervise(principal):
        return False
    return session.execute(supervised_child_ids(principal, child_id).limit(1)).first() is not None


def may_read_child(session: Session, principal: Principal, child: Child) -> bool:
    """`policy.can_read_child`, with the one fact it needs from the database."""
    return can_read_child(principal, child) or can_read_child(principal, child, supervises=supervises(session, principal, child.id))


def ensure_readable_child(session: Session, principal: Principal, child: Child | None, what: str = "child") -> Child:
    """The child, or the same 404 as for an id that does not exist."""
    if child is None or not may_read_child(session, principal, child):
        raise not_found(what)
    return child


def valid_child(child_id: uuid.UUID, session: SessionDep) -> Child:
    child = session.get(Child, child_id)
    if child is None:
        raise not_found("child")
    return child


@policy
def readable_child(
    principal: Gate(*CHILD_READERS), child: Annotated[Child, Depends(valid_child)], session: SessionDep
) -> Child:
    return ensure_readable_child(session, principal, child)


@policy
def network_child(
    principal: Gate(*PEOPLE_WRITERS, acting=True), child: Annotated[Child, Depends(valid_child)], session: SessionDep
) -> Child:
    """A child whose network the caller may add to."""
    return ensure_readable_child(session, principal, child)


@policy
def mirror_target(
    source: Source,
    external_id: ExternalIdPath,
    body: ChildUpsert,
    principal: Gate(*CHILD_WRITERS, acting=True),
    session: SessionDep,
) -> Child | None:
    """The child a PUT by external key would update (None when new), under R-06, R-80 and
    R-81. Another source's key is 404 to an integration, whether or not it exists."""
    if not in_source(principal, source):
        raise not_found("child")
    # Serialise upserts of one key: two concurrent first PUTs make one child.
    lock_key(session, f"child:{source}:{external_id}")
    child = session.execute(select(Child).where(Child.source == source, Child.external_id == external_id)).scalar_one_or_none()
    if child is not None and not can_read_child(principal, child):
        raise not_found("child")
    if not may_allocate(principal, body.social_worker_sub):
        raise Forbidden("you may only record children allocated to the social worker you act as", field="social_worker_sub")
    lifting = "address_withheld" in body.model_fields_set and body.address_withheld is None
    if lifting and child is not None and child.address_withheld and not may_lift_withheld(principal, child):
        raise Forbidden(
            "only the child's social worker (or a system acting for them) or a manager may lift a withheld address",
            field="address_withheld",
        )
    return child


@policy
def child_by_key(principal: Gate(*CHILD_READERS), source: Source, external_id: ExternalIdPath, session: SessionDep) -> Child:
    """The child mirrored under a case-record key (R-83), for a caller who may read it: the
    same 404 for a key that is not there, another source's key to an integration (R-80),
    and a child the caller may not read."""
    if not in_source(principal, source):
        raise not_found("child")
    child = session.execute(select(Child).where(Child.source == source, Child.external_id == external_id)).scalar_one_or_none()
    return ensure_readable_child(session, principal, child)


ReadableChild = Annotated[Child, Depends(readable_child)]
ChildByKey = Annotated[Child, Depends(child_by_key)]
NetworkChild = Annotated[Child, Depends(network_child)]
MirrorTarget = Annotated[Child | None, Depends(mirror_target)]
