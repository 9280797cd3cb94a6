"""Signed webhooks (R-84): subscriptions, the delivery log, and the worker's delivery loop."""
