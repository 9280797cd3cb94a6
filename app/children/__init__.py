"""Children mirrored from case-record systems, and the people in each child's network."""
