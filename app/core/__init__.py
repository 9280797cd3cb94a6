"""Cross-cutting concerns: configuration, database, security, errors, audit, outbox."""
