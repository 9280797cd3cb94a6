"""Referrals for supervised contact and the team leaders' decisions on them (R-10 to R-18)."""
