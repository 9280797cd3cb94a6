"""Venue check-in: visitors sign in and out of a session (R-30)."""
