"""compose.yaml: the deployment users try first (PostgreSQL, two API replicas, a worker).

No container engine runs in CI, so this checks what can be checked without one: the file
names real commands and real settings, the replicas run no worker while the worker runs
alone, everything starts after the migration, and the secrets are required. Where a
Compose client is installed (`docker compose` or `docker-compose`), it also validates the
file with `config`, with and without the example `.env`.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.cli import main
from app.core.config import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "compose.yaml"
EXAMPLE_ENV = ROOT / "compose.env.example"
APP_SERVICES = ("migrate", "api", "api-2", "worker")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())  # type: ignore[no-any-return]


def _example_env() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in EXAMPLE_ENV.read_text().splitlines() if re.match(r"^[A-Z_]+=", line))
    return {key: value for key, value in pairs}


def _subcommands() -> set[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        main(["--help"])
    return set(re.findall(r"[a-z][a-z0-9-]+", out.getvalue().split("{", 1)[1].split("}", 1)[0]))


def test_every_app_service_runs_the_dockerfile_image_with_a_real_command(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(APP_SERVICES) | {"db"} == set(services)
    commands = _subcommands()
    for name in APP_SERVICES:
        service = services[name]
        assert service["build"] == ".", name
        assert service["image"] == "contact-service:local", name
        assert service["command"][0] == "contact-service", name
        assert service["command"][1] in commands, f"{name}: {service['command']} is not a contact-service command"
    assert services["migrate"]["command"] == ["contact-service", "migrate"]
    assert services["worker"]["command"] == ["contact-service", "worker"]


def test_every_setting_it_passes_is_one_the_service_reads(compose: dict[str, Any]) -> None:
    fields = {name.upper() for name in Settings.model_fields}
    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - fields
        assert not unknown, f"{name} passes settings the service does not read: {unknown}"


def test_the_replicas_run_no_worker_and_the_worker_runs_alone_after_the_migration(compose: dict[str, Any]) -> None:
    services = compose["services"]
    ports = []
    for name in ("api", "api-2"):
        service = services[name]
        assert service["command"] == ["contact-service", "serve", "--no-migrate"]
        assert service["environment"]["WORKER"] == "off"
        assert service["environment"]["HOST"] == "0.0.0.0"
        ports += [mapping.split(":")[0] for mapping in service["ports"]]
    assert len(ports) == len(set(ports)) == 2, "each replica has its own port"
    assert [service for service in services.values() if "worker" in service.get("command", [])] == [services["worker"]]
    for name in ("api", "api-2", "worker"):
        assert services[name]["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert services["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"


def test_the_service_uses_the_compose_database_and_requires_its_secrets(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]["environment"]
    required = {"POSTGRES_PASSWORD", "JWT_SECRET", "AUDIT_KEY", "PSEUDONYM_KEY", "WEBHOOK_SECRETS_KEY"}
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith(f"postgresql+psycopg://{db['POSTGRES_USER']}:"), name
        assert env["DATABASE_URL"].endswith(f"@db:5432/{db['POSTGRES_DB']}"), name
        for key in required - {"POSTGRES_PASSWORD"}:
            assert env[key] == f"${{{key}:?set {key} in .env}}", f"{name}: {key} must be required, never defaulted"
    assert required <= set(_example_env()), "compose.env.example lists every secret compose.yaml requires"


def _compose_client() -> list[str] | None:
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_a_compose_client_accepts_the_file_with_the_example_env_and_refuses_it_without(tmp_path: Path) -> None:
    client = _compose_client()
    if client is None:
        pytest.skip("no Compose client installed (`docker compose` or Debian's docker-compose)")
    shutil.copy(COMPOSE, tmp_path / "compose.yaml")
    without = subprocess.run([*client, "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert without.returncode != 0
    assert "in .env" in without.stderr + without.stdout
    shutil.copy(EXAMPLE_ENV, tmp_path / ".env")
    valid = subprocess.run([*client, "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert valid.returncode == 0, valid.stderr
