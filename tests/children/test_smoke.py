from tests.conftest import child_body


def test_r07_upsert_smoke(client, auth):
    r = client.put("/api/v1/children/framework/1", json=child_body(), headers=auth("sw-1", "social_worker", team="t1"))
    assert r.status_code == 201, r.text
    r2 = client.put("/api/v1/children/framework/1", json=child_body(), headers=auth("sw-1", "social_worker", team="t1"))
    assert r2.status_code == 200, r2.text
    assert r.json()["id"] == r2.json()["id"]
    print(r2.json())
