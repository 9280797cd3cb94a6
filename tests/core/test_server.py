"""The real thing: `contact-service serve` on a fresh folder creates and migrates its SQLite
file under ./var, serves over real HTTP, keeps data across a restart, and logs JSON
without personal data."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import child_body
from tests.helpers import launch, stop

pytestmark = pytest.mark.server

SECRET = "server-test-secret-0123456789abcdef0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(folder: Path, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(PORT=str(port), HOST="127.0.0.1", JWT_SECRET=SECRET)
    return launch([sys.executable, "-m", "app.cli", "serve"], folder, env, log, f"http://127.0.0.1:{port}")


def token(folder: Path) -> str:
    env = {**os.environ, "JWT_SECRET": SECRET}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-m", "app.cli", "token", "--sub", "sw-1", "--role", "social_worker"],
        cwd=folder, env=env, capture_output=True, text=True, check=True,
    )
    return out.stdout.strip()


def test_serve_creates_its_database_under_var_and_keeps_data_across_a_restart(tmp_path):
    port, log = free_port(), tmp_path / "server.log"
    headers = {"Authorization": f"Bearer {token(tmp_path)}"}
    base = f"http://127.0.0.1:{port}"
    process = start(tmp_path, port, log)
    try:
        created = httpx.put(f"{base}/api/v1/children/framework/42", json=child_body(), headers=headers, timeout=10)
        assert created.status_code == 201, created.text
    finally:
        stop(process)
    assert (tmp_path / "var" / "contact-service.db").is_file()

    process = start(tmp_path, port, log)
    try:
        again = httpx.get(f"{base}/api/v1/children/{created.json()['id']}", headers=headers, timeout=10)
        assert again.status_code == 200
        assert again.json()["first_name"] == "Amara"
    finally:
        stop(process)

    text = log.read_text()
    assert '"path": "/api/v1/children/{source}/{external_id}"' in text
    for personal in ("Amara", "Okafor", "Elm Road", "NG5"):
        assert personal not in text
