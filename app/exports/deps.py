"""Route dependencies for the exports, built on `exports.policy`."""

from __future__ import annotations

from typing import Annotated

from app.core.access import Gate, policy
from app.core.concurrency import Depends
from app.exports.policy import EXPORT_READERS, pseudonymised
from app.exports.service import View


@policy
def export_view(principal: Gate(*EXPORT_READERS)) -> View:
    """Data analysts and service managers only; the view follows the caller's role."""
    return View(pseudonymised=pseudonymised(principal))


ExportView = Annotated[View, Depends(export_view)]
