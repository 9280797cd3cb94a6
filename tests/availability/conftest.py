"""The session factories and fixtures, shared with the sessions tests."""

from tests.sessions.conftest import Scheduling, scheduling, setting  # noqa: F401
