"""`contact-service demo` (issue 16): it fills an empty database through the API, refuses
one that holds data, and the README's "Trying it" walk-through works with what it prints.

The walk-through is replayed from the README itself: each `curl` in the section's `sh`
blocks becomes a request to the app, with the variables the demo printed substituted.
The README keeps every curl in one simple shape so that this stays a small parser:

    curl -s [-X METHOD] URL -H "Name: value" ... [-d 'BODY'] [-o FILE]   [# comment]

URL is `localhost:8000/...` (quoted or not); a command may go on over lines ending in a
backslash, or inside an open quote; `$NAME` and `${NAME}` are the demo's variables, also
inside a body written as `'{"id":"'$NAME'"}'`. No pipes, no other options. Other lines of
the blocks (`make run`, the demo itself, sourcing its output, comments) are not replayed.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from app import cli
from app.agreements.models import Agreement, Signature
from app.children.models import Child, Person
from app.core.audit import AuditEntry, verify_chain
from app.core.outbox import OutboxEvent
from app.records.models import RecordStatus, RecordVersion, SessionRecord
from app.referrals.models import Referral, ReferralStatus
from app.sessions.models import ContactSession
from app.transport.models import Driver, TransportRequest, TransportStatus
from app.venues.models import Room, Staff, Venue
from tests.conftest import AUDIT_KEY, INTEGRATION_SOURCES, TEST_SECRET, WEBHOOK_SECRETS_KEY

README = Path(__file__).resolve().parents[2] / "README.md"
VARIABLE = re.compile(r"\$\{?([A-Z][A-Z0-9_]*)\}?")


@pytest.fixture
def demo(settings, engine, monkeypatch, capsys):
    """Runs `contact-service demo` on the (cleaned) test database, as a shell user would:
    the command reads its settings from the environment."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("AUDIT_KEY", AUDIT_KEY)
    monkeypatch.setenv("WEBHOOK_SECRETS_KEY", WEBHOOK_SECRETS_KEY)
    monkeypatch.setenv("PSEUDONYM_KEY", "test-pseudonym-key-0123456789")
    monkeypatch.setenv("INTEGRATION_SOURCES", INTEGRATION_SOURCES)
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(["demo", *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def count(session: Session, model, *where) -> int:
    return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_demo_fills_an_empty_database_through_the_api_and_refuses_a_second_time(demo, engine):
    code, out, _ = demo("--json")
    assert code == 0
    printed = json.loads(out[out.index("{\n"):])  # anything logged before it is not the answer
    env = printed["env"]
    for variable in ("SW_TOKEN", "TM_TOKEN", "TL_TOKEN", "CSW_TOKEN", "SM_TOKEN", "IRO_TOKEN", "DA_TOKEN", "ADMIN_TOKEN"):
        assert env[variable].count(".") == 2
    assert "INTEGRATION_TOKEN" in env  # the test settings bind `framework` clients

    with Session(engine) as session:
        assert count(session, Child) == 5
        assert count(session, Child, Child.address_withheld.is_(True)) == 1
        assert count(session, Person) >= 10
        statuses = set(session.execute(select(Referral.status)).scalars())
        assert statuses == set(ReferralStatus)
        assert {"draft", "approved", "submitted", "submitted_triaged", "withdrawn", "declined"} <= set(printed["referrals"])
        outcomes = set(session.execute(select(Referral.outcome).where(Referral.outcome.is_not(None))).scalars())
        assert {o.value for o in outcomes} == {"accepted_core", "declined", "declined_capacity"}
        assert count(session, Venue) == 2 and count(session, Room) == 4 and count(session, Staff) == 3
        assert count(session, Driver) == 1
        assert count(session, TransportRequest, TransportRequest.status == TransportStatus.driver_assigned) == 1
        [agreement] = session.execute(select(Agreement)).scalars().all()
        assert count(session, Signature, Signature.agreement_id == agreement.id) == len(agreement.parties) == 2
        assert count(session, ContactSession) == 2 + 8  # two past sessions and a weekly series
        [record] = session.execute(select(SessionRecord).where(SessionRecord.status == RecordStatus.submitted)).scalars().all()
        assert str(record.session_id) == env["RECORDED_SESSION_ID"]
        versions = session.execute(select(RecordVersion).where(RecordVersion.record_id == record.id)).scalars().all()
        assert len(versions) == 2 and versions[-1].reason  # submitted, then amended with a reason
        audited = count(session, AuditEntry)
        assert audited > 60
        assert verify_chain(session)[1] is None
        types = set(session.execute(select(OutboxEvent.type)).scalars())
        assert {
            "child.created", "referral.submitted", "referral.decided", "agreement.signed", "session.booked",
            "record.submitted", "record.amended",
        } <= types
        events = count(session, OutboxEvent)

    code, out, err = demo("--json")
    assert code == 1 and out == ""
    assert "refused" in err and "5 children" in err
    with Session(engine) as session:
        assert count(session, Child) == 5
        assert count(session, AuditEntry) == audited and count(session, OutboxEvent) == events


def walkthrough_commands() -> list[list[str]]:
    """The curl commands of the README's "Trying it" section, each split as a shell would."""
    section = README.read_text().split("\n## Trying it\n", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S):
        pending = ""
        for line in block.splitlines():
            pending += line + "\n"
            if line.rstrip().endswith("\\"):
                continue
            try:
                words = shlex.split(pending.replace("\\\n", " "), comments=True)
            except ValueError:  # an open quote: the command goes on on the next line
                continue
            pending = ""
            if words and words[0] == "curl":
                commands.append(words)
    return commands


def as_request(words: list[str], env: dict[str, str]) -> dict:
    """One curl command (the shape in this module's docstring) as TestClient arguments."""

    def expand(word: str) -> str:
        return VARIABLE.sub(lambda m: env[m.group(1)], word)

    method, url, headers, body, output = None, None, {}, None, None
    rest = iter(words[1:])
    for word in rest:
        if word == "-s":
            continue
        if word == "-X":
            method = next(rest)
        elif word == "-H":
            name, _, value = expand(next(rest)).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = expand(next(rest))
        elif word == "-o":
            output = next(rest)
        elif word.startswith("-"):
            raise AssertionError(f"the README's curl uses {word}, which the walk-through test does not replay")
        else:
            assert url is None, f"two URLs in {words}"
            url = expand(word)
    assert url is not None and url.startswith(("localhost:8000/", "http://localhost:8000/")), url
    return {
        "method": method or ("POST" if body is not None else "GET"),
        "url": url.split("localhost:8000", 1)[1],
        "headers": headers,
        "content": body,
        "pdf": output is not None and output.endswith(".pdf"),
    }


def shell_variables(out: str) -> dict[str, str]:
    """The `export NAME=value` lines of the demo's output, read as a shell would."""
    env = {}
    for line in out.splitlines():
        if line.startswith("export "):
            name, _, value = shlex.split(line, comments=True)[1].partition("=")
            env[name] = value
    return env


def test_the_readme_walkthrough_answers_2xx_with_what_the_demo_prints(demo, client):
    code, out, _ = demo()
    assert code == 0
    env = shell_variables(out)
    assert {"SW_TOKEN", "CHILD_ID", "ARRANGEMENT_ID", "SESSION_TO_RECORD", "BOOK_STARTS_AT"} <= set(env)
    commands = walkthrough_commands()
    assert len(commands) >= 10
    for words in commands:
        request = as_request(words, env)
        pdf = request.pop("pdf")
        answer = client.request(**request)
        assert 200 <= answer.status_code < 300, (request["method"], request["url"], answer.status_code, answer.text[:500])
        if pdf:
            assert answer.headers["content-type"] == "application/pdf" and answer.content.startswith(b"%PDF")
