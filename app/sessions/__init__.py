"""Supervised contact sessions: booking, series, cancel, move and hold (R-21 to R-29)."""
