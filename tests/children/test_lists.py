"""What hangs off a child, listed for integrators (R-83, R-62): its referrals and its
arrangements, cursor-paged by time, filtered by status and by local day, under the child's
access rules (R-06, R-80): a child the caller may not read is the same 404 as none."""

from __future__ import annotations

from functools import partial

import uuid

import pytest
from sqlalchemy import select
from sqlmodel import Session

from app.arrangements.models import Arrangement
from app.referrals.models import Referral
from tests.conftest import child_body
from tests import helpers
from tests.helpers import at, ids, paged_get, who
from tests.referrals.conftest import Referrals

DAYS = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04"]  # Monday to Thursday, GMT
LATER = "2027-03-05T12:00:00+00:00"


def moment(day: str) -> str:
    return f"{day}T09:00:00+00:00"


@pytest.fixture
def family(client, auth):
    """Child A (sw-1) with four referrals drafted a day apart: a draft, one accepted (its
    arrangement active), one withdrawn and one accepted (its arrangement closed); and child B
    (sw-2) with one referral of its own."""
    r = Referrals(client, auth)
    with at(moment(DAYS[0])):
        child, people = r.child(key="A-1", team="north-1")
        draft = r.draft(child, people)
    with at(moment(DAYS[1])):
        accepted = r.draft(child, people)
        client.post(f"/api/v1/referrals/{accepted['id']}/approval", headers=r.tm())
        client.post(f"/api/v1/referrals/{accepted['id']}/submit", headers=r.sw())
        decided = r.decide(accepted, outcome="accepted_core")
        assert decided.status_code == 200, decided.text
    with at(moment(DAYS[2])):
        withdrawn = r.draft(child, people)
        out = client.post(f"/api/v1/referrals/{withdrawn['id']}/withdraw", json={"reason": "Family moved away."}, headers=r.sw())
        assert out.status_code == 200, out.text
    with at(moment(DAYS[3])):
        second = r.draft(child, people)
        client.post(f"/api/v1/referrals/{second['id']}/approval", headers=r.tm())
        client.post(f"/api/v1/referrals/{second['id']}/submit", headers=r.sw())
        closed = r.decide(second, outcome="accepted_core")
        assert closed.status_code == 200, closed.text
        shut = client.post(
            f"/api/v1/arrangements/{closed.json()['arrangement_id']}/close",
            json={"reason": "Review meeting: contact ends.", "exit_plan": "Letterbox contact."}, headers=r.tl(),
        )
        assert shut.status_code == 200, shut.text
    with at(moment(DAYS[0])):
        sw2 = auth("sw-2", "social_worker", team="south-3")
        other_child = client.put(
            "/api/v1/children/framework/B-1", json=child_body(social_worker_sub="sw-2", team="south-3"), headers=r.tl()
        ).json()
        mum = client.post(
            f"/api/v1/children/{other_child['id']}/people", json={"first_name": "Grace", "last_name": "Okafor", "relationship": "mum"}, headers=sw2
        ).json()
        other = client.post("/api/v1/referrals", json=r.body(other_child, [mum]), headers=sw2)
        assert other.status_code == 201, other.text
    return {
        "child": child, "other_child": other_child, "other_referral": other.json(),
        "referrals": [draft["id"], accepted["id"], withdrawn["id"], second["id"]],
        "arrangements": [decided.json()["arrangement_id"], closed.json()["arrangement_id"]],
    }


def sw(auth):
    return who(auth, "sw-1", "social_worker", team="north-1")


get = partial(paged_get, moment=LATER)
walk = partial(helpers.walk, moment=LATER)


