"""How long the dev server takes to start, and from saving an edit to serving the new page.

    python bench/serve_latency.py SITE [--edits 11] [--split]

SITE is any site folder, e.g. one of ../shared/bench's `sites/project-N` (see README.md). It
is copied to a temporary folder first; with --split, each day of the copy's agenda.yaml is
moved to a file of its own (days/day-N.yaml, included from agenda.yaml), as a large
programme may keep it. Then `build.py serve` is started on a free port, and:

- start-up: from starting the process to the first 200 answer for /<locale>/;
- each edit changes the English title of a session in the file that holds it (agenda.yaml, or
  its day's file), and measures from just before the file is written to the first answer for
  the session's page that shows the new title, polling every 2 ms.

Medians, minima and maxima are printed in seconds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def split_days(text: str) -> tuple[str, dict[str, str]]:
    """agenda.yaml's text with each day of `days:` moved to days/day-N.yaml, as written."""
    head, _, days = text.partition("\ndays:\n")
    blocks = re.split(r"(?m)^  - (?=date:)", days)[1:]
    files = {f"days/day-{number}.yaml": "\n".join(line[4:] if line.startswith("    ") else line
                                                   for line in block.splitlines()) + "\n"
             for number, block in enumerate(blocks, 1)}
    includes = "".join(f"  - include: {name}\n" for name in files)
    return f"{head}\ndays:\n{includes}", files


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.read()
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(url: str, wanted: bytes, limit: float = 120) -> float:
    """Seconds until `url` answers with `wanted` in its body."""
    started = time.perf_counter()
    while True:
        body = get(url)
        if body is not None and wanted in body:
            return time.perf_counter() - started
        if time.perf_counter() - started > limit:
            raise SystemExit(f"{url} did not show {wanted!r} within {limit} s")
        time.sleep(0.002)


def edited_sessions(site: Path, count: int) -> list[tuple[Path, str, str]]:
    """(file, session id, its English title) for `count` sessions spread over the files."""
    files = sorted(site.glob("days/*.yaml")) or [site / "agenda.yaml"]
    found = []
    for file in files:
        text = file.read_text(encoding="utf-8")
        found += [(file, match[1], match[2]) for match in re.finditer(
            r'(?m)^\s*- id: (\S+)\n(?:\s+\w+: .*\n)*?\s+title:\n\s+en: "([^"]+)"', text)]
    step = max(1, len(found) // count)
    return found[::step][:count]


def measure(site: Path, edits: int, split: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    copy = work / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("dist", ".dist.*"))
    if split:
        agenda, days = split_days((copy / "agenda.yaml").read_text(encoding="utf-8"))
        (copy / "days").mkdir()
        for name, text in days.items():
            (copy / name).write_text(text, encoding="utf-8")
        (copy / "agenda.yaml").write_text(agenda, encoding="utf-8")
    port = free_port()
    root = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, str(REPOSITORY / "build.py"), "serve", "--site",
                               str(copy), "--port", str(port)],
                              stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        wait_for(f"{root}en/", b"<html")
        print(f"start-up to the first page: {time.perf_counter() - started:.2f} s")
        times = []
        for number, (file, session, title) in enumerate(edited_sessions(copy, edits)):
            page = f"{root}en/agenda/{session}/"
            wait_for(page, title.encode())
            new = f"Edited {number} {title}"
            text = file.read_text(encoding="utf-8")
            at = text.index(f"- id: {session}\n")  # titles repeat: edit this session's
            edited = text[:at] + text[at:].replace(f'en: "{title}"', f'en: "{new}"', 1)
            before = time.perf_counter()
            file.write_text(edited, encoding="utf-8")
            wait_for(page, new.encode())
            times.append(time.perf_counter() - before)
        print(f"edit → page served, {len(times)} edits: median {statistics.median(times):.3f} s, "
              f"min {min(times):.3f} s, max {max(times):.3f} s")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=11)
    parser.add_argument("--split", action="store_true", help="one file per day")
    args = parser.parse_args()
    measure(args.site.resolve(), args.edits, args.split)


if __name__ == "__main__":
    main()
