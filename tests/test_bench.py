"""The benchmark is a script, not a timed test: here it only has to run, at N = 20."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from conftest import REPOSITORY
from bench.generate import event_agenda


def test_the_benchmark_runs_at_twenty_sessions(tmp_path):
    result = subprocess.run([sys.executable, str(REPOSITORY / "bench" / "run.py"), "--sizes", "20",
                             "--runs", "1", "--no-seed", "--work", str(tmp_path)],
                            capture_output=True, text=True, check=True)
    row = re.search(r"^\| 20 \| ([\d.]+) s \| (\d+) MB \| (\d+) MB \| ([\d,]+) \| ([\d.]+) s \|$",
                    result.stdout, re.M)
    assert row, result.stdout
    files = sum(1 for path in (tmp_path / "dist-site-20").rglob("*") if path.is_file())
    assert int(row[4].replace(",", "")) == files > 3 * 20
    assert float(row[1]) > 0 and float(row[5]) > 0
    assert 10 < int(row[2]) and 10 < int(row[3])  # a Python process holds more than 10 MB


def test_synthetic_events_are_deterministic_and_as_the_issue_describes():
    agenda = event_agenda(200)
    assert agenda == event_agenda(200)
    sessions = [s for day in agenda["days"] for s in day["sessions"]]
    assert len(sessions) == 200 and len(agenda["days"]) > 1
    assert len({s["room"]["en"] for s in sessions}) > 1
    for session in sessions:
        start, end = (int(t[:2]) * 60 + int(t[3:]) for t in (session["start"], session["end"]))
        assert 30 <= end - start <= 90
        assert 1 <= len(session["speakers"]) <= 3
        for locale in ("en", "es", "fr"):
            words = len(session["description"][locale].replace("- ", "").split())
            assert 80 <= words <= 200 + 12, (session["id"], locale, words)
    assert yaml.safe_load(yaml.safe_dump(agenda)) == agenda


def test_the_floor_script_runs_and_its_memos_leave_the_pages_as_they_were(tmp_path):
    # floor.py stops with an error when pages rendered with memoized helpers differ.
    result = subprocess.run([sys.executable, str(REPOSITORY / "bench" / "floor.py"), "20",
                             "--target", "0.25", "--work", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = dict(re.findall(r"^\| (\w+\.html|all) \| ([\d.]+) \| [\d.]+ \|$", result.stdout, re.M))
    assert {"home.html", "agenda.html", "program.html", "session.html", "all"} <= set(rows)
    assert float(rows["all"]) > 0
    assert re.search(r"templates included or extended: [\d,]+", result.stdout)
