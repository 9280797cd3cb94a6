"""Contact arrangements: the live case an accepted referral opens (R-18)."""