class TestReferrals:
    def url(self, family) -> str:
        return f"/api/v1/children/{family['child']['id']}/referrals"

    def test_r83_a_childs_referrals_come_oldest_first_as_each_reads_alone(self, client, auth, engine, family):
        response = get(client, sw(auth), self.url(family))
        assert ids(response) == family["referrals"]
        body = response.json()
        assert body["next_cursor"] is None
        assert [item["status"] for item in body["items"]] == ["draft", "decided", "withdrawn", "decided"]
        assert [item["created_at"][:10] for item in body["items"]] == DAYS
        assert family["other_referral"]["id"] not in ids(response)
        with at(LATER):
            alone = client.get(f"/api/v1/referrals/{family['referrals'][1]}", headers=sw(auth)()).json()
        assert body["items"][1] == alone
        assert alone["decision"]["arrangement_id"] == family["arrangements"][0]
        with Session(engine) as session:
            stored = session.execute(
                select(Referral.id).where(Referral.child_id == uuid.UUID(family["child"]["id"])).order_by(Referral.created_at)
            ).scalars().all()
        assert [str(i) for i in stored] == family["referrals"]

    @pytest.mark.parametrize("limit", [1, 3])
    def test_r83_r62_paging_with_a_small_limit_walks_every_referral_once_in_order(self, client, auth, family, limit):
        seen, pages = walk(client, sw(auth), self.url(family), limit)
        assert seen == family["referrals"]
        assert pages == -(-len(family["referrals"]) // limit)

    def test_r83_status_filter_takes_one_or_several_states(self, client, auth, family):
        assert ids(get(client, sw(auth), self.url(family), status="decided")) == [family["referrals"][1], family["referrals"][3]]
        both = get(client, sw(auth), self.url(family), status=["draft", "withdrawn"])
        assert ids(both) == [family["referrals"][0], family["referrals"][2]]
        assert ids(get(client, sw(auth), self.url(family), status="submitted")) == []

    def test_r83_from_and_to_are_local_days_both_included(self, client, auth, family):
        assert ids(get(client, sw(auth), self.url(family), **{"from": DAYS[1], "to": DAYS[2]})) == family["referrals"][1:3]
        assert ids(get(client, sw(auth), self.url(family), **{"from": DAYS[3]})) == family["referrals"][3:]
        assert ids(get(client, sw(auth), self.url(family), to=DAYS[0])) == family["referrals"][:1]
        paged, _ = walk(client, sw(auth), self.url(family), 1, status="decided", **{"from": DAYS[1]})
        assert paged == [family["referrals"][1], family["referrals"][3]]

    def test_r01_r83_a_day_is_the_services_local_day_across_summer_time(self, client, auth):
        r = Referrals(client, auth)
        with at("2027-06-01T12:00:00+00:00"):
            child, people = r.child(key="S-1")
        with at("2027-06-01T23:30:00+00:00"):  # 00:30 on 2 June in London (BST)
            late = r.draft(child, people)
        url = f"/api/v1/children/{child['id']}/referrals"
        assert ids(get(client, sw(auth), url, **{"from": "2027-06-02", "to": "2027-06-02"})) == [late["id"]]
        assert ids(get(client, sw(auth), url, to="2027-06-01")) == []

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"status": "bogus"}, "status.0"),
            ({"status": ["draft", "bogus"]}, "status.1"),  # the repeated value at fault
            ({"from": "2027-13-01"}, "from"),
            ({"from": "1700000000"}, "from"),
            ({"to": "03/03/2027"}, "to"),
            ({"from": "2027-03-04", "to": "2027-03-01"}, "to"),
            ({"from": "1800-01-01"}, "from"),
            ({"to": "9999-12-31"}, "to"),
            ({"limit": 0}, "limit"),
            ({"cursor": "not-a-cursor"}, "cursor"),
        ],
    )
    def test_r83_r70_a_bad_filter_is_a_422_naming_it(self, client, auth, family, params, field):
        response = get(client, sw(auth), self.url(family), **params)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r06_r80_r83_an_unknown_or_unreadable_child_is_the_same_404(self, client, auth, family):
        url = self.url(family)
        unknown = get(client, sw(auth), "/api/v1/children/00000000-0000-4000-8000-000000000000/referrals")
        other_team_sw = get(client, who(auth, "sw-2", "social_worker", team="south-3"), url)
        other_team_tm = get(client, who(auth, "tm-2", "team_manager", team="south-3"), url)
        foreign_source = get(client, who(auth, "mosaic-prod", "integration"), url)
        assert unknown.status_code == other_team_sw.status_code == other_team_tm.status_code == foreign_source.status_code == 404
        assert unknown.json() == other_team_sw.json() == other_team_tm.json() == foreign_source.json()
        assert get(client, who(auth, "iro-1", "iro"), url).status_code == 403  # an IRO reads children, not referrals
        assert get(client, who(auth, "da-1", "data_analyst"), url).status_code == 403

    def test_r06_r80_r83_the_team_manager_and_the_childs_own_source_list_them(self, client, auth, family):
        assert ids(get(client, who(auth, "tm-1", "team_manager", team="north-1"), self.url(family))) == family["referrals"]
        assert ids(get(client, who(auth, "fw", "integration"), self.url(family))) == family["referrals"]
        assert ids(get(client, who(auth, "tl-1", "team_leader"), self.url(family))) == family["referrals"]

    def test_r06_r83_a_reallocated_childs_new_social_worker_lists_only_the_referrals_they_may_read(self, client, auth, family):
        with at(LATER):
            moved = client.put(
            "/api/v1/children/framework/A-1", json=child_body(social_worker_sub="sw-3", team="north-1"), headers=auth("tl-1", "team_leader")
        )
            assert moved.status_code == 200, moved.text
            one = client.get(f"/api/v1/referrals/{family['referrals'][0]}", headers=auth("sw-3", "social_worker", team="north-1"))
        assert one.status_code == 404  # the referral's own rule: its referrer and their team
        assert ids(get(client, who(auth, "sw-3", "social_worker", team="north-1"), self.url(family))) == []
        assert get(client, sw(auth), self.url(family)).status_code == 404  # sw-1 no longer reads the child


