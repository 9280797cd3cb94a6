"""Court documents through HTTP (R-45, R-87): the record's PDF as evidence, one version
sequence, amendments that must change something, checking a copy, the court bundle, and
page images to look at."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.documents.models import ProducedDocument
from app.records.models import RecordVersion
from tests.helpers import at
from tests.records.test_router import AFTER, LATE, put, submit
from tests.records.test_router import booked as booked  # noqa: F401 - a fixture, used by name

TL = ("tl-1", "team_leader")


def text_of(data: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def staff(client, auth, sub: str, name: str, role: str, job_title: str | None) -> None:
    body = {"name": name, "role": role, "area": "north", "working_hours": [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)]}
    if job_title:
        body["job_title"] = job_title
    with at(AFTER):
        response = client.put(f"/api/v1/staff/{sub}", json=body, headers=auth("admin-1", "admin"))
    assert response.status_code in (200, 201), response.text
    assert response.json()["job_title"] == job_title


def amend(client, auth, booked, changes: dict, reason: str = "Corrected from the signing-in sheet.", who=("csw-1", "contact_support_worker"), if_match: str | None = '"2"'):
    with at(LATE):  # tokens are minted on the frozen clock
        headers = auth(*who)
        if if_match is not None:
            headers = {**headers, "If-Match": if_match}
        return client.post(f"/api/v1/sessions/{booked['session']['id']}/record/amendments", json={"reason": reason, "changes": changes}, headers=headers)


def record_pdf(client, auth, booked, who=("sw-1", "social_worker")):
    with at(LATE):
        response = client.get(f"/api/v1/sessions/{booked['session']['id']}/record.pdf", headers=auth(*who))
    assert response.status_code == 200, response.text
    return response


def verify(client, auth, data: bytes, content_type: str = "application/pdf"):
    with at(LATE):
        return client.post("/api/v1/documents/verify", content=data, headers={**auth("csw-2", "contact_support_worker"), "Content-Type": content_type})


@pytest.fixture
def amended(client, auth, booked):
    """A submitted record (version 2) amended by its CSW (3) and by a team leader (4)."""
    staff(client, auth, "csw-1", "Jo Bennett", "contact_support_worker", "Senior Contact Support Worker")
    staff(client, auth, "tl-1", "Priya Shah", "team_leader", None)
    put(client, auth, booked)
    assert submit(client, auth, booked).status_code == 200
    first = amend(client, auth, booked, {"arrived_at": "2026-12-01T16:05:00Z"})
    assert first.status_code == 201, first.text
    second = amend(client, auth, booked, {"parent_views": "Mum said it went well; dad sent an apology."}, reason="Added the apology.", who=TL, if_match=first.headers["etag"])
    assert first.status_code == 201, first.text
    assert second.status_code == 201, second.text
    return booked


class TestRecordPdf:
    def test_r87_the_record_pdf_names_the_authority_staff_with_job_titles_times_to_the_second_and_what_changed(self, client, auth, amended, settings):
        text = text_of(record_pdf(client, auth, amended).content)
        assert f"Issued by {settings.organisation_name}. Produced Wednesday 2 December 2026, 18:00:00 GMT." in text
        assert "Supervised by Jo Bennett, Senior Contact Support Worker" in text
        assert "By Priya Shah" in text  # in the register without a job title: the name alone
        assert "tl-1" not in text and "csw-1" not in text  # staff by name, not by internal id
        assert "Submitted Tuesday 1 December 2026, 19:00:00 GMT" in text
        assert "At Wednesday 2 December 2026, 18:00:00 GMT" in text
        assert "This record was made at the time by Jo Bennett, Senior Contact Support Worker, who supervised the session" in text
        version3 = text[text.index("Version 3: amendment") : text.index("Version 4: amendment")]
        assert "Reason Corrected from the signing-in sheet." in version3
        assert "Arrived was: mum arrived at 15:58 GMT now: mum arrived at 16:05 GMT" in version3
        assert "Observations" not in version3  # only what changed
        assert "Parents' views was: Mum said it went well. now: Mum said it went well; dad sent an apology." in text
        assert "Okafor" not in text and "Elm Road" not in text and "NG5" not in text

    def test_r41_r87_a_late_record_says_so_and_by_how_long(self, client, auth, booked):
        put(client, auth, booked)
        submit(client, auth, booked, when="2026-12-02T20:15:30+00:00")  # due 17:30 on the 2nd
        text = text_of(record_pdf(client, auth, booked).content)
        assert "Submitted late Yes: 2 hours 45 minutes after it was due" in text
        assert "Record due Wednesday 2 December 2026, 17:30:00 GMT" in text

    def test_r87_version_numbers_are_one_sequence_in_the_etag_the_versions_and_the_pdf(self, client, auth, amended):
        with at(LATE):
            read = client.get(f"/api/v1/sessions/{amended['session']['id']}/record", headers=auth("sw-1", "social_worker"))
        numbers = [v["number"] for v in read.json()["versions"]]
        assert read.headers["etag"] == '"4"' and read.json()["version"] == 4 and numbers == [2, 3, 4]
        text = text_of(record_pdf(client, auth, amended).content)
        assert "As at version 4" in text
        assert [int(n) for n in re.findall(r"Version (\d+): ", text)] == numbers

    def test_r87_an_amendment_needs_if_match_and_must_change_something(self, client, auth, engine, booked):
        put(client, auth, booked)
        submit(client, auth, booked)
        with Session(engine) as s:
            before = s.execute(select(func.count()).select_from(RecordVersion)).scalar_one()
        missing = amend(client, auth, booked, {"arrived_at": "2026-12-01T16:05:00Z"}, if_match=None)
        stale = amend(client, auth, booked, {"arrived_at": "2026-12-01T16:05:00Z"}, if_match='"1"')
        same = amend(client, auth, booked, {"arrived_at": "2026-12-01T15:58:00Z", "observations": "Amara ran to mum and hugged her. They played snakes and ladders."})
        assert (missing.status_code, stale.status_code, same.status_code) == (428, 412, 422)
        assert same.json()["errors"][0]["field"] == "changes.arrived_at"
        with Session(engine) as s:
            assert s.execute(select(func.count()).select_from(RecordVersion)).scalar_one() == before
        partly = amend(client, auth, booked, {"arrived_at": "2026-12-01T15:58:00Z", "incidents": "None."})
        assert partly.status_code == 201 and partly.json()["versions"][-1]["fields"]["incidents"] == "None."

    def test_r87_every_production_is_audited_and_remembered_and_tells_no_integration(self, client, auth, engine, amended):
        with Session(engine) as s:
            events = s.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
        response = record_pdf(client, auth, amended)
        with Session(engine) as s:
            [produced] = s.execute(select(ProducedDocument)).scalars().all()
            [entry] = s.execute(select(AuditEntry).where(AuditEntry.action == "document.produced")).scalars().all()
            assert s.execute(select(func.count()).select_from(OutboxEvent)).scalar_one() == events
        assert (produced.kind, produced.produced_by, produced.reference) == ("record", "sw-1", f"CSR-2026-{amended['session']['id'][:8].upper()}")
        assert (entry.subject, entry.entity_id, entry.after["content_hash"]) == ("sw-1", str(produced.id), produced.content_hash)
        assert PdfReader(io.BytesIO(response.content)).metadata["/Keywords"] == f"sha256:{produced.content_hash}"
        assert produced.content_hash in text_of(response.content)


class TestVerify:
    def test_r87_a_genuine_copy_is_valid_and_current_until_the_record_changes(self, client, auth, amended):
        data = record_pdf(client, auth, amended).content
        answer = verify(client, auth, data)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["valid"] is True and body["current"] is True and body["produced_at"] == "2026-12-02T18:00:00Z"
        assert body["document"]["kind"] == "record" and body["document"]["reference"].startswith("CSR-2026-")
        amend(client, auth, amended, {"incidents": "Dad raised his voice at the end."}, if_match='"4"')
        later = verify(client, auth, data).json()
        assert later["valid"] is True and later["current"] is False  # a newer version exists

    def test_r87_a_re_render_of_the_same_content_carries_the_same_hash(self, client, auth, amended):
        first = record_pdf(client, auth, amended).content
        with at("2026-12-03T09:00:07+00:00"):
            second = client.get(f"/api/v1/sessions/{amended['session']['id']}/record.pdf", headers=auth("tl-1", "team_leader")).content
        keywords = [PdfReader(io.BytesIO(d)).metadata["/Keywords"] for d in (first, second)]
        assert first != second and keywords[0] == keywords[1]
        assert verify(client, auth, second).json()["valid"] is True

    def test_r87_one_byte_changed_in_the_text_is_not_valid(self, client, auth, amended):
        data = record_pdf(client, auth, amended).content
        title = re.search(rb"/Title \((Supervised contact session record [^)]*)\)", data)
        assert title is not None
        tampered = data[: title.start(1)] + b"s" + data[title.start(1) + 1 :]  # "Supervised" -> "supervised"
        assert len(tampered) == len(data) and tampered != data
        answer = verify(client, auth, tampered).json()
        assert answer["valid"] is False and answer["document"]["reference"].startswith("CSR-")  # which document it claims to be
        assert "altered" in answer["detail"]

    def test_r87_a_pdf_the_service_never_produced_is_not_valid(self, client, auth):
        from fpdf import FPDF

        other = FPDF()
        other.add_page()
        answer = verify(client, auth, bytes(other.output()))
        assert answer.status_code == 200 and answer.json()["valid"] is False and answer.json()["document"] is None

    @pytest.mark.parametrize(("data", "message"), [(b"", "is empty"), (b"hello, not a pdf", "is not a PDF")], ids=["empty", "not-pdf"])
    def test_r87_an_empty_body_or_not_a_pdf_is_a_422_naming_the_body(self, client, auth, data, message):
        answer = verify(client, auth, data)
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == "body" and message in answer.json()["errors"][0]["message"]

    def test_r87_verify_wants_a_pdf_content_type_and_a_caller(self, client, auth):
        assert verify(client, auth, b"%PDF-1.7", content_type="application/json").status_code == 415
        with at(LATE):
            assert client.post("/api/v1/documents/verify", content=b"%PDF-1.7", headers={"Content-Type": "application/pdf"}).status_code == 401


def cancel_late(client, auth, s_booked: dict, person_id: str) -> None:
    with at("2026-12-08T10:00:00+00:00"):  # the same day as the session: late
        response = client.post(
            f"/api/v1/sessions/{s_booked['id']}/cancel",
            json={"reason": "Unwell.", "cancelled_by": "parent", "person_id": person_id},
            headers=auth(*TL),
        )
    assert response.status_code == 200, response.text


class TestBundle:
    @pytest.fixture
    def year(self, client, auth, amended):
        """Two sessions of one arrangement: the first recorded and amended (the `amended`
        record), the second cancelled late by mum; and a breach."""
        from tests.sessions.conftest import Scheduling

        s = Scheduling(client, auth)
        session = amended["session"]
        with at("2026-12-02T09:00:00+00:00"):
            later = s.book(
                arrangement_id=session["arrangement_id"], room_id=session["room_id"], csw_sub="csw-1",
                starts_at="2026-12-08T16:00:00Z", ends_at="2026-12-08T17:30:00Z",
            )
            assert later.status_code == 201, later.text
            breach = client.post(
                f"/api/v1/arrangements/{session['arrangement_id']}/breaches",
                json={"severity": "ordinary", "description": "Dad used his phone during the session.", "session_id": session["id"]},
                headers=auth(*TL),
            )
            assert breach.status_code == 201, breach.text
        cancel_late(client, auth, later.json(), amended["mum"]["id"])
        return {**amended, "arrangement_id": session["arrangement_id"]}

    def bundle(self, client, auth, arrangement_id: str, who=("sw-1", "social_worker"), **params):
        with at("2026-12-09T12:00:00+00:00"):
            return client.get(f"/api/v1/arrangements/{arrangement_id}/bundle.pdf", params=params, headers=auth(*who))

    def test_r87_the_bundle_has_the_cover_index_records_attendance_and_breaches_and_no_surname_or_address(self, client, auth, year, settings):
        response = self.bundle(client, auth, year["arrangement_id"])
        assert response.status_code == 200, response.text
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
        cover = re.sub(r"\s+", " ", pages[0])
        assert settings.organisation_name in cover and "Child Amara" in cover and "Produced Wednesday 9 December 2026, 12:00:00 GMT" in cover
        assert re.search(r"Reference CSB-20\d\d-[0-9A-F]{8}", cover)
        assert "Index" in pages[1] and "1. Session records" in pages[1]
        text = text_of(response.content)
        assert "Supervised by Jo Bennett, Senior Contact Support Worker" in text and "Version 4: amendment" in text
        assert "Sessions in the period 2" in text and "Held 1" in text and "Not held because cancelled by mum (late): 1" in text
        assert "Late cancellations mum: 1" in text
        assert "Dad used his phone during the session." in text and "Recorded by Priya Shah" in text
        assert "Okafor" not in text and "Elm Road" not in text and "NG5" not in text  # first name and relationships only
        answer = verify(client, auth, response.content).json()
        assert answer["valid"] is True and answer["document"]["kind"] == "bundle" and answer["current"] is True

    def test_r87_a_bundle_with_no_submitted_record_is_a_409_and_from_after_to_a_422(self, client, auth, year):
        empty = self.bundle(client, auth, year["arrangement_id"], **{"from": "2026-12-05", "to": "2026-12-09"})
        backwards = self.bundle(client, auth, year["arrangement_id"], **{"from": "2026-12-09", "to": "2026-12-01"})
        assert empty.status_code == 409 and "no submitted session record" in empty.json()["detail"]
        assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "to"

    def test_r87_a_caller_who_may_not_read_the_arrangement_gets_404_and_a_csw_403(self, client, auth, year):
        unknown = self.bundle(client, auth, "00000000-0000-4000-8000-000000000000")
        other = self.bundle(client, auth, year["arrangement_id"], who=("sw-2", "social_worker"))
        assert other.status_code == unknown.status_code == 404 and other.json() == unknown.json()
        assert self.bundle(client, auth, year["arrangement_id"], who=("csw-1", "contact_support_worker")).status_code == 403

    @pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (Debian poppler-utils) is not installed; .ci/run installs it")
    def test_r87_page_one_of_a_record_and_of_a_bundle_render_to_images(self, client, auth, year, tmp_path):
        """Renders page 1 of each to PNG, to look at (the files are kept under pytest's tmp_path)."""
        record = record_pdf(client, auth, year).content
        bundle = self.bundle(client, auth, year["arrangement_id"]).content
        for name, data in (("record", record), ("bundle", bundle)):
            (tmp_path / f"{name}.pdf").write_bytes(data)
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True, timeout=60)
            [image] = list(tmp_path.glob(f"{name}*.png"))
            png = image.read_bytes()
            assert png.startswith(b"\x89PNG\r\n\x1a\n")
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert (round(width / 10), round(height / 10)) == (50, 70)  # A4 at 60 dpi
