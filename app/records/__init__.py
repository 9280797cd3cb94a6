"""Session records from the tablet (R-40 to R-45)."""
