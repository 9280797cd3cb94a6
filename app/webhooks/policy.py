"""Who manages which webhook subscriptions (R-80, R-84). Pure: no FastAPI, no queries."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from app.core.access import as_system
from app.core.security import Principal, Role
from app.webhooks.models import WebhookSubscription

MANAGERS = (Role.integration, Role.admin)


def scope_of(principal: Principal) -> str | None:
    """The source a new subscription receives events of: the integration's own; an admin's
    subscription receives everything (None)."""
    return None if principal.has(Role.admin) else principal.source


def may_manage(principal: Principal, subscription: WebhookSubscription) -> bool:
    """An admin manages every subscription; an integration those of its own source, whichever
    of its clients made them."""
    if principal.has(Role.admin):
        return True
    return as_system(principal) and principal.source is not None and subscription.source == principal.source


def managed_subscriptions(principal: Principal) -> ColumnElement[bool]:
    """`may_manage` as SQL, for the list."""
    if principal.has(Role.admin):
        return true()
    if as_system(principal) and principal.source is not None:
        return WebhookSubscription.source == principal.source  # type: ignore[return-value]
    return false()
