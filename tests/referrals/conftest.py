"""Factories for referrals: a child with a network, and referrals at each stage."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import child_body

SW = ("sw-1", "social_worker")
TEAM = "north-1"


class Referrals:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth

    def sw(self, sub: str = "sw-1") -> dict[str, str]:
        return self.auth(sub, "social_worker", team=TEAM)

    def tm(self, sub: str = "tm-1", team: str = TEAM) -> dict[str, str]:
        return self.auth(sub, "team_manager", team=team)

    def tl(self, sub: str = "tl-1") -> dict[str, str]:
        return self.auth(sub, "team_leader")

    def child(self, key: str = "123456", **overrides: Any) -> tuple[dict, list[dict]]:
        child = self.client.put(f"/api/v1/children/framework/{key}", json=child_body(**overrides), headers=self.sw())
        assert child.status_code == 201, child.text
        people = []
        for first, relationship in (("Grace", "mum"), ("Sam", "dad")):
            person = self.client.post(
                f"/api/v1/children/{child.json()['id']}/people",
                json={"first_name": first, "last_name": "Okafor", "relationship": relationship},
                headers=self.sw(),
            )
            assert person.status_code == 201, person.text
            people.append(person.json())
        return child.json(), people

    def body(self, child: dict, people: list[dict], /, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "child_id": child["id"],
            "people": [p["id"] for p in people],
            "purpose": ["relationships"],
            "level": "supervised",
            "frequency": {"times": 2, "per": "week"},
            "duration_minutes": 90,
            "risk_assessment": {
                "factors": [{"factor": "substance_misuse", "level": "medium", "note": "In a recovery programme."}]
            },
        }
        body.update(overrides)
        return body

    def draft(self, child: dict | None = None, people: list[dict] | None = None, /, **overrides: Any) -> dict:
        if child is None:
            child, people = self.child()
        response = self.client.post("/api/v1/referrals", json=self.body(child, people or [], **overrides), headers=self.sw())
        assert response.status_code == 201, response.text
        return response.json()

    def approved(self, **overrides: Any) -> dict:
        referral = self.draft(**overrides)
        response = self.client.post(f"/api/v1/referrals/{referral['id']}/approval", headers=self.tm())
        assert response.status_code == 200, response.text
        return response.json()

    def submitted(self, **overrides: Any) -> dict:
        referral = self.approved(**overrides)
        response = self.client.post(f"/api/v1/referrals/{referral['id']}/submit", headers=self.sw())
        assert response.status_code == 200, response.text
        return response.json()

    def decide(self, referral: dict, **body: Any):
        return self.client.post(f"/api/v1/referrals/{referral['id']}/decision", json=body, headers=self.tl())


@pytest.fixture
def referrals(client, auth) -> Referrals:
    return Referrals(client, auth)
