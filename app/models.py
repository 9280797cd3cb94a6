"""Imports every table model, so `SQLModel.metadata` is complete for Alembic."""

from app.children.models import Child, Person
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent

__all__ = ["AuditEntry", "Child", "OutboxEvent", "Person"]
