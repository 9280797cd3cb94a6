"""A draft is not court evidence: its PDF is refused until the record is submitted (R-45,
R-87; issue 16: a contract without surprises)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.documents.models import ProducedDocument
from tests.documents.test_router import record_pdf
from tests.helpers import at
from tests.records.test_router import AFTER, booked as booked, put, submit  # noqa: F401 - booked is a fixture


def written(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {m.__tablename__: session.execute(select(func.count()).select_from(m)).scalar_one() for m in (ProducedDocument, AuditEntry, OutboxEvent)}


def test_r45_the_pdf_of_a_record_not_yet_submitted_is_a_409_saying_so(client, auth, engine, booked):
    assert put(client, auth, booked).status_code == 201
    session_id = booked["session"]["id"]
    before = written(engine)
    with at(AFTER):
        # The draft's readers: its CSW and team leaders.
        for headers in (auth("csw-1", "contact_support_worker"), auth("tl-1", "team_leader")):
            response = client.get(f"/api/v1/sessions/{session_id}/record.pdf", headers=headers)
            assert response.status_code == 409, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            body = response.json()
            assert body["type"].endswith(":record-not-submitted") and body["current_state"] == "draft"
            assert body["detail"] == (
                "The record has not been submitted yet: a court PDF is made from a submitted record "
                f"(POST /api/v1/sessions/{session_id}/record/submit)."
            )
    assert written(engine) == before  # nothing produced, remembered or audited
    assert submit(client, auth, booked).status_code == 200
    assert record_pdf(client, auth, booked, who=("csw-1", "contact_support_worker")).content.startswith(b"%PDF")
