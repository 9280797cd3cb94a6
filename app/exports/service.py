"""The export datasets (R-62, R-86) and how they are streamed.

Each dataset is a list of typed, documented columns over one SELECT. Rows come from a
server-side cursor (`stream_results` with `yield_per`), are encoded in batches and sent as
they come, so memory stays flat whatever the size of the export.

Identity: for a data analyst every child, person and staff id becomes an HMAC-SHA256
pseudonym under PSEUDONYM_KEY, computed the same way in every dataset so analysts can join
them; names are left out and the date of birth is only ever exported as `birth_month`.
No dataset selects an address, a note or any other free-text field, whoever asks.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, Select, String, Uuid, case, cast, func, literal_column, not_, select, true, type_coerce
from sqlalchemy import Enum as SAEnum

from app.agreements.models import Breach
from app.arrangements.models import Arrangement
from app.children.models import Child
from app.core.config import Settings
from app.core.errors import AppError, check_area, invalid_field
from app.exports.text import date_text, month_text, utc_text, uuid_text
from app.oversight.models import Restriction, Review
from app.records.models import SessionRecord
from app.referrals.models import Referral
from app.sessions.models import ContactSession
from app.transport.models import Expense, TransportRequest

Kind = Literal["value", "child", "person", "staff", "driver", "manager_only", "birth_month"]
Format = Literal["csv", "ndjson"]
PSEUDONYM_KINDS = frozenset({"child", "person", "staff", "driver"})
BATCH_ROWS = 1000
MAX_RANGE = timedelta(days=3653)  # ten years
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class View:
    """Who is reading: a data analyst's view is pseudonymised (R-06)."""

    pseudonymised: bool


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    expr: Any
    kind: Kind = "value"

    def shown(self, view: View) -> bool:
        return not (view.pseudonymised and self.kind == "manager_only")

    @property
    def catalogue_type(self) -> str:
        return "pseudonym" if self.kind in PSEUDONYM_KINDS else self.type


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    columns: tuple[Column, ...]
    base: Callable[[Select[Any]], Select[Any]]
    dated: Any  # the column `since`/`until` filter
    area: Any
    order: Any

    def visible(self, view: View) -> list[Column]:
        return [c for c in self.columns if c.shown(view)]


def _child(expr: Any = Child.id) -> Column:
    return Column("child_id", "pseudonym", "The child (pseudonymised for data analysts).", expr, "child")


def _staff(name: str, expr: Any, meaning: str) -> Column:
    return Column(name, "pseudonym", meaning + " (a staff `sub`; pseudonymised for data analysts).", expr, "staff")


def _at(name: str, expr: Any, meaning: str) -> Column:
    return Column(name, "datetime", meaning + " (ISO 8601, UTC).", expr)


