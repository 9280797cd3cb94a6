"""Factories for scheduling: a venue with rooms, CSWs, and an active arrangement."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import sign_agreement
from tests.referrals.conftest import Referrals

WEEKDAYS_9_TO_7 = [{"weekday": d, "opens": "08:30", "closes": "19:00"} for d in range(5)]


class Scheduling:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth
        self.referrals = Referrals(client, auth)

    def admin(self) -> dict[str, str]:
        return self.auth("admin-1", "admin")

    def tl(self) -> dict[str, str]:
        return self.auth("tl-1", "team_leader")

    def csw_headers(self, sub: str = "csw-1") -> dict[str, str]:
        return self.auth(sub, "contact_support_worker")

    def venue(self, name: str = "Mansfield", area: str = "north", **extra: Any) -> dict:
        response = self.client.post("/api/v1/venues", json={"name": name, "area": area, **extra}, headers=self.admin())
        assert response.status_code == 201, response.text
        return response.json()

    def room(self, venue: dict, name: str = "Garden room", **extra: Any) -> dict:
        body = {"name": name, "capacity": 6, **extra}
        response = self.client.post(f"/api/v1/venues/{venue['id']}/rooms", json=body, headers=self.admin())
        assert response.status_code == 201, response.text
        return response.json()

    def csw(self, sub: str = "csw-1", **extra: Any) -> dict:
        body = {
            "name": "Jo Bennett",
            "role": "contact_support_worker",
            "area": "north",
            "working_hours": [{"weekday": d, "opens": "08:00", "closes": "20:00"} for d in range(7)],
            **extra,
        }
        response = self.client.put(f"/api/v1/staff/{sub}", json=body, headers=self.admin())
        assert response.status_code in (200, 201), response.text
        return response.json()

    def arrangement(self, key: str = "123456", *, signed: bool = True, decision_reason: str | None = None, **child: Any) -> dict:
        """An active arrangement; with `signed`, its written agreement signed by both parents (R-50)."""
        child_row, people = self.referrals.child(key=key, **child)
        referral = self.referrals.draft(child_row, people)
        self.client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=self.referrals.tm())
        self.client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=self.referrals.sw())
        reason = {"reason": decision_reason} if decision_reason else {}
        decided = self.referrals.decide(referral, outcome="accepted_core", **reason)
        assert decided.status_code == 200, decided.text
        if signed:
            sign_agreement(self.client, self.tl(), decided.json()["arrangement_id"], people)
        return {"id": decided.json()["arrangement_id"], "child": child_row, "people": people}

    def book(self, headers: dict[str, str] | None = None, **body: Any):
        return self.client.post("/api/v1/sessions", json=body, headers=headers or self.tl())


@pytest.fixture
def scheduling(client, auth) -> Scheduling:
    return Scheduling(client, auth)


@pytest.fixture
def setting(scheduling) -> dict:
    """A venue with two rooms, two CSWs and one active arrangement for a 9-year-old."""
    venue = scheduling.venue()
    return {
        "venue": venue,
        "room": scheduling.room(venue),
        "room2": scheduling.room(venue, name="Blue room"),
        "csw": scheduling.csw("csw-1"),
        "csw2": scheduling.csw("csw-2"),
        "arrangement": scheduling.arrangement(date_of_birth="2017-03-14"),
    }
