"""Exports through HTTP (R-06, R-62, R-86): every dataset as CSV and NDJSON, the data
analyst's pseudonymised view and the service manager's, filters, bad input, who may ask,
CSV injection, and the catalogue."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re

import pytest

from app.exports import service
from tests.exports.conftest import ADDRESS, DATASETS, FREE_TEXT, NOW, PLANTED, STAFF
from tests.conftest import child_body
from tests.helpers import at

DA = ("da-1", "data_analyst")
SM = ("sm-1", "service_manager")


def export(client, auth, dataset: str, fmt: str = "csv", who=DA, **params):
    with at(NOW):
        return client.get(f"/api/v1/exports/{dataset}.{fmt}", params=params, headers=auth(*who))


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def ndjson_rows(response) -> list[dict]:
    return [json.loads(line) for line in response.text.splitlines() if line]


def pseudonym(settings, kind: str, value: str) -> str:
    return hmac.new(settings.pseudonym_secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


class TestDatasets:
    @pytest.mark.parametrize("dataset", DATASETS)
    def test_r86_every_dataset_streams_as_csv_with_a_header_row_and_a_dated_file_name(self, client, auth, planted, dataset):
        response = export(client, auth, dataset)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="{dataset}-2026-11-30.csv"'
        header = response.text.split("\r\n", 1)[0].split(",")
        assert header == [c.name for c in service.DATASETS[dataset].visible(service.View(pseudonymised=True))]
        assert response.text.endswith("\r\n")  # RFC 4180 line ends
        assert len(csv_rows(response)) >= 1

    @pytest.mark.parametrize("dataset", DATASETS)
    def test_r86_every_dataset_streams_as_ndjson_with_the_same_rows(self, client, auth, planted, dataset):
        response = export(client, auth, dataset, "ndjson")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/x-ndjson"
        assert response.headers["content-disposition"] == f'attachment; filename="{dataset}-2026-11-30.ndjson"'
        rows = ndjson_rows(response)
        as_csv = csv_rows(export(client, auth, dataset))
        assert len(rows) == len(as_csv) >= 1
        assert list(rows[0]) == list(as_csv[0])

    def test_r86_each_dataset_holds_the_planted_rows(self, client, auth, planted):
        counts = {d: len(ndjson_rows(export(client, auth, d, "ndjson"))) for d in DATASETS}
        assert counts == {
            "children": 1, "referrals": 1, "decisions": 1, "arrangements": 1, "sessions": 2, "records": 1,
            "transport": 1, "expenses": 1, "breaches": 1, "restrictions": 1, "reviews": 1,
        }

    def test_r86_ndjson_values_are_typed(self, client, auth, planted):
        (session, *_) = ndjson_rows(export(client, auth, "sessions", "ndjson", who=SM))
        assert session["starts_at"] == "2026-12-01T16:00:00Z" and session["retrospective"] is False
        assert session["cancelled_at"] is None and session["status"] == "completed"  # its record is in
        (expense,) = ndjson_rows(export(client, auth, "expenses", "ndjson"))
        assert expense["amount_pence"] == 640 and expense["incurred_on"] == "2026-11-27"
        (transport,) = ndjson_rows(export(client, auth, "transport", "ndjson"))
        assert transport["legs"] == ["to_venue", "from_venue"]
        (as_csv,) = csv_rows(export(client, auth, "transport"))
        assert as_csv["legs"] == "to_venue;from_venue"


class TestPseudonymised:
    def test_r06_a_data_analyst_reads_no_name_address_postcode_free_text_or_raw_id(self, client, auth, planted):
        raw_ids = [planted["child"]["id"], planted["driver"]["id"], *(p["id"] for p in planted["people"])]
        for dataset in DATASETS:
            for fmt in ("csv", "ndjson"):
                body = export(client, auth, dataset, fmt).text
                for text in (*PLANTED, *raw_ids):
                    assert text.lower() not in body.lower(), (dataset, fmt, text)
                for sub in STAFF:  # a staff sub as a whole cell or value, never a pseudonym's part
                    assert not re.search(rf'(^|[,"]){re.escape(sub)}($|[,"\r\n])', body, re.M), (dataset, fmt, sub)

    def test_r86_a_pseudonym_is_the_hmac_of_the_id_and_joins_across_datasets_and_exports(self, client, auth, planted, settings):
        child = pseudonym(settings, "child", planted["child"]["id"])
        for dataset in DATASETS:
            rows = ndjson_rows(export(client, auth, dataset, "ndjson"))
            assert {row["child_id"] for row in rows} == {child}, dataset
        (session, _) = ndjson_rows(export(client, auth, "sessions", "ndjson"))
        assert session["csw"] == pseudonym(settings, "staff", "csw-1") == ndjson_rows(export(client, auth, "records", "ndjson"))[0]["csw"]
        (children,) = ndjson_rows(export(client, auth, "children", "ndjson"))
        assert children["social_worker"] == pseudonym(settings, "staff", "sw-1")
        (expense,) = ndjson_rows(export(client, auth, "expenses", "ndjson"))
        (breach,) = ndjson_rows(export(client, auth, "breaches", "ndjson"))
        assert expense["person_id"] == breach["person_id"] == pseudonym(settings, "person", planted["people"][0]["id"])
        assert csv_rows(export(client, auth, "children"))[0]["child_id"] == child  # stable across formats and exports

    def test_r06_a_data_analyst_reads_the_birth_month_and_no_name(self, client, auth, planted):
        (child,) = ndjson_rows(export(client, auth, "children", "ndjson"))
        assert child["birth_month"] == "2017-03"
        assert not {"first_name", "last_name", "external_id", "date_of_birth", "placement_address"} & set(child)

    def test_r86_a_service_manager_reads_real_ids_and_the_childs_name_but_no_address_or_free_text(self, client, auth, planted):
        (child,) = ndjson_rows(export(client, auth, "children", "ndjson", who=SM))
        assert child["child_id"] == planted["child"]["id"] and child["social_worker"] == "sw-1"
        assert (child["first_name"], child["last_name"], child["birth_month"]) == ("Zephyrine", "Quillfeather", "2017-03")
        (session, _) = ndjson_rows(export(client, auth, "sessions", "ndjson", who=SM))
        assert session["child_id"] == planted["child"]["id"] and session["csw"] == "csw-1"
        for dataset in DATASETS:
            body = export(client, auth, dataset, who=SM).text
            for text in (ADDRESS, "Bramblewick", "NG17 9XQ", *FREE_TEXT.values()):
                assert text not in body, (dataset, text)


class TestFilters:
    def test_r86_since_and_until_are_days_of_the_datasets_date_column(self, client, auth, planted):
        assert [r["starts_at"] for r in ndjson_rows(export(client, auth, "sessions", "ndjson", since="2026-12-02"))] == ["2026-12-02T16:00:00Z"]
        assert [r["starts_at"] for r in ndjson_rows(export(client, auth, "sessions", "ndjson", until="2026-12-01"))] == ["2026-12-01T16:00:00Z"]
        assert len(ndjson_rows(export(client, auth, "sessions", "ndjson", since="2026-12-01", until="2026-12-02"))) == 2
        assert ndjson_rows(export(client, auth, "expenses", "ndjson", since="2026-11-28")) == []
        assert len(ndjson_rows(export(client, auth, "expenses", "ndjson", since="2026-11-27", until="2026-11-27"))) == 1

    def test_r86_the_area_filter_keeps_that_areas_rows(self, client, auth, planted):
        assert len(ndjson_rows(export(client, auth, "sessions", "ndjson", area="north"))) == 2
        south = export(client, auth, "sessions", area="south")
        assert south.status_code == 200 and csv_rows(south) == [] and south.text.startswith("session_id,")


class TestBadInput:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"since": "2026-12-02", "until": "2026-12-01"}, "until"),
            ({"area": "atlantis"}, "area"),
            ({"since": "2026-13-40"}, "since"),
            ({"until": "yesterday"}, "until"),
            ({"since": "2010-01-01", "until": "2026-11-30"}, "since"),
            ({"since": "2014-01-01"}, "since"),
        ],
        ids=["until-before-since", "unknown-area", "malformed-since", "malformed-until", "over-10-years", "over-10-years-to-today"],
    )
    @pytest.mark.parametrize("fmt", ["csv", "ndjson"])
    def test_r86_bad_filters_are_a_422_naming_the_parameter(self, client, auth, params, field, fmt):
        response = export(client, auth, "sessions", fmt, **params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r86_ten_years_exactly_is_allowed(self, client, auth):
        assert export(client, auth, "sessions", since="2016-12-01", until="2026-11-30").status_code == 200

    @pytest.mark.parametrize("fmt", ["csv", "ndjson"])
    def test_r86_an_unknown_dataset_is_a_404_listing_the_known_ones(self, client, auth, fmt):
        response = export(client, auth, "salaries", fmt)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert all(name in response.json()["detail"] for name in DATASETS)


class TestWhoMay:
    @pytest.mark.parametrize(
        "who",
        [("csw-1", "contact_support_worker"), ("sw-1", "social_worker"), ("fw", "integration"), ("tl-1", "team_leader"), ("iro-1", "iro")],
        ids=lambda w: w[1],
    )
    @pytest.mark.parametrize("path", ["/api/v1/exports/sessions.csv", "/api/v1/exports/children.ndjson", "/api/v1/exports"])
    def test_r06_only_data_analysts_and_service_managers_export(self, client, auth, who, path):
        with at(NOW):
            response = client.get(path, headers=auth(*who))
        assert response.status_code == 403, response.text
        assert response.headers["content-type"] == "application/problem+json"

    def test_r06_an_anonymous_caller_is_a_401(self, client):
        assert client.get("/api/v1/exports/sessions.csv").status_code == 401


class TestCsvInjection:
    @pytest.mark.parametrize("who", [DA, SM], ids=["data_analyst", "service_manager"])
    def test_r86_a_cell_starting_with_a_formula_trigger_gets_a_quote_first(self, client, auth, who):
        teams = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", 'plain, "quoted"']
        with at(NOW):
            for n, team in enumerate(teams):
                made = client.put(f"/api/v1/children/framework/INJ-{n}", json=child_body(team=team), headers=auth("tl-1", "team_leader"))
                assert made.status_code == 201, made.text
        response = export(client, auth, "children", who=who)
        assert response.status_code == 200
        cells = sorted(row["team"] for row in csv_rows(response))
        assert cells == sorted(["'" + t for t in teams[:-1]] + [teams[-1]])
        assert '"plain, ""quoted"""' in response.text  # RFC 4180 quoting
        raw = sorted(row["team"] for row in ndjson_rows(export(client, auth, "children", "ndjson", who=who)))
        assert raw == sorted(teams)  # NDJSON is data, not a spreadsheet: values as they are


    @pytest.mark.parametrize("value", ["=1", "+1", "-1", "@A1", "\tx", "\rx"])
    def test_r86_every_trigger_is_neutralised_and_other_values_are_kept(self, value):
        assert next(csv.reader([service._field(value)])) == ["'" + value]
        assert [service._field(v) for v in ("a=b", "2026-12-01", None, ["a", "b"], ["=a", "b"])] == ["a=b", "2026-12-01", "", "a;b", "'=a;b"]

    def test_r86_csv_fields_are_quoted_as_rfc_4180_and_read_back_as_written(self):
        values = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', '"', ',', '', 'Zoë – café', ' lead and trail ']
        line = ",".join(service._field(v) for v in values) + "\r\n"
        assert next(csv.reader(io.StringIO(line, newline=""))) == values
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(values)
        assert line == buffer.getvalue()  # what the standard library's writer makes of them


