"""`contact-service demo`: fill an empty database with a small, fictional service to try
the API with (issue 16).

Everything is made through the HTTP API, in-process (a `TestClient` on `create_app` over
the configured database), never by inserting rows: each write is audited and emits its
events as a real caller's would, and the real rules apply. So the demo shows how the
service is used: staff exist before they are booked, a first session waits for every
party's signature, sessions of a school-age child sit after school, a session in the past
is recorded by a team leader with a retrospective reason (the one way a record can be
written for a session that has happened), and a driver is assigned only to an approved
transport request.

What it makes, all in the area `north`: two venues with two rooms each; two contact
support workers and a team leader on the staff list; a volunteer driver with a valid DBS
check; five children from `framework`, each with a network, one of them (the child of the
arrangement) with a withheld placement address; referrals in every state (draft,
approved, submitted and urgent, triaged, decided as accepted, declined and declined for
capacity, withdrawn); an arrangement with a signed written agreement, a weekly series of
sessions in the coming weeks with transport, a past session whose record was submitted
and then amended, and a past session still waiting for its record. It then prints a token
for each role (as `contact-service token` mints them) and the ids to try, as shell
`export` lines (comments for the rest, so the output can be sourced), or one JSON object
with `--json`.

It refuses a database that already holds children, referrals or venues: it is a sandbox,
not a seeding tool. Every name in it is made up.
"""

from __future__ import annotations

import json
import logging
import shlex
import sys
import uuid
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.children.models import Child
from app.core import clock
from app.core.config import API_PREFIX, Settings
from app.core.security import mint_local_token
from app.referrals.models import Referral
from app.venues.models import Venue

SOURCE = "framework"
AREA = "north"
TEAM = "north-1"
TOKEN_HOURS = 12
WEEKDAYS = range(5)
# Sessions sit after school (R-24 keeps a school-age child's weekday daytime free).
SESSION_START, SESSION_END = time(16, 0), time(17, 30)


@dataclass(frozen=True)
class Caller:
    """Who the demo acts as, and the variable its token is printed in."""

    variable: str
    sub: str
    role: str
    name: str
    team: str | None = None
    area: str | None = None
    act_for: str | None = None


SW = Caller("SW_TOKEN", "sw-demo-1", "social_worker", "Sam Sampleworth (demo social worker)", TEAM, AREA)
TM = Caller("TM_TOKEN", "tm-demo-1", "team_manager", "Terry Teststone (demo team manager)", TEAM, AREA)
TL = Caller("TL_TOKEN", "tl-demo-1", "team_leader", "Morgan Exemplar (demo team leader)", area=AREA)
CSW = Caller("CSW_TOKEN", "csw-demo-1", "contact_support_worker", "Casey Placeholder (demo CSW)", area=AREA)
SM = Caller("SM_TOKEN", "sm-demo-1", "service_manager", "Alex Mockford (demo service manager)")
IRO = Caller("IRO_TOKEN", "iro-demo-1", "iro", "Jordan Dummyfield (demo IRO)")
DA = Caller("DA_TOKEN", "da-demo-1", "data_analyst", "Riley Fakenham (demo data analyst)")
ADMIN = Caller("ADMIN_TOKEN", "admin-demo-1", "admin", "Demo Administrator")
CALLERS = (SW, TM, TL, CSW, SM, IRO, DA, ADMIN)


class DemoError(Exception):
    """A step the service refused: the demo stops there (its database then needs emptying)."""


