"""Small helpers shared by the tests."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime
from pathlib import Path

import httpx
import time_machine


def at(moment: str):
    """Freeze the clock at an ISO instant (mint tokens inside the block: they carry iat/exp)."""
    return time_machine.travel(datetime.fromisoformat(moment), tick=False)


def launch(command: list[str], folder: Path, env: dict[str, str], log: Path, base: str) -> subprocess.Popen:
    """Start a real server in `folder` and wait until `/health/ready` answers."""
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"server did not become ready: {log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
