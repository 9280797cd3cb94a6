"""Venues, their rooms, and the staff list (R-20, R-23): kept by administrators."""