@dataclass
class Api:
    """The app in-process, called as each demo role; a non-2xx answer stops the demo."""

    client: Any  # fastapi.testclient.TestClient
    tokens: dict[str, str]

    def __call__(
        self, who: Caller, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[Any, Any]:
        sent = {"Authorization": f"Bearer {self.tokens[who.variable]}", **(headers or {})}
        answer = self.client.request(method, API_PREFIX + path, json=body, headers=sent)
        if not 200 <= answer.status_code < 300:
            problem = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
            raise DemoError(
                f"{method} {path} as {who.role} answered {answer.status_code}: "
                f"{problem.get('title', '')} {problem.get('detail', '')} {problem.get('errors', '')}".strip()
            )
        return (answer.json() if answer.content and "json" in answer.headers.get("content-type", "") else None), answer


@dataclass
class Built:
    """What the demo made: the variables to print, and the rest for `--json`."""

    env: dict[str, str] = field(default_factory=dict)
    children: list[dict[str, str]] = field(default_factory=list)
    referrals: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the clock


class Days:
    """Local days and times relative to now, in the service's zone (R-01)."""

    def __init__(self, settings: Settings, now: datetime) -> None:
        self.zone = ZoneInfo(settings.timezone)
        self.now = now
        self.today = now.astimezone(self.zone).date()

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone).astimezone(UTC)

    def years_ago(self, years: int, month: int, day: int) -> str:
        return date(self.today.year - years, month, day).isoformat()

    def past_weekdays(self, count: int) -> list[date]:
        """The latest `count` weekdays whose after-school session has ended, latest first."""
        found: list[date] = []
        day = self.today
        while len(found) < count:
            if day.weekday() in WEEKDAYS and self.at(day, SESSION_END) <= self.now - timedelta(minutes=5):
                found.append(day)
            day -= timedelta(days=1)
        return found

    def next_weekday(self, weekday: int, at_least_days: int) -> date:
        day = self.today + timedelta(days=at_least_days)
        while day.weekday() != weekday:
            day += timedelta(days=1)
        return day


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def hours(opens: str, closes: str, days: range | list[int] = WEEKDAYS) -> list[dict[str, Any]]:
    return [{"weekday": d, "opens": opens, "closes": closes} for d in days]


# --------------------------------------------------------------------------- the service


