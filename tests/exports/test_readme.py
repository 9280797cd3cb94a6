"""The README's pandas example (R-62), run as written against a real server."""

from __future__ import annotations

import re
from pathlib import Path

from app.core.security import mint_local_token

README = Path(__file__).resolve().parents[2] / "README.md"


def example() -> str:
    section = README.read_text().split("### Exports", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S)[1]


def test_r62_the_readme_pandas_example_reads_an_export_from_a_running_server(server, planted, settings):
    code = example()
    assert len(code.strip().splitlines()) == 3
    token = mint_local_token(settings, "da-1", ["data_analyst"])  # the server runs on the real clock
    code = code.replace("http://localhost:8000", server["base"]).replace("<token>", token)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    frame = namespace["sessions"]
    assert len(frame) == 2
    assert list(frame.columns[:4]) == ["session_id", "arrangement_id", "child_id", "area"]
    assert set(frame["area"]) == {"north"} and frame["child_id"].nunique() == 1
    assert planted["child"]["id"] not in set(frame["child_id"])
