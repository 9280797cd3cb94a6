"""Exports for data teams (R-62, R-86): datasets streamed as CSV or NDJSON, pseudonymised
for data analysts."""
