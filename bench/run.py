"""Benchmark: cold builds and dev-server rebuilds of synthetic congresses of N sessions.

For the repository's own site (the seed) and each N it prints the median wall time of a cold
build (a new `build.py build --no-pdf` process: HTML, calendars and schedule, no PDFs), the
peak memory of that build's largest process and of its processes together, the files
written, and the median time the dev server takes to rewrite what an edit to one session's
title changed.

    python bench/run.py                      # the seed, then N = 20, 200, 2000, 10000
    python bench/run.py --sizes 20 200 --runs 5
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
sys.path.insert(0, str(REPOSITORY))

from bench.generate import write_site  # noqa: E402
from eventsite.serve import Rebuilder  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    children: dict[int, list[int]] = {}
    resident: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            pages = int(Path(entry.path, "statm").read_text().split()[1])
        except OSError:
            continue  # ended meanwhile
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
        resident[int(entry.name)] = pages * PAGE_SIZE
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += resident.get(pid, 0)
        pending += children.get(pid, [])
    return total


TIME = Path("/usr/bin/time")


def cold_build(site: Path, out: Path) -> tuple[float, int, int]:
    """Wall time of one build process; the peak memory of its largest process (the kernel's
    own figure, as `/usr/bin/time` reports it); and the peak of all its processes together,
    sampled (forked workers share pages, which this counts twice).

    The kernel's figure comes through /usr/bin/time where it is installed: a process started
    straight from this one would report at least this process's own memory, which Linux
    carries over into a child's peak when it runs a new program."""
    command = [sys.executable, str(REPOSITORY / "build.py"), "build", "--no-pdf",
               "--site", str(site), "--out", str(out)]
    report = out.parent / f".{out.name}.maxrss"
    if TIME.is_file():
        command = [str(TIME), "--format", "%M", "--output", str(report), *command]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak, ended = 0, threading.Event()

    def sample() -> None:
        nonlocal peak
        while not ended.is_set():  # polling the process would reap it before wait4 can
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    ended.set()
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sampler.join()
    if process.returncode:
        raise SystemExit(f"the build of {site} failed ({process.returncode})")
    largest = int(report.read_text().split()[-1]) if TIME.is_file() else usage.ru_maxrss
    return elapsed, largest * 1024, peak


def serve_rebuild(site: Path, out: Path, runs: int, title: str) -> float:
    """Median time for the dev server to rewrite what an edit to one session's title changed."""
    rebuild = Rebuilder(site, out, strict=False, pdf=False)
    rebuild()
    agenda = site / "agenda.yaml"
    original = agenda.read_text(encoding="utf-8")
    times = []
    try:
        for run in range(runs):
            agenda.write_text(original.replace(title, f"{title} (edit {run})", 1),
                              encoding="utf-8")
            started = time.perf_counter()
            rebuild()
            times.append(time.perf_counter() - started)
            if rebuild.error or len(rebuild.written) > 30:
                raise SystemExit(f"the edit was not rebuilt incrementally: {rebuild.error}")
    finally:
        agenda.write_text(original, encoding="utf-8")
    return statistics.median(times)


def settled(out: Path) -> Path:
    """`out`, once any previous build's site deleted in the background (where the site
    before last could not be kept as the spare) is gone: that disk work happens after a
    build returns, and would otherwise slow the next measurement."""
    for _ in range(600):
        if not any(out.parent.glob(f".{out.name}.old-*")):
            break
        time.sleep(0.1)
    return out


def measure(site: Path, runs: int, work: Path, title: str) -> dict:
    out = work / f"dist-{site.name}"
    cold_build(site, out)  # once first, to fill the caches (.cache/, Jinja's compiled templates)
    builds = [cold_build(site, settled(out)) for _ in range(runs)]
    settled(out)
    files = sum(1 for path in out.rglob("*") if path.is_file())
    return {"build": statistics.median(t for t, _, _ in builds),
            "largest": max(m for _, m, _ in builds), "together": max(m for _, _, m in builds),
            "files": files,
            "serve": serve_rebuild(site, work / f"serve-{site.name}", runs, title)}


def seed_copy(work: Path) -> Path:
    """The repository's own site (the PRTR meeting), copied so the serve edit leaves it be."""
    site = work / "seed"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(REPOSITORY / "content", site / "content")
    shutil.copy(REPOSITORY / "agenda.yaml", site / "agenda.yaml")
    return site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median)")
    parser.add_argument("--seed", action=argparse.BooleanOptionalAction, default=True,
                        help="also measure the repository's own site (the first row)")
    parser.add_argument("--work", type=Path, default=HERE / "out",
                        help="where the synthetic sites and their builds go")
    args = parser.parse_args()
    # Python caches the package's bytecode on its first run; where PYTHONDONTWRITEBYTECODE is
    # set (as on this project's machine) every build would compile it again (30 ms).
    compileall.compile_dir(REPOSITORY / "eventsite", quiet=1)
    print(f"# {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()}")
    print("| N sessions | cold build (median) | peak memory, largest process "
          "| all processes together | files | serve, one session |")
    print("|---:|---:|---:|---:|---:|---:|")
    sites = [("seed", seed_copy(args.work), "Welcome and Opening Remarks")] if args.seed else []
    sites += [(f"{n:,}", write_site(n, args.work / f"site-{n}"), "Session 7:")
              for n in args.sizes]
    for label, site, title in sites:
        row = measure(site, args.runs, args.work, title)
        print(f"| {label} | {row['build']:.2f} s | {row['largest'] / 2**20:.0f} MB "
              f"| {row['together'] / 2**20:.0f} MB "
              f"| {row['files']:,} | {row['serve']:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
