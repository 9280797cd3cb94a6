"""CSW timetables as JSON and iCalendar, and the feed tokens calendar apps subscribe with (R-28)."""