def build(api: Api, days: Days) -> Built:
    built = Built()

    # Venues, rooms, staff and a driver: the admin's list comes before any booking.
    north, _ = api(ADMIN, "POST", "/venues", {
        "name": "Exampleton Family Centre (demo)", "area": AREA,
        "opening_hours": hours("08:30", "19:00") + hours("10:00", "16:00", [5]),
    })
    second, _ = api(ADMIN, "POST", "/venues", {"name": "Sampleford Contact Centre (demo)", "area": AREA})
    garden, _ = api(ADMIN, "POST", f"/venues/{north['id']}/rooms", {
        "name": "Garden room", "capacity": 6, "min_age": 0, "max_age": 11, "accessible": True, "outdoor_space": True,
    })
    api(ADMIN, "POST", f"/venues/{north['id']}/rooms", {"name": "Teen room", "capacity": 4, "min_age": 11, "max_age": 18})
    api(ADMIN, "POST", f"/venues/{second['id']}/rooms", {"name": "Blue room", "capacity": 5, "accessible": True})
    api(ADMIN, "POST", f"/venues/{second['id']}/rooms", {"name": "Family kitchen", "capacity": 8})
    api(ADMIN, "PUT", f"/staff/{CSW.sub}", {
        "name": "Casey Placeholder", "job_title": "Contact Support Worker", "role": "contact_support_worker",
        "area": AREA, "working_hours": hours("10:00", "19:00"), "daily_cap": 3,
    })
    api(ADMIN, "PUT", "/staff/csw-demo-2", {
        "name": "Robin Dummyworth", "job_title": "Senior Contact Support Worker", "role": "contact_support_worker",
        "area": AREA, "working_hours": hours("12:00", "19:00", [0, 1, 2, 3]) + hours("10:00", "16:00", [5]),
    })
    api(ADMIN, "PUT", f"/staff/{TL.sub}", {
        "name": "Morgan Exemplar", "job_title": "Team Leader", "role": "team_leader", "area": AREA,
        "working_hours": hours("09:00", "17:00"),
    })
    driver, _ = api(ADMIN, "POST", "/drivers", {
        "name": "Pat Pretendley", "area": AREA,
        "dbs_checked_on": (days.today - timedelta(days=200)).isoformat(),
        "dbs_expires_on": (days.today + timedelta(days=3 * 365)).isoformat(),
    })

    # Five children, each mirrored by its social worker, with their networks.
    def child(number: int, first: str, last: str, born: str, network: list[tuple[str, str, str]], **extra: Any) -> tuple[dict, dict]:
        key = f"DEMO-{number:04d}"
        body = {
            "first_name": first, "last_name": last, "date_of_birth": born, "social_worker_sub": SW.sub, "area": AREA,
            "legal_status": "care_order", "court_arena": False, "placement_type": "foster", **extra,
        }
        made, _ = api(SW, "PUT", f"/children/{SOURCE}/{key}", body)
        people = {}
        for relationship, first_name, last_name in network:
            person, _ = api(SW, "POST", f"/children/{made['id']}/people", {
                "first_name": first_name, "last_name": last_name, "relationship": relationship,
            })
            people[relationship] = person["id"]
        built.children.append({"name": f"{first} {last}", "id": made["id"], "source": SOURCE, "external_id": key})
        return made, people

    maisie, maisie_people = child(
        1, "Maisie", "Example", days.years_ago(8, 3, 14),
        [("mum", "Ruth", "Example"), ("dad", "Declan", "Example"), ("grandparent", "Iris", "Example"), ("sibling", "Oscar", "Example")],
        legal_status="interim_care_order", court_arena=True, iro_sub=IRO.sub,
        placement_address="7 Sample Street, Demoville, DE1 0MO",
        address_withheld={"authorised_by": TM.sub, "reason": "Risk of the placement being disrupted if it became known."},
    )
    leo, leo_people = child(
        2, "Leo", "Sampleton", days.years_ago(12, 6, 2), [("mum", "Dana", "Sampleton"), ("grandparent", "Walter", "Sampleton")],
        placement_type="kinship", placement_address="22 Fictional Road, Demoville, DE2 2XX",
    )
    aisha, aisha_people = child(
        3, "Aisha", "Specimen", days.years_ago(3, 9, 21), [("mum", "Farah", "Specimen"), ("dad", "Yusuf", "Specimen")],
        legal_status="s20_accommodated",
    )
    tom, tom_people = child(
        4, "Tom", "Mockridge", days.years_ago(14, 1, 9), [("dad", "Gary", "Mockridge"), ("former_carer", "Jean", "Mockridge")],
        placement_type="residential",
    )
    ruby, ruby_people = child(
        5, "Ruby", "Fictional", days.years_ago(6, 11, 27), [("mum", "Kerry", "Fictional"), ("sibling", "Jade", "Fictional")],
        legal_status="interim_care_order", court_arena=True, placement_type="ifa",
    )

    # Referrals in every state.
    def draft(of: dict, people: list[str], **extra: Any) -> str:
        body = {
            "child_id": of["id"], "people": people, "purpose": ["relationships"], "level": "supervised",
            "frequency": {"times": 1, "per": "week"}, "duration_minutes": 90,
            "risk_assessment": {"factors": [], "summary": "No known risk beyond what the court papers describe."},
            **extra,
        }
        made, _ = api(SW, "POST", "/referrals", body)
        return made["id"]

    def submitted(of: dict, people: list[str], **extra: Any) -> str:
        referral = draft(of, people, **extra)
        api(TM, "POST", f"/referrals/{referral}/approval", {"note": "Approved for the demo."})
        api(SW, "POST", f"/referrals/{referral}/submit")
        return referral

    def decide(referral: str, body: dict[str, Any]) -> dict:
        return api(TL, "POST", f"/referrals/{referral}/decision", body)[0]

    accepted = submitted(
        maisie, [maisie_people["mum"], maisie_people["grandparent"]], purpose=["relationships", "rehabilitation_evidence"],
        risk_assessment={
            "factors": [{"factor": "domestic_abuse", "level": "medium", "note": "Dad is not to attend; mum and dad must not meet."}],
            "summary": "Supervision needed to evidence the rehabilitation plan.",
        },
        transport={"reason": "The foster carer works late on weekdays.", "evidence": "The carer's work rota, seen by the social worker."},
    )
    arrangement_id = decide(accepted, {"outcome": "accepted_core"})["arrangement_id"]
    declined = submitted(leo, [leo_people["grandparent"]], level="supported")
    decide(declined, {"outcome": "declined", "reason": "Contact can be supported by the kinship carer at home."})
    capacity = submitted(tom, [tom_people["former_carer"]], purpose=["identity"])
    decide(capacity, {"outcome": "declined_capacity"})
    approved = draft(leo, [leo_people["mum"]], frequency={"times": 2, "per": "month"})
    api(TM, "POST", f"/referrals/{approved}/approval")
    urgent_call = {"called_at": iso(days.now - timedelta(hours=1)), "caller": SW.sub}
    triaged = submitted(aisha, [aisha_people["mum"]], urgent={**urgent_call, "called_at": iso(days.now - timedelta(hours=3))})
    api(TL, "POST", f"/referrals/{triaged}/triage", {"note": "Considered the same morning."})
    withdrawn = draft(aisha, [aisha_people["dad"]])
    api(SW, "POST", f"/referrals/{withdrawn}/withdraw", {"reason": "Sent twice by mistake."})
    urgent = submitted(tom, [tom_people["dad"]], urgent=urgent_call)
    to_decide = submitted(ruby, [ruby_people["mum"], ruby_people["sibling"]])
    drafted = draft(ruby, [ruby_people["sibling"]], level="supported", purpose=["identity", "relationships"])
    built.referrals = {
        "draft": drafted, "approved": approved, "submitted": to_decide, "submitted_urgent": urgent,
        "submitted_triaged": triaged, "accepted_core": accepted, "declined": declined,
        "declined_capacity": capacity, "withdrawn": withdrawn,
    }

    # The arrangement's written agreement, signed by both parties.
    parties = [{"person_id": maisie_people["mum"], "role": "parent"}, {"person_id": maisie_people["grandparent"], "role": "relative"}]
    agreement, _ = api(SW, "PUT", f"/arrangements/{arrangement_id}/agreement", {
        "expectations": [
            "Arrive ten minutes before the session starts, and leave when the worker says it has ended.",
            "Do not discuss the court case, or where the child lives, during contact.",
            "No mobile phones or photographs in the contact room.",
        ],
        "breach_consequences": "Each breach is recorded; a third breach, or any serious one, suspends contact until a review meeting.",
        "parties": parties,
    })
    for party, method in zip(parties, ("in_person", "remote")):
        api(SW, "POST", f"/arrangements/{arrangement_id}/agreement/signatures", {
            "person_id": party["person_id"], "signed_at": agreement["written_at"], "method": method,
        })

    # Sessions: two that already happened (recorded by a team leader, with the reason), and
    # a weekly series after school in the coming weeks.
    mum = maisie_people["mum"]
    slot = {"arrangement_id": arrangement_id, "room_id": garden["id"], "csw_sub": CSW.sub}
    latest, earlier = days.past_weekdays(2)
    past = []
    for day in (earlier, latest):
        made, _ = api(TL, "POST", "/sessions", {
            **slot, "starts_at": iso(days.at(day, SESSION_START)), "ends_at": iso(days.at(day, SESSION_END)), "attendees": [mum],
            "retrospective_reason": "Held before the service's records moved to this system.",
        })
        past.append(made)
    first = days.next_weekday(1, 2)  # a Tuesday at least two days ahead
    series, _ = api(TL, "POST", "/sessions", {
        **slot, "starts_at": iso(days.at(first, SESSION_START)), "ends_at": iso(days.at(first, SESSION_END)),
        "attendees": [mum, maisie_people["grandparent"]], "rrule": "FREQ=WEEKLY;COUNT=8",
    })

    # Transport for the series: asked for, approved, then a driver assigned.
    transport, _ = api(SW, "POST", "/transport-requests", {
        "arrangement_id": arrangement_id, "legs": ["to_venue", "from_venue"],
        "pickup_address": "7 Sample Street, Demoville, DE1 0MO",
        "reason": "The foster carer works late on weekdays.", "evidence": "The carer's work rota, seen by the social worker.",
    })
    api(TL, "POST", f"/transport-requests/{transport['id']}/decision", {"approve": True})
    api(TL, "POST", f"/transport-requests/{transport['id']}/driver", {"driver_id": driver["id"]})
    expense, _ = api(SW, "POST", "/expenses", {
        "arrangement_id": arrangement_id, "person_id": mum, "amount_pence": 640,
        "purpose": "Return bus fare to the contact centre", "incurred_on": earlier.isoformat(),
    })
    api(TL, "POST", f"/expenses/{expense['id']}/approval", {"approve": True})

    # The earlier past session's record: a draft, submitted, then amended.
    recorded = past[0]
    starts = datetime.fromisoformat(recorded["starts_at"].replace("Z", "+00:00"))
    ends = datetime.fromisoformat(recorded["ends_at"].replace("Z", "+00:00"))
    path = f"/sessions/{recorded['id']}/record"
    _, saved = api(CSW, "PUT", path, {
        "went_ahead": True, "arrived_at": iso(starts + timedelta(minutes=2)), "left_at": iso(ends),
        "attendees": [mum],
        "observations": "Maisie ran to mum and hugged her. They baked biscuits together and mum praised her.",
        "child_views": "Maisie said she liked baking and wants to show mum her drawings next time.",
        "parent_views": "Mum said the session went well and asked for longer sessions.",
    }, headers={"Idempotency-Key": f"demo-{uuid.uuid4()}"})
    _, submitted_answer = api(CSW, "POST", f"{path}/submit", headers={"If-Match": saved.headers["ETag"]})
    api(CSW, "POST", f"{path}/amendments", {
        "reason": "Corrected the time mum left: she left five minutes early to catch her bus.",
        "changes": {"left_at": iso(ends - timedelta(minutes=5))},
    }, headers={"If-Match": submitted_answer.headers["ETag"]})

    booking_day = days.next_weekday(3, 3)  # a Thursday at least three days ahead: free for the README's booking
    built.env.update({
        "CHILD_ID": maisie["id"],
        "CHILD_SOURCE": SOURCE,
        "CHILD_EXTERNAL_ID": "DEMO-0001",
        "REFERRAL_ID": accepted,
        "REFERRAL_TO_DECIDE": to_decide,
        "ARRANGEMENT_ID": arrangement_id,
        "SESSION_ID": series["sessions"][0]["id"],
        "RECORDED_SESSION_ID": recorded["id"],
        "SESSION_TO_RECORD": past[1]["id"],
        "VENUE_ID": north["id"],
        "ROOM_ID": garden["id"],
        "CSW_SUB": CSW.sub,
        "BOOK_STARTS_AT": iso(days.at(booking_day, SESSION_START)),
        "BOOK_ENDS_AT": iso(days.at(booking_day, SESSION_END)),
        "TRANSPORT_ID": transport["id"],
        "DRIVER_ID": driver["id"],
    })
    built.notes = [
        f"Maisie Example ({SOURCE}/DEMO-0001): the arrangement's child; placement address withheld (R-08)",
        "Leo Sampleton (DEMO-0002), Aisha Specimen (DEMO-0003), Tom Mockridge (DEMO-0004), Ruby Fictional (DEMO-0005)",
        f"sessions: two past ({earlier}, {latest}; the first with a submitted and amended record), "
        f"a weekly series of 8 from {first}, 16:00-17:30 local",
    ]
    return built


