"""Small helpers shared by the tests."""

from __future__ import annotations

import subprocess
import threading
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


def sign_agreement(client, headers: dict[str, str], arrangement_id: str, people: list[dict]) -> dict:
    """The shared factory for R-50: write the arrangement's agreement with `people` as its
    parties and record each one's signature, so the arrangement's sessions may be booked.
    `headers`: a team leader or the child's social worker."""
    body = {
        "expectations": ["Arrive ten minutes before the session starts.", "No talk of the court case with the child."],
        "breach_consequences": "A breach is recorded; a third breach, or a serious one, suspends contact.",
        "parties": [{"person_id": person["id"], "role": "parent"} for person in people],
    }
    written = client.put(f"/api/v1/arrangements/{arrangement_id}/agreement", json=body, headers=headers)
    assert written.status_code in (200, 201), written.text
    agreement = written.json()
    for person in people:
        signed = client.post(
            f"/api/v1/arrangements/{arrangement_id}/agreement/signatures",
            json={"person_id": person["id"], "signed_at": agreement["written_at"], "method": "in_person"},
            headers=headers,
        )
        assert signed.status_code in (200, 201), signed.text
        agreement = signed.json()
    assert agreement["fully_signed"], agreement
    return agreement


def fire(base: str, headers: dict[str, str], url: str, bodies: list[dict]) -> list[httpx.Response]:
    """Every body POSTed to `url` at once, each from its own thread and connection, released
    together by a barrier: the race tests against a real server."""
    barrier = threading.Barrier(len(bodies))
    results: list[httpx.Response | BaseException | None] = [None] * len(bodies)

    def run(i: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            http.get("/health/live")  # connected before the race starts
            barrier.wait(timeout=60)
            try:
                results[i] = http.post(url, json=bodies[i])
            except BaseException as exc:  # noqa: BLE001 (reported below)
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    failures = [r for r in results if not isinstance(r, httpx.Response)]
    assert not failures, failures
    return results  # type: ignore[return-value]


def make_deliveries(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Turn the outbox into webhook deliveries as a worker would (without sending anything);
    the first delivery's id of each subscription that got one."""
    from sqlalchemy import select
    from sqlmodel import Session

    from app.core import clock
    from app.webhooks.delivery import fan_out
    from app.webhooks.models import WebhookDelivery, WebhookSubscription

    with Session(engine) as session:
        for subscription in session.execute(select(WebhookSubscription)).scalars().all():
            while fan_out(session, subscription, clock.now(), 0) or subscription.cursor < _newest(session):
                pass
        session.commit()
        first: dict[str, str] = {}
        for delivery in session.execute(select(WebhookDelivery).order_by(WebhookDelivery.event_seq)).scalars():
            first.setdefault(str(delivery.subscription_id), str(delivery.id))
        return first


def _newest(session) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from app.core.outbox import OutboxEvent

    return session.execute(select(func.coalesce(func.max(OutboxEvent.seq), 0))).scalar_one()


def who(auth, sub: str, role: str, **claims):  # type: ignore[no-untyped-def]
    """Headers made when the request is sent: tokens carry the frozen clock's time."""
    return lambda: auth(sub, role, **claims)


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def paged_get(client, headers, url, *, moment: str, **params):  # type: ignore[no-untyped-def]
    """One page of a list at `moment`; `headers` is a `who(...)`."""
    with at(moment):
        return client.get(url, params=params, headers=headers())


def walk(client, headers, url, limit: int, *, moment: str, **params) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """Every item of a cursor-paged list, page by page; how many pages it took."""
    seen: list[str] = []
    cursor, pages = None, 0
    while True:
        response = paged_get(client, headers, url, moment=moment, limit=limit, **({"cursor": cursor} if cursor else {}), **params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return seen, pages
