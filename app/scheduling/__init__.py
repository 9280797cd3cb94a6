"""Venues, rooms, staff and the sessions booked in them (R-20 to R-30)."""