# --------------------------------------------------------------------------- running it


def filled(engine: Any) -> dict[str, int]:
    """What the database holds already that the demo would add to."""
    with Session(engine) as session:
        counts = {
            "children": session.execute(select(func.count()).select_from(Child)).scalar_one(),
            "referrals": session.execute(select(func.count()).select_from(Referral)).scalar_one(),
            "venues": session.execute(select(func.count()).select_from(Venue)).scalar_one(),
        }
    return {name: n for name, n in counts.items() if n}


def mint_tokens(settings: Settings) -> tuple[dict[str, str], list[Caller]]:
    ttl = timedelta(seconds=min(TOKEN_HOURS * 3600, settings.jwt_max_lifetime_seconds))
    callers = list(CALLERS)
    # An integration token only when the configuration binds a client to the demo's source.
    bound = sorted(sub for sub, source in settings.integration_sources.items() if source == SOURCE)
    if bound:
        callers.append(Caller("INTEGRATION_TOKEN", bound[0], "integration", "Demo case-record system", act_for=SW.sub))
    tokens = {
        c.variable: mint_local_token(
            settings, c.sub, [c.role], name=c.name, team=c.team, area=c.area, act_for=c.act_for, ttl=ttl
        )
        for c in callers
    }
    return tokens, callers


