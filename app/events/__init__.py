"""The outbox served as a change feed (R-60), and the audit log for service managers (R-61)."""
