"""The court bundle for a year of weekly sessions (issue 15, point 3).

Renders, in a fresh process each, `app.documents.pdf.render_bundle` for 52 submitted
records of 20,000 characters of observations each (every record with one amendment, as
courts see them), and prints the wall time and the process's peak RSS growth. Reference,
side by side (A B A B, `--rounds`): the same text laid out by plain fpdf2 `multi_cell` with
the same font, so the figure shows what the bundle costs beyond fpdf2's own layout.

The database side of a bundle is a fixed handful of statements (tests/documents), so
rendering is what scales with the records. Targets: under 10 s and 300 MB.

    .venv/bin/python bench/bundle.py              # 52 records, 2 rounds
    .venv/bin/python bench/bundle.py --records 104 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import json, resource, sys, time
from datetime import UTC, date, datetime, timedelta
sys.path.insert(0, ROOT)
from app.documents import pdf

kind, records = sys.argv[1], int(sys.argv[2])
sentence = "Amara showed mum her drawing of the garden and they tidied the paints away together. "
text = (sentence * (20_000 // len(sentence) + 1))[:20_000]
start = datetime(2026, 1, 6, 16, 0, tzinfo=UTC)
items = []
for n in range(records):
    at = start + timedelta(weeks=n)
    fields = {"went_ahead": True, "not_ahead_reason": None, "arrived_at": at, "left_at": at + timedelta(minutes=88),
              "attendees": ["mum"], "observations": text, "child_views": "Amara wants longer visits.",
              "parent_views": "Mum said it went well.", "incidents": None}
    versions = [pdf.PdfVersion(2, "Jo Bennett, Contact Support Worker", at + timedelta(hours=3), None, fields),
                pdf.PdfVersion(3, "Priya Shah, Team Leader", at + timedelta(days=1), "Arrival time corrected.",
                               {**fields, "arrived_at": at + timedelta(minutes=5)})]
    items.append(pdf.PdfRecord(f"CSR-2026-{n:08X}", at, at + timedelta(minutes=90), "Mansfield Contact Centre – Garden room",
                               "Amara", "Jo Bennett, Contact Support Worker", at + timedelta(hours=3), at + timedelta(hours=25, minutes=30),
                               False, versions))
issue = pdf.Issue("Nottinghamshire County Council", datetime(2027, 1, 5, 9, 0, tzinfo=UTC), "0" * 64)
bundle = pdf.PdfBundle("CSB-2026-0B9C8D7E", "Amara", date(2026, 1, 1), date(2026, 12, 31), items,
                       [pdf.PdfSessionLine(r.session_starts_at, True, None) for r in items])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
began = time.perf_counter()
if kind == "bundle":
    data = pdf.render_bundle(bundle, issue)
else:
    from fpdf import FPDF
    plain = FPDF()
    plain.add_font("DejaVuSans", "", str(pdf.FONT_DIR / "DejaVuSans.ttf"))
    plain.set_font("DejaVuSans", "", 10)
    plain.add_page()
    for r in items:
        for _ in range(2):  # the current record and the submitted version print the observations
            plain.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    data = bytes(plain.output())
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "rss_growth_mb": (peak - base) / 1024, "peak_rss_mb": peak / 1024, "bytes": len(data)}))
'''


def run(kind: str, records: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CHILD.replace("ROOT", repr(str(ROOT))), kind, str(records)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{out.stderr}")
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=52)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"plain fpdf2 (ref)": [], "court bundle": []}
    for n in range(args.rounds):
        for label, kind in (("plain fpdf2 (ref)", "plain"), ("court bundle", "bundle")):
            got = run(kind, args.records)
            results[label].append(got)
            print(f"round {n + 1}: {label:18} {got['seconds']:6.2f} s  peak RSS {got['peak_rss_mb']:6.1f} MB"
                  f" (+{got['rss_growth_mb']:.1f} MB while rendering)  {got['bytes'] / 1e6:.2f} MB PDF")
    best = {label: min(r["seconds"] for r in rs) for label, rs in results.items()}
    peak = max(r["peak_rss_mb"] for r in results["court bundle"])
    seconds = max(r["seconds"] for r in results["court bundle"])
    print(f"\n{args.records} records of 20,000 characters: court bundle {seconds:.2f} s (worst), "
          f"{best['court bundle'] / best['plain fpdf2 (ref)']:.2f}x plain fpdf2; peak RSS {peak:.1f} MB")
    print(f"  target: under 10 s   {'PASS' if seconds < 10 else 'FAIL'}")
    print(f"  target: under 300 MB {'PASS' if peak < 300 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
