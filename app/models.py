"""Imports every table model, so `SQLModel.metadata` is complete for Alembic."""

from app.agreements.models import Agreement, Breach, Signature
from app.arrangements.models import Arrangement
from app.oversight.models import Dispute, DisputeStepRecord, Restriction, Review, ReviewDue
from app.children.models import Child, Person
from app.core.audit import AuditEntry
from app.core.outbox import OutboxEvent
from app.documents.models import ProducedDocument
from app.records.models import IdempotencyKey, RecordVersion, SessionRecord
from app.referrals.models import Referral, ReferralPerson
from app.sessions.models import ContactSession, SessionAttendee
from app.venues.models import Room, Staff, Venue
from app.visits.models import Visit
from app.timetables.models import FeedToken
from app.transport.models import Driver, Expense, TransportRequest
from app.jobs.models import JobRun
from app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

__all__ = [
    "Agreement", "Arrangement", "AuditEntry", "Breach", "Dispute", "DisputeStepRecord", "Restriction", "Review", "ReviewDue", "Signature", "Child", "ContactSession", "FeedToken", "OutboxEvent", "Person", "Referral",
    "ReferralPerson", "Room", "SessionAttendee", "Staff", "Venue", "Visit", "Driver", "Expense",
    "TransportRequest", "IdempotencyKey", "RecordVersion", "SessionRecord", "JobRun", "WebhookAttempt",
    "WebhookDelivery", "WebhookSubscription", "ProducedDocument",
]