def run(settings: Settings, *, as_json: bool = False, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Fill the (migrated) database of `settings`; 0 when done, 1 when refused or stopped."""
    with warnings.catch_warnings():  # Starlette's advice to move to httpx2 is not the demo user's concern
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
        from fastapi.testclient import TestClient

    from app.main import create_app

    out, err = out or sys.stdout, err or sys.stderr
    if settings.uses_jwks:
        print("contact-service demo: JWT_JWKS_URL is set, so this service cannot mint tokens; "
              "run the demo on a local set-up (HS256, JWT_SECRET or var/jwt-secret).", file=err)
        return 1
    where = make_url(settings.database_url).render_as_string(hide_password=True)
    # No worker (its jobs are not the demo's), and the app's own logs kept off standard
    # output, which carries the tokens for `source` or the JSON for a script.
    settings = settings.model_copy(update={"worker": False, "log_level": "WARNING"})
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    app = create_app(settings)
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(err)
    try:
        present = filled(app.state.engine)
        if present:
            held = ", ".join(f"{n} {name}" for name, n in present.items())
            print(f"contact-service demo: refused, {where} already holds {held}. The demo fills an empty database "
                  "only: point DATABASE_URL at an empty one, or empty this one, and run it again.", file=err)
            return 1
        days = Days(settings, clock.now())
        tokens, callers = mint_tokens(settings)  # minted after `days.now`, so they live at least until `expires`
        expires = days.now + timedelta(seconds=min(TOKEN_HOURS * 3600, settings.jwt_max_lifetime_seconds))
        try:
            with TestClient(app, raise_server_exceptions=False) as client:
                built = build(Api(client, tokens), days)
        except DemoError as exc:
            print(f"contact-service demo: stopped, the service refused a step: {exc}\n"
                  f"{where} now holds part of the demo; empty it before running the demo again.", file=err)
            return 1
    finally:
        app.state.engine.dispose()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    env = {**tokens, **built.env}
    if as_json:
        out.write(json.dumps({
            "database": where,
            "tokens_expire_at": iso(expires),
            "env": env,
            "callers": {c.variable: {"sub": c.sub, "role": c.role} for c in callers},
            "children": built.children,
            "referrals": built.referrals,
        }, indent=2) + "\n")
        return 0
    out.write(shell_text(where, iso(expires), tokens, callers, built))
    return 0


def shell_text(where: str, expires: str, tokens: dict[str, str], callers: list[Caller], built: Built) -> str:
    """`export` lines a shell can source, everything else as comments."""
    lines = [
        f"# contact-service demo: {where} now holds a small fictional service (every name is made up).",
        f"# Tokens for each role, valid until {expires}:",
    ]
    lines += [f"export {c.variable}={shlex.quote(tokens[c.variable])}  # {c.sub}, {c.role}" for c in callers]
    if "INTEGRATION_TOKEN" not in tokens:
        lines.append(f"# (no INTEGRATION_TOKEN: set INTEGRATION_SOURCES=framework-demo={SOURCE} for the server and the demo)")
    lines.append("# Ids to try:")
    lines += [f"export {name}={shlex.quote(value)}" for name, value in built.env.items()]
    lines += [f"# {note}" for note in built.notes]
    lines.append("# Referrals, one in each state:")
    lines += [f"#   {state:<18} {referral}" for state, referral in built.referrals.items()]
    lines.append("# Children:")
    lines += [f"#   {c['name']:<18} {c['id']}  {c['source']}/{c['external_id']}" for c in built.children]
    return "\n".join(lines) + "\n"