def _area(expr: Any) -> Column:
    return Column("area", "string", "The service area.", expr)


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "children",
            "Children mirrored from the case-record systems (R-07), by the date first mirrored.",
            (
                _child(),
                Column("source", "string", "The case-record system the child is mirrored from.", Child.source),
                Column("external_id", "string", "The child's id in the case-record system (service managers only).", Child.external_id, "manager_only"),
                Column("first_name", "string", "First name (service managers only).", Child.first_name, "manager_only"),
                Column("last_name", "string", "Last name (service managers only).", Child.last_name, "manager_only"),
                Column("birth_month", "string", "Month of birth, YYYY-MM.", Child.date_of_birth, "birth_month"),
                Column("legal_status", "string", "Legal status.", Child.legal_status),
                Column("placement_type", "string", "Placement type.", Child.placement_type),
                Column("court_arena", "boolean", "Care proceedings are under way.", Child.court_arena),
                Column("address_withheld", "boolean", "The placement address is withheld.", Child.address_withheld),
                _staff("social_worker", Child.social_worker_sub, "The allocated social worker"),
                Column("team", "string", "The social work team.", Child.team),
                _staff("iro", Child.iro_sub, "The independent reviewing officer"),
                _area(Child.area),
                _at("created_at", Child.created_at, "First mirrored"),
                _at("updated_at", Child.updated_at, "Last changed"),
            ),
            lambda s: s.select_from(Child),
            Child.created_at,
            Child.area,
            Child.id,
        ),
        Dataset(
            "referrals",
            "Referrals for contact (R-10 to R-16), by the date created.",
            (
                Column("referral_id", "string", "The referral's id (UUID).", Referral.id),
                _child(Referral.child_id),
                _staff("social_worker", Referral.social_worker_sub, "The referring social worker"),
                Column("team", "string", "The social work team.", Referral.team),
                _area(Referral.area),
                Column("status", "string", "Where the referral stands.", Referral.status),
                Column("purposes", "list", "Purposes of contact (`;`-separated in CSV).", Referral.purposes),
                Column("level", "string", "Level of supervision asked for.", Referral.level),
                Column("frequency_times", "integer", "How many sessions ...", Referral.frequency_times),
                Column("frequency_per", "string", "... per this period.", Referral.frequency_per),
                Column("duration_minutes", "integer", "Length of each session.", Referral.duration_minutes),
                Column("court_arena", "boolean", "In care proceedings.", Referral.court_arena),
                Column("urgent", "boolean", "An urgent referral.", Referral.urgent),
                Column("priority", "integer", "Triage priority (1 highest).", Referral.priority),
                Column("transport_requested", "boolean", "Transport was asked for.", Referral.transport_reason.is_not(None)),
                _at("created_at", Referral.created_at, "Drafted"),
                _at("received_at", Referral.received_at, "Received by the service"),
                _at("triage_due_at", Referral.triage_due_at, "Triage due"),
                _at("triaged_at", Referral.triaged_at, "Triaged"),
                Column("triage_missed", "boolean", "Triage was late.", Referral.triage_missed),
                _at("decision_due_at", Referral.decision_due_at, "Decision due"),
                _at("decided_at", Referral.decided_at, "Decided"),
                Column("outcome", "string", "The decision.", Referral.outcome),
                Column("decision_missed", "boolean", "The decision was late.", Referral.decision_missed),
                _at("withdrawn_at", Referral.withdrawn_at, "Withdrawn"),
            ),
            lambda s: s.select_from(Referral),
            Referral.created_at,
            Referral.area,
            Referral.id,
        ),
        Dataset(
            "decisions",
            "Decisions on referrals (R-15, R-16), by the date decided; reasons are free text and left out.",
            (
                Column("referral_id", "string", "The referral's id (UUID).", Referral.id),
                _child(Referral.child_id),
                _area(Referral.area),
                Column("outcome", "string", "The decision.", Referral.outcome),
                Column("level", "string", "Level of supervision.", Referral.level),
                Column("room_only", "boolean", "A room only, no supervision.", Referral.room_only),
                Column("urgent", "boolean", "An urgent referral.", Referral.urgent),
                _at("received_at", Referral.received_at, "Received"),
                _at("decision_due_at", Referral.decision_due_at, "Decision due"),
                _at("decided_at", Referral.decided_at, "Decided"),
                _staff("decided_by", Referral.decided_by, "Who decided"),
                Column("decision_missed", "boolean", "The decision was late.", Referral.decision_missed),
                Column("review_by", "date", "Review by.", Referral.review_by),
                _at("notified_at", Referral.notified_at, "The social worker was told"),
            ),
            lambda s: s.select_from(Referral).where(Referral.decided_at.is_not(None)),
            Referral.decided_at,
            Referral.area,
            Referral.id,
        ),
        Dataset(
            "arrangements",
            "Contact arrangements (R-17), by the date opened.",
            (
                Column("arrangement_id", "string", "The arrangement's id (UUID).", Arrangement.id),
                Column("referral_id", "string", "The referral it came from (UUID).", Arrangement.referral_id),
                _child(Arrangement.child_id),
                _area(Arrangement.area),
                Column("status", "string", "Active, suspended or closed.", Arrangement.status),
                Column("basis", "string", "The decision it rests on.", Arrangement.basis),
                Column("level", "string", "Level of supervision.", Arrangement.level),
                Column("room_only", "boolean", "A room only.", Arrangement.room_only),
                Column("court_arena", "boolean", "In care proceedings.", Arrangement.court_arena),
                Column("review_by", "date", "Review by.", Arrangement.review_by),
                Column("breach_count", "integer", "Breaches recorded.", Arrangement.breach_count),
                _at("opened_at", Arrangement.opened_at, "Opened"),
                _at("suspended_at", Arrangement.suspended_at, "Suspended"),
                _at("resumed_at", Arrangement.resumed_at, "Resumed"),
                _at("closed_at", Arrangement.closed_at, "Closed"),
            ),
            lambda s: s.select_from(Arrangement),
            Arrangement.opened_at,
            Arrangement.area,
            Arrangement.id,
        ),
        Dataset(
            "sessions",
            "Contact sessions (R-20 to R-27), by start time; the location is free text and left out.",
            (
                Column("session_id", "string", "The session's id (UUID).", ContactSession.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", ContactSession.arrangement_id),
                _child(ContactSession.child_id),
                _area(Child.area),
                Column("venue_id", "string", "The venue (UUID), if in one.", ContactSession.venue_id),
                Column("room_id", "string", "The room (UUID), if in one.", ContactSession.room_id),
                _staff("csw", ContactSession.csw_sub, "The supervising contact support worker"),
                _at("starts_at", ContactSession.starts_at, "Starts"),
                _at("ends_at", ContactSession.ends_at, "Ends"),
                Column("status", "string", "Where the session stands.", ContactSession.status),
                Column("series_id", "string", "The series it belongs to (UUID).", ContactSession.series_id),
                Column("retrospective", "boolean", "Recorded after the event.", ContactSession.retrospective),
                _at("created_at", ContactSession.created_at, "Booked"),
                _staff("created_by", ContactSession.created_by, "Who booked it"),
                _at("cancelled_at", ContactSession.cancelled_at, "Cancelled"),
                Column("cancelled_by", "string", "Which party cancelled.", ContactSession.cancelled_by),
                Column("cancelled_by_person_id", "pseudonym", "The person who cancelled (pseudonymised for data analysts).", ContactSession.cancelled_by_person_id, "person"),
                _staff("cancelled_by_staff", ContactSession.cancelled_by_sub, "Who recorded the cancellation"),
                Column("late_cancellation", "boolean", "Cancelled late.", ContactSession.late_cancellation),
            ),
            lambda s: s.select_from(ContactSession).join(Child, Child.id == ContactSession.child_id),
            ContactSession.starts_at,
            Child.area,
            ContactSession.id,
        ),
        Dataset(
            "records",
            "Session records' metadata (R-40 to R-45), by the session's start; never the note text.",
            (
                Column("record_id", "string", "The record's id (UUID).", SessionRecord.id),
                Column("session_id", "string", "The session (UUID).", SessionRecord.session_id),
                _child(ContactSession.child_id),
                _area(Child.area),
                _staff("csw", SessionRecord.csw_sub, "The contact support worker writing it"),
                Column("status", "string", "Draft or submitted.", SessionRecord.status),
                Column("version", "integer", "Versions saved.", SessionRecord.version),
                _at("session_starts_at", ContactSession.starts_at, "The session's start"),
                _at("due_at", SessionRecord.due_at, "Due"),
                _at("submitted_at", SessionRecord.submitted_at, "Submitted"),
                _staff("submitted_by", SessionRecord.submitted_by, "Who submitted it"),
                Column("late", "boolean", "Submitted after it was due.", SessionRecord.late),
                _at("created_at", SessionRecord.created_at, "Started"),
                _at("updated_at", SessionRecord.updated_at, "Last saved"),
            ),
            lambda s: s.select_from(SessionRecord)
            .join(ContactSession, ContactSession.id == SessionRecord.session_id)
            .join(Child, Child.id == ContactSession.child_id),
            ContactSession.starts_at,
            Child.area,
            SessionRecord.id,
        ),
        Dataset(
            "transport",
            "Transport requests (R-30 to R-34), by the date asked for; addresses and reasons are left out.",
            (
                Column("transport_id", "string", "The request's id (UUID).", TransportRequest.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", TransportRequest.arrangement_id),
                _child(TransportRequest.child_id),
                _area(Child.area),
                Column("session_id", "string", "The session (UUID).", TransportRequest.session_id),
                Column("legs", "list", "Legs (`;`-separated in CSV).", TransportRequest.legs),
                Column("provider", "string", "Who provides it.", TransportRequest.provider),
                Column("status", "string", "Where the request stands.", TransportRequest.status),
                _staff("decided_by", TransportRequest.decided_by, "Who decided"),
                _at("decided_at", TransportRequest.decided_at, "Decided"),
                Column("driver_id", "pseudonym", "The driver (pseudonymised for data analysts).", TransportRequest.driver_id, "driver"),
                _at("driver_assigned_at", TransportRequest.driver_assigned_at, "Driver assigned"),
                _at("cancelled_at", TransportRequest.cancelled_at, "Cancelled"),
                _staff("created_by", TransportRequest.created_by, "Who asked"),
                _at("created_at", TransportRequest.created_at, "Asked for"),
            ),
            lambda s: s.select_from(TransportRequest).join(Child, Child.id == TransportRequest.child_id),
            TransportRequest.created_at,
            Child.area,
            TransportRequest.id,
        ),
        Dataset(
            "expenses",
            "Expenses claimed (R-35), by the date incurred; the purpose is free text and left out.",
            (
                Column("expense_id", "string", "The expense's id (UUID).", Expense.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", Expense.arrangement_id),
                _child(Arrangement.child_id),
                _area(Arrangement.area),
                Column("person_id", "pseudonym", "Who claims (pseudonymised for data analysts).", Expense.person_id, "person"),
                Column("kind", "string", "Kind of expense.", Expense.kind),
                Column("amount_pence", "integer", "Amount in pence.", Expense.amount_pence),
                Column("incurred_on", "date", "Incurred on.", Expense.incurred_on),
                Column("status", "string", "Where the claim stands.", Expense.status),
                _staff("decided_by", Expense.decided_by, "Who decided"),
                _at("decided_at", Expense.decided_at, "Decided"),
                _staff("created_by", Expense.created_by, "Who entered it"),
                _at("created_at", Expense.created_at, "Entered"),
            ),
            lambda s: s.select_from(Expense).join(Arrangement, Arrangement.id == Expense.arrangement_id),
            Expense.incurred_on,
            Arrangement.area,
            Expense.id,
        ),
        Dataset(
            "breaches",
            "Breaches of written agreements (R-51, R-52), by when they happened; descriptions are left out.",
            (
                Column("breach_id", "string", "The breach's id (UUID).", Breach.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", Breach.arrangement_id),
                _child(Arrangement.child_id),
                _area(Arrangement.area),
                Column("agreement_id", "string", "The agreement (UUID).", Breach.agreement_id),
                Column("session_id", "string", "The session (UUID), if in one.", Breach.session_id),
                Column("person_id", "pseudonym", "Who breached it (pseudonymised for data analysts).", Breach.person_id, "person"),
                Column("severity", "string", "Severity.", Breach.severity),
                _at("occurred_at", Breach.occurred_at, "Happened"),
                _staff("recorded_by", Breach.recorded_by, "Who recorded it"),
                _at("recorded_at", Breach.recorded_at, "Recorded"),
                Column("suspended", "boolean", "This breach suspended the arrangement.", Breach.suspended),
            ),
            lambda s: s.select_from(Breach).join(Arrangement, Arrangement.id == Breach.arrangement_id),
            Breach.occurred_at,
            Arrangement.area,
            Breach.id,
        ),
        Dataset(
            "restrictions",
            "Restrictions of contact (R-53), by start date; reasons and notices are left out.",
            (
                Column("restriction_id", "string", "The restriction's id (UUID).", Restriction.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", Restriction.arrangement_id),
                _child(Arrangement.child_id),
                _area(Arrangement.area),
                Column("kind", "string", "Kind of restriction.", Restriction.kind),
                Column("starts_on", "date", "Starts on.", Restriction.starts_on),
                Column("ends_on", "date", "Ends on.", Restriction.ends_on),
                Column("emergency", "boolean", "An emergency restriction.", Restriction.emergency),
                _staff("authorised_by", Restriction.authorised_by, "Who authorised it"),
                _at("authorised_at", Restriction.authorised_at, "Authorised"),
                _at("placing_authority_notify_by", Restriction.placing_authority_notify_by, "The placing authority is to be told by"),
                _at("placing_authority_notified_at", Restriction.placing_authority_notified_at, "The placing authority was told"),
            ),
            lambda s: s.select_from(Restriction).join(Arrangement, Arrangement.id == Restriction.arrangement_id),
            Restriction.starts_on,
            Arrangement.area,
            Restriction.id,
        ),
        Dataset(
            "reviews",
            "Reviews of arrangements (R-55), by the date held; outcomes are free text and left out.",
            (
                Column("review_id", "string", "The review's id (UUID).", Review.id),
                Column("arrangement_id", "string", "The arrangement (UUID).", Review.arrangement_id),
                _child(Arrangement.child_id),
                _area(Arrangement.area),
                Column("kind", "string", "Kind of review.", Review.kind),
                Column("held_on", "date", "Held on.", Review.held_on),
                Column("lac_number", "integer", "The looked-after-child review number.", Review.lac_number),
                Column("next_due_on", "date", "Next due on.", Review.next_due_on),
                _staff("recorded_by", Review.recorded_by, "Who recorded it"),
                _at("recorded_at", Review.recorded_at, "Recorded"),
            ),
            lambda s: s.select_from(Review).join(Arrangement, Arrangement.id == Review.arrangement_id),
            Review.held_on,
            Arrangement.area,
            Review.id,
        ),
    )
}


def catalogue_text() -> str:
    """Every dataset's columns, for the OpenAPI description."""
    lines = []
    for d in DATASETS.values():
        cols = ", ".join(f"`{c.name}` ({c.catalogue_type}{'' if c.kind != 'manager_only' else ', service manager only'})" for c in d.columns)
        lines.append(f"- **{d.name}**: {d.description} Columns: {cols}.")
    return "\n".join(lines)


def dataset(name: str) -> Dataset:
    found = DATASETS.get(name)
    if found is None:
        raise AppError(404, "not-found", "Not found", f"No dataset {name!r}. Known datasets: {', '.join(DATASETS)}.")
    return found


@dataclass(frozen=True)
class Filters:
    since: date | None
    until: date | None
    area: str | None


def check_filters(settings: Settings, today: date, since: date | None, until: date | None, area: str | None) -> Filters:
    """The 422s of R-86's filters, each naming its parameter."""
    if since is not None and until is not None and until < since:
        raise invalid_field("until", "must not be before `since`", location="query")
    if since is not None and (until or today) - since > MAX_RANGE:
        raise invalid_field("since", "the range may span at most 10 years", location="query")
    if area is not None:
        check_area(settings.areas, area, location="query")
    return Filters(since, until, area)


def statement(d: Dataset, view: View, filters: Filters, zone: ZoneInfo, fmt: Format = "ndjson") -> Select[Any]:
    """The export's SELECT, each cell already written as the format wants it (`cell`)."""
    columns = d.visible(view)
    stmt = d.base(select(*(cell(c, view, fmt).label(c.name) for c in columns)))
    condition: ColumnElement[bool] = true()
    is_date = getattr(d.dated.type, "python_type", None) is date
    if filters.since is not None:
        condition &= d.dated >= (filters.since if is_date else _start(filters.since, zone))
    if filters.until is not None:
        condition &= d.dated <= filters.until if is_date else d.dated < _start(filters.until + timedelta(days=1), zone)
    if filters.area is not None:
        condition &= d.area == filters.area
    return stmt.where(condition).order_by(d.dated, d.order)


def cell(c: Column, view: View, fmt: Format) -> ColumnElement[Any]:
    """A column as the export writes it, formatted by the database where it can be.

    Instants, UUIDs, days and birth months come back as text (`exports.text`), and in CSV
    so do booleans (`true`/`false`) and integers, with `''` for an empty cell: text that
    never needs quoting nor a formula guard, so Python passes it through untouched. Left to
    Python (`encoder`) is only what needs it: pseudonyms, lists, and strings, which are
    guarded and quoted. Profiled, this halved the cost of a row.
    """
    expr = c.expr
    text: ColumnElement[Any]
    if c.kind == "birth_month":
        text = month_text(expr)
    elif c.type == "datetime":
        text = utc_text(expr)
    elif c.type == "date":
        text = date_text(expr)
    elif isinstance(expr.type, Uuid):
        text = uuid_text(expr)
    elif fmt == "csv" and c.type == "boolean":
        text = case((expr, literal_column("'true'")), (not_(expr), literal_column("'false'")))
    elif fmt == "csv" and c.type == "integer":
        text = cast(expr, String())
    elif isinstance(expr.type, SAEnum):  # the stored string as it is, not an enum object per cell
        return type_coerce(expr, String())
    else:
        return expr
    if fmt == "csv" and not _finished_in_python(c, view):
        return func.coalesce(text, literal_column("''"))
    return text


def _pseudonymised(c: Column, view: View) -> bool:
    return view.pseudonymised and c.kind in PSEUDONYM_KINDS


def _finished_in_python(c: Column, view: View) -> bool:
    return _pseudonymised(c, view) or (c.type in ("string", "list", "pseudonym") and not isinstance(c.expr.type, Uuid))


def _start(day: date, zone: ZoneInfo) -> datetime:
    """The instant a local day begins (the service's days are local, R-01)."""
    return datetime.combine(day, time(0), zone).astimezone(timezone.utc)


class Pseudonyms:
    """HMAC-SHA256 of `kind:value` under PSEUDONYM_KEY, as hex: the same identity gets the
    same pseudonym in every dataset and every export, so analysts can join.

    Staff and children come round again and again, so each kind keeps the pseudonyms it
    has made for the length of one export, up to CACHE of them (then it starts again):
    memory stays flat, and a million sessions cost a few thousand HMACs."""

    CACHE = 16384

    def __init__(self, key: str):
        self._key = key.encode()
        self._makers: dict[str, Callable[[object], str]] = {}

    def maker(self, kind: str) -> Callable[[object], str]:
        """The pseudonym of one kind of identity, remembered (one memory per kind, shared
        by the columns of that kind)."""
        if kind not in self._makers:
            self._makers[kind] = self._make(kind)
        return self._makers[kind]

    def _make(self, kind: str) -> Callable[[object], str]:
        key, prefix, made = self._key, f"{kind}:", dict[object, str]()

        def pseudonym(value: object) -> str:
            found = made.get(value)
            if found is None:
                if len(made) >= self.CACHE:
                    made.clear()
                found = made[value] = hmac.digest(key, f"{prefix}{value}".encode(), "sha256").hex()
            return found

        return pseudonym


_NEEDS_QUOTES = re.compile(r'[",\r\n]')


def _field(value: object) -> str:
    """A CSV field from a string (or a list, `;`-joined): a formula trigger gets a `'`
    first, and RFC 4180 quoting (in double quotes, inner quotes doubled) when it holds a
    comma, a quote or a line break."""
    if value is None:
        return ""
    text = ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if text.startswith(CSV_TRIGGERS):
        text = "'" + text
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def encoder(columns: list[Column], view: View, key: str, fmt: Format) -> Callable[[Sequence[Any]], Any]:
    """What Python still does to a row from `statement`, whose other cells the database has
    written already (`cell`): pseudonyms for a data analyst; in CSV, strings and lists made
    fields (`_field`) and the line joined; in NDJSON, the row made a JSON object."""
    pseudonyms = Pseudonyms(key)
    hidden = [(i, pseudonyms.maker(c.kind)) for i, c in enumerate(columns) if _pseudonymised(c, view)]
    if fmt == "ndjson":
        names = [c.name for c in columns]
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

        def encode_json(row: Sequence[Any]) -> str:
            out = list(row)
            for i, pseudonym in hidden:
                if out[i] is not None:
                    out[i] = pseudonym(out[i])
            return dumps(dict(zip(names, out, strict=True))) + "\n"

        return encode_json

    fields = [i for i, c in enumerate(columns) if _finished_in_python(c, view) and not _pseudonymised(c, view)]

    def encode_csv(row: Sequence[Any]) -> str:
        out = list(row)
        for i, pseudonym in hidden:
            value = out[i]
            out[i] = "" if value is None else pseudonym(value)
        for i in fields:
            out[i] = _field(out[i])
        return ",".join(out) + "\r\n"

    return encode_csv


def stream(engine: Engine, d: Dataset, view: View, filters: Filters, settings: Settings, fmt: Format) -> Iterator[bytes]:
    """Encoded batches of the export, from a server-side cursor on a connection of its own
    that lives as long as the stream (closed when the generator is closed)."""
    columns = d.visible(view)
    stmt = statement(d, view, filters, ZoneInfo(settings.timezone), fmt)
    encode = encoder(columns, view, settings.pseudonym_secret, fmt)
    if fmt == "csv":
        yield (",".join(_field(c.name) for c in columns) + "\r\n").encode()
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(stmt)
        for batch in result.partitions():
            yield "".join(map(encode, batch)).encode()
        connection.rollback()
