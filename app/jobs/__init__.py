"""The service's own worker (R-85): webhook deliveries and the scheduled jobs."""
