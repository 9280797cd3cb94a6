"""The access layer's plumbing (R-05, R-06, R-80): how a dependency is marked as access
policy, role gates, and who an integration client is bound to.

Each domain's `policy.py` says who may do what (pure predicates and SQL filters, no
FastAPI); its `deps.py` turns those into the `Readable*`/`Writable*` dependencies that
routes take. Every such dependency is made with `policy` here, so a test can walk every
route of the app and find the routes that carry none (`tests/core/test_access_layer.py`).
Nothing outside this module and the policies compares roles.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar


from app.core.concurrency import Depends
from app.core.errors import Forbidden
from app.core.security import Principal, PrincipalDep, Role

F = TypeVar("F", bound=Callable[..., Any])
POLICY_MARK = "__access_policy__"


def policy(function: F) -> F:
    """Mark a dependency as an access decision (the structural test looks for the mark)."""
    setattr(function, POLICY_MARK, True)
    return function


def is_policy(call: object) -> bool:
    return bool(getattr(call, POLICY_MARK, False))


def as_system(principal: Principal) -> bool:
    """The caller is a case-record system: an integration token holding no person's role.
    Such a caller sees and touches only its own source's children (R-80)."""
    return principal.has(Role.integration) and principal.roles <= {Role.integration}


def integration_unbound(principal: Principal) -> bool:
    """An integration token whose `sub` INTEGRATION_SOURCES does not bind to a source."""
    return principal.has(Role.integration) and principal.source is None


def check_caller(principal: Principal, roles: tuple[Role, ...], *, acting: bool = False) -> Principal:
    """The role gate. `acting` marks a write: an integration must then name the social
    worker it acts for (`act_for`, R-80); reads, lookups and the feed need none."""
    if not principal.has(*roles):
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
    # The integration role's own conditions apply when it is what lets the caller in.
    if principal.has(Role.integration) and not principal.has(*(r for r in roles if r != Role.integration)):
        if integration_unbound(principal):
            raise Forbidden("This integration client is bound to no source system (INTEGRATION_SOURCES).")
        if acting and not principal.act_for:
            raise Forbidden("An integration token must name the social worker it acts for (act_for) to write.")
    return principal


def gate(*roles: Role, acting: bool = False) -> Callable[[Principal], Principal]:
    """A dependency letting through callers holding any of `roles`; others get 403."""

    @policy
    async def dependency(principal: PrincipalDep) -> Principal:
        return check_caller(principal, roles, acting=acting)

    dependency.__name__ = ("act_as_" if acting else "as_") + "_or_".join(roles)
    return dependency


def Gate(*roles: Role, acting: bool = False) -> Any:  # noqa: N802 - reads as a type in signatures
    """`Annotated[Principal, Depends(gate(...))]`, for typed aliases in deps modules."""
    return Annotated[Principal, Depends(gate(*roles, acting=acting))]


@policy
async def any_caller(principal: PrincipalDep) -> Principal:
    """Explicitly open to every authenticated caller (e.g. the deadline calculator)."""
    return principal


AnyCaller = Annotated[Principal, Depends(any_caller)]