class TestCatalogue:
    def test_r86_the_catalogue_lists_each_dataset_with_typed_documented_columns(self, client, auth):
        with at(NOW):
            response = client.get("/api/v1/exports", headers=auth(*DA))
        assert response.status_code == 200
        items = {d["name"]: d for d in response.json()["items"]}
        assert list(items) == DATASETS
        columns = {c["name"]: c for c in items["children"]["columns"]}
        assert columns["child_id"] == {"name": "child_id", "type": "pseudonym", "meaning": columns["child_id"]["meaning"], "data_analyst": True, "pseudonymised": True}
        assert columns["first_name"]["data_analyst"] is False and columns["birth_month"]["type"] == "string"
        assert items["sessions"]["date_filter"] == "starts_at" and items["sessions"]["csv"] == "/api/v1/exports/sessions.csv"
        for dataset in items.values():
            assert all(c["meaning"] and c["type"] in {"string", "integer", "boolean", "date", "datetime", "list", "pseudonym"} for c in dataset["columns"])
        assert client.get("/api/v1/exports", headers=auth(*SM)).status_code == 200

    def test_r86_the_openapi_description_lists_every_datasets_columns(self, client):
        document = client.get("/openapi.json").json()
        for path in ("/api/v1/exports/{dataset}.csv", "/api/v1/exports/{dataset}.ndjson"):
            description = document["paths"][path]["get"]["description"]
            for d in service.DATASETS.values():
                assert f"**{d.name}**" in description
                assert all(f"`{c.name}`" in description for c in d.columns)


