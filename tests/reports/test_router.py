"""R-63 reports through HTTP: the numbers, the formats, who may read them, bad input, and
that each report is a constant handful of statements however much data there is."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.reports.service import REPORTS
from tests.helpers import at

BUILT = "2026-11-02T09:00:00+00:00"  # a Monday
LATER = "2026-11-16T10:00:00+00:00"  # past the 5 working days of a referral received on BUILT
READ = "2026-12-01T09:00:00+00:00"  # November is over
NOVEMBER = "from=2026-11&to=2026-11"
# November 2026 has 21 working days in England (no bank holiday); the `setting` has two
# north CSWs working every day with the default daily cap of 3.
NOVEMBER_CAPACITY_NORTH = 21 * 2 * 3


def session_body(world: dict, day: int, **extra) -> dict:
    return {
        "arrangement_id": world["arrangement"]["id"],
        "room_id": world["room"]["id"],
        "csw_sub": "csw-1",
        "starts_at": f"2026-11-{day:02d}T16:00:00Z",
        "ends_at": f"2026-11-{day:02d}T17:30:00Z",
        **extra,
    }


def book(scheduling, world: dict, day: int) -> dict:
    response = scheduling.book(**session_body(world, day))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def built():
    with at(BUILT) as traveller:
        yield traveller


@pytest.fixture
def world(built, setting, scheduling, client):
    """At BUILT: the setting (its referral decided at once, so on time), three November
    sessions for csw-1 of which one is cancelled by a parent; at LATER a second referral,
    received at BUILT, is decided late."""
    if True:
        traveller = built
        sessions = [book(scheduling, setting, day) for day in (10, 17, 24)]
        cancelled = client.post(
            f"/api/v1/sessions/{sessions[2]['id']}/cancel",
            json={"reason": "Mum rang to say she is unwell.", "cancelled_by": "parent"},
            headers=scheduling.tl(),
        )
        assert cancelled.status_code == 200, cancelled.text
        referrals = scheduling.referrals
        child, people = referrals.child(key="654321")
        late = referrals.draft(child, people)
        client.post(f"/api/v1/referrals/{late['id']}/approval", headers=referrals.tm())
        submitted = client.post(f"/api/v1/referrals/{late['id']}/submit", headers=referrals.sw())
        assert submitted.status_code == 200, submitted.text
        traveller.move_to(LATER)
        decided = referrals.decide(late, outcome="declined", reason="Family time can be supported by the carers.")
        assert decided.status_code == 200, decided.text
    return {**setting, "sessions": sessions}


def get(client, auth, path: str, role: tuple[str, str] = ("da-1", "data_analyst")):
    with at(READ):
        return client.get(path, headers=auth(*role))


def rows_of(body: dict) -> dict[tuple[str, str], dict]:
    return {(r["month"], r["area"]): r["values"] for r in body["rows"]}


class TestNumbers:
    def test_r63_sessions_delivered_against_capacity_by_month_and_area(self, client, auth, world):
        response = get(client, auth, f"/api/v1/reports/sessions-delivered?{NOVEMBER}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["from"] == body["to"] == "2026-11" and body["columns"] == ["delivered", "capacity", "utilisation"]
        rows = rows_of(body)
        assert rows[("2026-11", "north")] == {
            "delivered": 2,
            "capacity": NOVEMBER_CAPACITY_NORTH,
            "utilisation": round(2 / NOVEMBER_CAPACITY_NORTH, 4),
        }
        assert rows[("2026-11", "south")] == {"delivered": 0, "capacity": 0, "utilisation": None}
        assert set(rows) == {("2026-11", a) for a in ("north", "central", "south")}

    def test_r63_cancellations_by_who_called_them_off(self, client, auth, world):
        rows = rows_of(get(client, auth, f"/api/v1/reports/cancellations?{NOVEMBER}&area=north").json())
        assert list(rows) == [("2026-11", "north")]
        north = rows[("2026-11", "north")]
        assert north["total"] == 1 and north["parent"] == 1
        assert north["carer"] == north["service"] == north["child"] == 0

    def test_r63_decision_timeliness_is_the_share_notified_by_the_due_date(self, client, auth, world):
        rows = rows_of(get(client, auth, f"/api/v1/reports/decision-timeliness?{NOVEMBER}").json())
        assert rows[("2026-11", "north")] == {"decisions": 2, "on_time": 1, "share": 0.5}
        assert rows[("2026-11", "central")] == {"decisions": 0, "on_time": 0, "share": None}

    def test_r63_a_month_with_nothing_is_a_row_of_zeros(self, client, auth, world):
        rows = rows_of(get(client, auth, "/api/v1/reports/sessions-delivered?from=2026-10&to=2026-10&area=north").json())
        assert rows[("2026-10", "north")]["delivered"] == 0
        assert rows[("2026-10", "north")]["capacity"] == 22 * 2 * 3  # October 2026: 22 working days

    @pytest.mark.parametrize("report", ["triage-timeliness", "record-timeliness", "breaches", "suspensions"])
    def test_r63_the_other_reports_answer_every_month_and_area(self, client, auth, world, report):
        response = get(client, auth, f"/api/v1/reports/{report}?from=2026-10&to=2026-11")
        assert response.status_code == 200, response.text
        body = response.json()
        assert [(r["month"], r["area"]) for r in body["rows"]] == [
            (m, a) for m in ("2026-10", "2026-11") for a in ("north", "central", "south")
        ]
        assert all(set(r["values"]) == set(body["columns"]) for r in body["rows"])
        assert body["definition"] == REPORTS[report].definition

    def test_r63_by_default_the_last_twelve_months(self, client, auth, world):
        body = get(client, auth, "/api/v1/reports/breaches").json()
        assert (body["from"], body["to"]) == ("2026-01", "2026-12")
        assert len(body["rows"]) == 12 * 3


class TestFormats:
    def test_r63_csv_has_a_header_and_a_row_per_month_and_area(self, client, auth, world):
        response = get(client, auth, f"/api/v1/reports/sessions-delivered.csv?{NOVEMBER}")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(response.text)))
        assert table[0] == ["month", "area", "delivered", "capacity", "utilisation"]
        assert ["2026-11", "north", "2", str(NOVEMBER_CAPACITY_NORTH), str(round(2 / NOVEMBER_CAPACITY_NORTH, 4))] in table
        assert ["2026-11", "south", "0", "0", ""] in table

    def test_r63_svg_chart_names_its_series_and_months(self, client, auth, world):
        response = get(client, auth, "/api/v1/reports/sessions-delivered.svg?from=2026-10&to=2026-11&area=north")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = ET.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = {t.strip() for t in root.itertext() if t.strip()}
        assert {"north delivered", "north capacity", "2026-10", "2026-11", "Sessions delivered against capacity"} <= texts
        scripts = root.findall(".//{http://www.w3.org/2000/svg}script")
        assert all(not any(k.endswith("href") for k in script.attrib) for script in scripts)  # no external JS

    def test_r63_svg_of_a_share_report(self, client, auth, world):
        response = get(client, auth, f"/api/v1/reports/decision-timeliness.svg?{NOVEMBER}")
        texts = {t.strip() for t in ET.fromstring(response.content).itertext() if t.strip()}
        assert {"north", "central", "south", "2026-11"} <= texts


class TestAccess:
    @pytest.mark.parametrize("role", ["data_analyst", "service_manager", "team_leader"])
    def test_r63_readers(self, client, auth, role):
        assert get(client, auth, "/api/v1/reports/breaches", ("someone", role)).status_code == 200

    @pytest.mark.parametrize("role", ["social_worker", "contact_support_worker", "iro", "team_manager", "admin"])
    def test_r63_others_get_403(self, client, auth, role):
        for suffix in ("", ".csv", ".svg"):
            assert get(client, auth, f"/api/v1/reports/breaches{suffix}", ("someone", role)).status_code == 403

    def test_r63_anonymous_gets_401(self, client):
        assert client.get("/api/v1/reports/breaches").status_code == 401


class TestBadInput:
    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("from=2026-13", "from"),
            ("from=26-01", "from"),
            ("to=2026-1", "to"),
            ("to=november", "to"),
            ("from=2026-11&to=2026-10", "to"),
            ("from=2016-01&to=2026-01", "to"),  # 121 months
            ("area=atlantis", "area"),
            ("from=2026-011", "from"),  # too long for a month: refused by FastAPI's own validation
            ("area=" + "x" * 51, "area"),
        ],
    )
    def test_r63_bad_input_is_a_422_naming_the_parameter(self, client, auth, query, field):
        for suffix in ("", ".csv", ".svg"):
            response = get(client, auth, f"/api/v1/reports/breaches{suffix}?{query}")
            assert response.status_code == 422, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r63_ten_years_is_allowed(self, client, auth):
        assert get(client, auth, "/api/v1/reports/breaches?from=2016-02&to=2026-01").status_code == 200

    def test_r63_an_unknown_report_is_404_listing_the_known_ones(self, client, auth):
        for suffix in ("", ".csv", ".svg"):
            response = get(client, auth, f"/api/v1/reports/sessions-booked{suffix}")
            assert response.status_code == 404, response.text
            problem = response.json()
            assert problem["reports"] == list(REPORTS)
            assert all(name in problem["detail"] for name in REPORTS)


@contextmanager
def counting(app):
    """Count the SQL statements every engine of the app runs meanwhile."""
    statements: list[str] = []
    # `read` is `write` with execution options, whose listeners it shares: listening on it too
    # would count each statement twice.
    engines = {app.state.engine, app.state.request_engines.write}

    def listener(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)


def statement_counts(client, auth) -> dict[str, int]:
    counts = {}
    for name in REPORTS:
        with counting(client.app) as statements:
            response = get(client, auth, f"/api/v1/reports/{name}?from=2026-01&to=2026-12")
        assert response.status_code == 200, response.text
        counts[name] = len([s for s in statements if s.lstrip().upper().startswith("SELECT")])
    return counts


def test_r63_each_report_is_a_constant_handful_of_statements(client, auth, world, scheduling):
    before = statement_counts(client, auth)
    assert before["sessions-delivered"] == 2  # the grouped count and the CSWs' capacity
    assert all(before[name] == 1 for name in REPORTS if name != "sessions-delivered"), before
    with at(BUILT):
        for day in (3, 4, 5, 6, 11, 12, 13):
            book(scheduling, world, day)
        scheduling.csw("csw-3", area="south")
    after = statement_counts(client, auth)
    assert after == before
    delivered = rows_of(get(client, auth, f"/api/v1/reports/sessions-delivered?{NOVEMBER}").json())
    assert delivered[("2026-11", "north")]["delivered"] == 9
