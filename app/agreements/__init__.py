"""Written agreements, their signatures and breaches of them (R-50 to R-52)."""