class TestArrangements:
    def url(self, family) -> str:
        return f"/api/v1/children/{family['child']['id']}/arrangements"

    def test_r83_a_childs_arrangements_come_oldest_first_as_each_reads_alone(self, client, auth, engine, family):
        response = get(client, sw(auth), self.url(family))
        assert ids(response) == family["arrangements"]
        body = response.json()
        assert [item["status"] for item in body["items"]] == ["active", "closed"]
        assert [item["opened_at"][:10] for item in body["items"]] == [DAYS[1], DAYS[3]]
        assert [item["referral_id"] for item in body["items"]] == [family["referrals"][1], family["referrals"][3]]
        with at(LATER):
            alone = client.get(f"/api/v1/arrangements/{family['arrangements'][1]}", headers=sw(auth)()).json()
        assert body["items"][1] == alone
        with Session(engine) as session:
            stored = session.execute(select(Arrangement.status).where(Arrangement.child_id == uuid.UUID(family["child"]["id"])).order_by(Arrangement.opened_at)).scalars().all()
        assert [s.value for s in stored] == ["active", "closed"]
        other = get(client, who(auth, "tl-1", "team_leader"), f"/api/v1/children/{family['other_child']['id']}/arrangements")
        assert ids(other) == []

    def test_r83_r62_paging_and_filters(self, client, auth, family):
        seen, pages = walk(client, sw(auth), self.url(family), 1)
        assert seen == family["arrangements"] and pages == 2
        assert ids(get(client, sw(auth), self.url(family), status="closed")) == family["arrangements"][1:]
        assert ids(get(client, sw(auth), self.url(family), status=["active", "closed"])) == family["arrangements"]
        assert ids(get(client, sw(auth), self.url(family), **{"from": DAYS[2]})) == family["arrangements"][1:]
        assert ids(get(client, sw(auth), self.url(family), **{"from": DAYS[0], "to": DAYS[1]})) == family["arrangements"][:1]

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"status": "suspend"}, "status.0"), ({"from": "2027-02-30"}, "from"), ({"from": DAYS[2], "to": DAYS[1]}, "to")],
    )
    def test_r83_r70_a_bad_filter_is_a_422_naming_it(self, client, auth, family, params, field):
        response = get(client, sw(auth), self.url(family), **params)
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_r06_r80_r83_an_unknown_or_unreadable_child_is_the_same_404(self, client, auth, family):
        url = self.url(family)
        unknown = get(client, sw(auth), "/api/v1/children/00000000-0000-4000-8000-000000000000/arrangements")
        other_team_sw = get(client, who(auth, "sw-2", "social_worker", team="south-3"), url)
        foreign_source = get(client, who(auth, "mosaic-prod", "integration"), url)
        csw_elsewhere = get(client, who(auth, "csw-9", "contact_support_worker"), url)
        assert unknown.status_code == other_team_sw.status_code == foreign_source.status_code == csw_elsewhere.status_code == 404
        assert unknown.json() == other_team_sw.json() == foreign_source.json() == csw_elsewhere.json()
        assert get(client, who(auth, "da-1", "data_analyst"), url).status_code == 403
        assert ids(get(client, who(auth, "fw", "integration"), url)) == family["arrangements"]
