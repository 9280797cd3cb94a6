"""HTTP for children and people: parse, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response, status

from app.core.concurrency import APIRouter
from app.children import service
from app.children.deps import ChildByKey, ExternalIdPath, MirrorTarget, NetworkChild, ReadableChild, Source, child_read
from app.children.models import Person
from app.children.schemas import ChildRead, ChildUpsert, PersonCreate, PersonRead
from app.core.db import SessionDep
from app.core.config import API_PREFIX, SettingsDep
from app.core.errors import error_responses
from app.core.etags import IF_MATCH_PATTERN
from app.core.pagination import Page, PageParamsDep
from app.core.security import PrincipalDep

router = APIRouter(prefix="/children", tags=["children"])


@router.put(
    "/{source:child_source}/{external_id}",
    response_model=ChildRead,
    status_code=status.HTTP_200_OK,
    summary="Create or update a child by its case-record key",
    description=(
        "Upserts the child mirrored from a case-record system (R-07): 201 when new, 200 when it "
        "existed (same id). Sending the same body again changes nothing. Send `If-Match` with the "
        "ETag you read to refuse the update if someone changed the child meanwhile (412)."
    ),
    responses={201: {"model": ChildRead, "description": "Created"}, **error_responses(401, 403, 404, 412, 413, 415, 422)},
)
def upsert_child(
    source: Source,
    external_id: ExternalIdPath,
    body: ChildUpsert,
    existing: MirrorTarget,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    if_match: Annotated[
        str | None, Header(alias="If-Match", max_length=64, pattern=IF_MATCH_PATTERN, description="ETag of the version you are updating.")
    ] = None,
) -> ChildRead:
    child, created = service.upsert_child(
        session, principal, settings, source, external_id, existing, body, if_match
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    response.headers["ETag"] = service.etag(child)
    if created:
        response.headers["Location"] = f"{API_PREFIX}/children/{child.id}"
    return child_read(principal, child)


@router.get(
    "/by-key/{source}/{external_id}",
    response_model=ChildRead,
    summary="Find a child by its case-record key",
    description=(
        "R-83: the child mirrored as `source` + `external_id` (e.g. `framework` / `123456`), as `GET /children/{id}` "
        "answers. A key that is not there, another source's key for an integration (R-80), and a child the caller "
        "may not read are the same 404."
    ),
    responses=error_responses(401, 403, 404, 422),
)
def get_child_by_key(child: ChildByKey, principal: PrincipalDep, response: Response) -> ChildRead:
    response.headers["ETag"] = service.etag(child)
    return child_read(principal, child)


@router.get(
    "/{child_id}",
    response_model=ChildRead,
    summary="Read a child",
    description="The placement address is null for callers it is withheld from (R-08).",
    responses=error_responses(401, 403, 404, 422),
)
def get_child(child: ReadableChild, principal: PrincipalDep, response: Response) -> ChildRead:
    response.headers["ETag"] = service.etag(child)
    return child_read(principal, child)


@router.post(
    "/{child_id}/people",
    response_model=PersonRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a person to the child's network",
    description="R-09. A second person with the same `external_id` for this child is a 409 naming the existing one.",
    responses=error_responses(401, 403, 404, 409, 413, 415, 422),
)
def add_person(child: NetworkChild, body: PersonCreate, principal: PrincipalDep, session: SessionDep) -> Person:
    return service.add_person(session, principal, child, body)


@router.get(
    "/{child_id}/people",
    response_model=Page[PersonRead],
    summary="List the people in the child's network",
    responses=error_responses(401, 403, 404, 422),
)
def list_people(child: ReadableChild, page: PageParamsDep, session: SessionDep) -> Page[PersonRead]:
    return service.people_page(session, child, page)

