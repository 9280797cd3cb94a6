"""`contact-service token` (R-05, R-71, R-80; issue 16: a contract without surprises): every
option says what it does, and an integration token says whom it acts for unless it is meant
to act for no one."""

from __future__ import annotations

import re
import shlex

import pytest

from app.cli import main as cli_main
from tests.conftest import ROOT, TEST_SECRET
from tests.core.test_security import assert_events_ok, bearer, payload_of

README = ROOT / "README.md"
PLACEHOLDERS = {"SUB": "sw-1", "ROLE": "social_worker"}


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_SECRET", TEST_SECRET)
    monkeypatch.setenv("INTEGRATION_SOURCES", "framework=framework")
    monkeypatch.delenv("JWT_JWKS_URL", raising=False)


def refused(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exited:
        cli_main(["token", *args])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # no token printed
    return captured.err


def test_r71_token_help_describes_every_option_including_no_act_for(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")  # one line per option
    with pytest.raises(SystemExit) as exited:
        cli_main(["token", "--help"])
    assert exited.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    options = [line.strip() for line in lines[lines.index("options:") + 1 :] if line.startswith("  -")]
    described = {re.findall(r"--[\w-]+", spec)[-1]: text.strip() for spec, _, text in (o.partition("  ") for o in options)}
    assert described.keys() == {"--help", "--sub", "--role", "--name", "--team", "--area", "--act-for", "--no-act-for", "--hours"}
    assert all(described.values()), described
    assert "feed" in described["--no-act-for"] and "integration" in described["--act-for"]


def test_r80_integration_token_without_act_for_is_refused_unless_no_act_for(cli_env, capsys):
    err = refused(capsys, "--sub", "framework", "--role", "integration")
    assert "--role integration needs --act-for SUB" in err and "--no-act-for" in err


def test_r80_no_act_for_gives_a_token_that_reads_the_change_feed(cli_env, capsys, client):
    assert cli_main(["token", "--sub", "framework", "--role", "integration", "--no-act-for"]) == 0
    token = capsys.readouterr().out.strip()
    payload = payload_of(token)
    assert payload["roles"] == ["integration"] and "act_for" not in payload
    assert_events_ok(client.get("/api/v1/events", headers=bearer(token)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sub", "framework", "--role", "integration", "--act-for", "sw-1", "--no-act-for"], "not allowed with argument"),
        (["--sub", "sw-1", "--role", "social_worker", "--no-act-for"], "--no-act-for is for the integration role only"),
    ],
)
def test_r80_no_act_for_is_for_an_integration_token_that_acts_for_no_one(cli_env, capsys, args, message):
    assert message in refused(capsys, *args)


def test_r71_the_readmes_token_commands_still_work(cli_env, capsys):
    text = " ".join(README.read_text().split())  # commands may wrap across lines
    commands = re.findall(r"contact-service token ((?:--[\w-]+ [^\s`)]+ ?)+)", text)
    assert commands, "README shows no `contact-service token` command"
    for command in commands:
        args = [PLACEHOLDERS.get(word, word) for word in shlex.split(command)]
        assert cli_main(["token", *args]) == 0, command
        token = capsys.readouterr().out.strip()
        assert token.count(".") == 2 and payload_of(token)["roles"], command
