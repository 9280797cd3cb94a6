"""Oversight of an arrangement: restrictions and the s34 flag, reviews, disputes (R-53 to R-56)."""
