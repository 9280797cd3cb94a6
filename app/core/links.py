"""OpenAPI links (OpenAPI 3.1 s4.8.20): which answer's id feeds which next request.

A client generator, a reader of the document, and Schemathesis' stateful phase learn from
these that `PUT /children/{source}/{external_id}` gives the `child_id` of
`GET /children/{child_id}/referrals`, that a decision gives the `arrangement_id` of the
arrangement's operations, and so on. Each producer below names the path parameters its
success answers supply; every operation whose path parameters it supplies in full gets a
link, named by that operation's id.
"""

from __future__ import annotations

from typing import Any

from app.core.configured import operations

# operationId of a producer -> {path parameter: runtime expression}
PRODUCERS: dict[str, dict[str, str]] = {
    "children_upsert_child": {"child_id": "$response.body#/id"},
    "referrals_create_referral": {"referral_id": "$response.body#/id"},
    "referrals_decide_referral": {"arrangement_id": "$response.body#/arrangement_id"},
    "scheduling_book_session": {"session_id": "$response.body#/id"},
    "scheduling_sign_in": {"session_id": "$request.path.session_id", "visit_id": "$response.body#/id"},
    "scheduling_create_venue": {"venue_id": "$response.body#/id"},
    "scheduling_upsert_staff": {"sub": "$response.body#/sub"},
    "scheduling_issue_feed_token": {"token": "$response.body#/token"},
    "transport_create_transport_request": {"request_id": "$response.body#/id"},
    "transport_create_driver": {"driver_id": "$response.body#/id"},
    "transport_create_expense": {"expense_id": "$response.body#/id"},
    "oversight_post_dispute": {"dispute_id": "$response.body#/id"},
    "oversight_post_restriction": {"restriction_id": "$response.body#/id"},
    "webhooks_create_webhook": {"webhook_id": "$response.body#/id"},
}


def declare_links(document: dict[str, Any]) -> None:
    """Add each producer's links to its 2xx answers (in place)."""
    every = operations(document)
    targets = [
        (operation["operationId"], {p["name"] for p in operation.get("parameters", []) if p.get("in") == "path"})
        for operation in every
    ]
    for producer in every:
        supplies = PRODUCERS.get(producer["operationId"])
        if supplies is None:
            continue
        links = {
            target_id: {
                "operationId": target_id,
                "parameters": {name: supplies[name] for name in sorted(params)},
            }
            for target_id, params in targets
            if params and params <= supplies.keys() and target_id != producer["operationId"]
        }
        for status, response in producer.get("responses", {}).items():
            if status.startswith("2") and links:
                response["links"] = dict(sorted(links.items()))
