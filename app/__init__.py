"""Contact Service API: the Supervised Contact Service for children in care."""
