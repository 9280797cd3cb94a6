"""Who reads the reports (R-63, API.md). Pure.

Reports are counts and shares by month and area: no names, dates of birth or addresses, so
the data analyst's pseudonymised view (R-06) needs nothing withheld here."""

from __future__ import annotations

from app.core.security import Role

REPORT_READERS = (Role.data_analyst, Role.service_manager, Role.team_leader)
