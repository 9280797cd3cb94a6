"""HTTP for timetables (R-28): JSON and iCalendar, and the per-user feed token.

`router` sits behind the API's JWT like every other route. `public_router` holds the one
route a calendar app calls without a bearer token, `GET /feeds/{token}.ics`: the token in
the path is the credential. It must be included under the API prefix outside the
authenticated router.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status

from app.core.concurrency import APIRouter
from app.core.db import SessionDep
from app.core.config import SettingsDep
from app.core.errors import error_responses
from app.core.schemas import Day
from app.core.security import PrincipalDep
from app.timetables import service as timetable
from app.timetables.deps import FeedOwner, StaffSub, TimetableOwner
from app.timetables.schemas import FeedTokenRead, FeedTokenRevoked, Timetable

router = APIRouter(tags=["scheduling"])
public_router = APIRouter(tags=["scheduling"])

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Supervised Contact Service//Timetable//EN\r\n"
    "NAME:Contact sessions – Jo Bennett\r\nX-WR-CALNAME:Contact sessions – Jo Bennett\r\n"
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\nUID:timetable-csw-0031@contact-service\r\nX-PUBLISHED-TTL:PT1H\r\n"
    "BEGIN:VEVENT\r\nSUMMARY:Supervised contact – Garden room\r\nDTSTART:20261201T160000Z\r\n"
    "DTEND:20261201T173000Z\r\nDTSTAMP:20261123T090000Z\r\n"
    "UID:6e3f2c74-8b77-4dad-9f5e-5e3a5a9a4c32@contact-service\r\nSEQUENCE:1\r\n"
    "LOCATION:Mansfield Contact Centre\\, Garden room\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)
ICS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An RFC 5545 calendar: one event per live session, times in UTC.",
        "content": {"text/calendar": {"schema": {"type": "string"}, "example": ICS_EXAMPLE}},
    }
}
RANGE = (
    "`from` and `to` are local calendar days (`YYYY-MM-DD`, the service's zone), both included; "
    "by default today and the next 28 days. `to` must not be before `from` and at most 366 days "
    "after it. A session is listed when any part of it falls in the range; cancelled ones never are."
)

Sub = StaffSub
From = Annotated[Day | None, Query(alias="from", description="First local day (YYYY-MM-DD); default today.")]
To = Annotated[Day | None, Query(description="Last local day (YYYY-MM-DD); default 28 days after `from`.")]
Token = Annotated[str, Path(pattern=timetable.FEED_TOKEN_PATTERN, description="The feed token issued for the timetable.")]


def calendar_response(body: bytes) -> Response:
    return Response(
        content=body,
        media_type=ICS_MEDIA_TYPE,
        headers={"Cache-Control": "private, no-cache", "Content-Disposition": 'inline; filename="timetable.ics"'},
    )


@router.get(
    "/staff/{sub}/timetable",
    response_model=Timetable,
    summary="A CSW's timetable",
    description=(
        "R-28: the live sessions (booked, on hold, completed) of a contact support worker, earliest "
        "first, with the venue, room or place, and the child's first name only. A CSW reads their "
        "own; team leaders and service managers anyone's. " + RANGE
    ),
    responses=error_responses(401, 403, 404, 422),
)
def get_timetable(
    sub: Sub, staff: TimetableOwner, session: SessionDep, settings: SettingsDep, from_: From = None, to: To = None
) -> Timetable:
    return timetable.timetable(session, settings, staff, timetable.day_range(settings, from_, to))


@router.get(
    "/staff/{sub}/timetable.ics",
    response_class=Response,
    summary="A CSW's timetable as iCalendar",
    description=(
        "R-28: the same sessions as an RFC 5545 calendar for calendar apps: one event per session "
        "with a stable UID (`<session id>@contact-service`), times in UTC, `SEQUENCE` the session's "
        "version, `STATUS` TENTATIVE while on hold. Titles and locations never carry the child's "
        "name or a placement address. Calendar apps that cannot send a bearer token subscribe to "
        "the feed URL of a feed token instead. " + RANGE
    ),
    responses={**ICS_RESPONSE, **error_responses(401, 403, 404, 422)},
)
def get_timetable_ics(
    sub: Sub, staff: TimetableOwner, session: SessionDep, settings: SettingsDep, from_: From = None, to: To = None
) -> Response:
    return calendar_response(timetable.ics(session, settings, staff, timetable.day_range(settings, from_, to)))


@router.post(
    "/staff/{sub}/timetable/feed-token",
    response_model=FeedTokenRead,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a timetable feed token",
    description=(
        "A secret for subscribing to the timetable from a calendar app, which cannot send a bearer "
        "token: `GET /api/v1/feeds/{token}.ics`. Shown once (only its hash is kept); issuing a new "
        "one replaces the earlier token, which stops working at once. `feed_url` is absolute: under "
        "`PUBLIC_BASE_URL` when the service sets it, else under the base URL this request came to. "
        "The CSW themself or a team leader."
    ),
    responses=error_responses(401, 403, 404, 413, 415, 422),
)
def issue_feed_token(
    sub: Sub, staff: FeedOwner, principal: PrincipalDep, session: SessionDep, settings: SettingsDep, request: Request, response: Response
) -> FeedTokenRead:
    base_url = settings.public_base_url or str(request.base_url).rstrip("/")
    issued = timetable.issue_feed_token(session, principal, staff, base_url)
    response.headers["Cache-Control"] = "no-store"
    return issued


@router.delete(
    "/staff/{sub}/timetable/feed-token",
    response_model=FeedTokenRevoked,
    summary="Revoke a timetable feed token",
    description="The feed URL stops working at once. 404 when there is no token. The CSW themself or a team leader.",
    responses=error_responses(401, 403, 404, 422),
)
def revoke_feed_token(sub: Sub, staff: FeedOwner, principal: PrincipalDep, session: SessionDep) -> FeedTokenRevoked:
    return timetable.revoke_feed_token(session, principal, staff)


@public_router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    summary="Subscribe to a timetable",
    description=(
        "R-28: the iCalendar timetable of the member of staff the feed token was issued to, for "
        "calendar apps. No bearer token: the feed token in the path is the credential, and a "
        "revoked or replaced one is 404. " + RANGE
    ),
    responses={**ICS_RESPONSE, **error_responses(404, 422)},
)
def timetable_feed(
    token: Token, session: SessionDep, settings: SettingsDep, from_: From = None, to: To = None
) -> Response:
    staff = timetable.staff_for_token(session, token)
    return calendar_response(timetable.ics(session, settings, staff, timetable.day_range(settings, from_, to)))