class TestStreaming:
    def test_r62_rows_come_from_a_server_side_cursor_in_batches(self, client, auth, planted, engine, settings, monkeypatch):
        monkeypatch.setattr(service, "BATCH_ROWS", 1)
        executed: list[dict] = []
        from sqlalchemy import event

        def spy(conn, clauseelement, multiparams, params, execution_options):
            executed.append(dict(execution_options))

        event.listen(engine, "before_execute", spy)
        try:
            filters = service.Filters(None, None, None)
            chunks = list(service.stream(engine, service.DATASETS["sessions"], service.View(True), filters, settings, "ndjson"))
        finally:
            event.remove(engine, "before_execute", spy)
        assert len(chunks) == 2 and all(chunk.count(b"\n") == 1 for chunk in chunks)
        assert any(o.get("stream_results") and o.get("yield_per") == 1 for o in executed)


# Every name, address and free-text column of the tables the exports read (app/freetext
# FIELDS and the rest): no export selects one, except the child's name for service managers,
# the date of birth cut to `birth_month`, and whether transport was asked for.
FORBIDDEN = {
    "child": {"first_name", "last_name", "date_of_birth", "placement_address", "address_withheld_authorised_by", "address_withheld_reason"},
    "person": {"first_name", "last_name", "relationship_detail"},
    "referral": {"purpose_detail", "risk_assessment", "transport_reason", "transport_evidence", "alternative_venue", "alternative_venue_reason",
                 "urgent_caller", "triage_note", "decision_reason", "decision_rationale", "withdrawn_reason"},
    "arrangement": {"close_reason", "exit_plan"},
    "contact_session": {"location", "cancel_reason"},
    "session_record": {"fields"},
    "transport_request": {"pickup_address", "reason", "evidence", "decline_reason", "driver_change_reason", "cancel_reason"},
    "expense": {"purpose", "decision_reason"},
    "breach": {"description"},
    "restriction": {"reason", "notices", "changes"},
    "review": {"outcome", "attended"},
    "driver": {"name"},
}
ALLOWED = {("manager_only", "child", "first_name"), ("manager_only", "child", "last_name"), ("birth_month", "child", "date_of_birth")}


def test_r86_no_export_selects_a_name_address_or_free_text_column():
    from sqlalchemy import Column as TableColumn
    from sqlalchemy.sql import visitors

    found = []
    for dataset in service.DATASETS.values():
        for column in dataset.columns:
            expression = getattr(column.expr, "expression", column.expr)
            for element in visitors.iterate(expression):
                if isinstance(element, TableColumn) and element.name in FORBIDDEN.get(element.table.name, ()):
                    wrapped = expression is not element  # e.g. `transport_reason IS NOT NULL`, a yes/no
                    if (column.kind, element.table.name, element.name) not in ALLOWED and not (wrapped and column.type == "boolean"):
                        found.append((dataset.name, column.name, f"{element.table.name}.{element.name}"))
    assert found == []
