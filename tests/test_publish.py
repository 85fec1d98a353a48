"""Never lose the last good site; never keep a stale file; the same bytes on any day and machine."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import eventsite.build
import eventsite.routes
import eventsite.write
from conftest import REPOSITORY, run_cli, sample_files, tree_digest, write_files
from eventsite.build import build_site
from eventsite.cli import main


@pytest.fixture
def built_site(sample_site, tmp_path):
    """A sample site and a first good build of it, with the digest of that build."""
    site = sample_site()
    out = tmp_path / "dist"
    build_site(site, out)
    return site, out, tree_digest(out)


def leftovers(out):
    """Whatever a build left beside the site: nothing should stay there."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_ctrl_c_while_writing_leaves_the_previous_site_and_no_temporary_folder(
        built_site, monkeypatch, capsys):
    site, out, before = built_site
    written = []
    write_file = eventsite.write.write_file

    def interrupted(folder, path, content):
        write_file(folder, path, content)
        written.append(path)
        if len(written) == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(eventsite.write, "write_file", interrupted)
    assert main(["build", "--site", str(site), "--out", str(out), "--no-pdf"]) == 130
    assert capsys.readouterr().err == "Interrupted; the previous site is untouched.\n"
    assert tree_digest(out) == before
    assert leftovers(out) == []


KILLED_AT = """
import os, signal, sys
from pathlib import Path
import eventsite.write as write
from eventsite.build import build_site
count, where = int(sys.argv[3]), sys.argv[4]
if where == "writing":
    original = write.write_file
    def write_file(folder, path, content):
        global count
        count -= 1
        if count == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        original(folder, path, content)
    write.write_file = write_file
else:  # between the two renames of a swap without an atomic exchange
    write.exchange = lambda first, second: False
    rename = os.rename
    def killing_rename(source, target):
        rename(source, target)
        if str(target).endswith(".previous"):
            os.kill(os.getpid(), signal.SIGKILL)
    write.os.rename = killing_rename
build_site(Path(sys.argv[1]), Path(sys.argv[2]))
"""


@pytest.mark.parametrize("where", ["writing", "swapping"])
def test_after_a_kill_the_next_build_restores_and_cleans_up(built_site, tmp_path, where):
    site, out, before = built_site
    killed = subprocess.run([sys.executable, "-c", KILLED_AT, str(site), str(out), "20", where],
                            cwd=REPOSITORY, env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    assert killed.returncode == -9
    assert leftovers(out)  # what the killed build left
    if where == "writing":
        assert tree_digest(out) == before
    build_site(site, out)
    assert leftovers(out) == []
    assert tree_digest(out) == before


def test_leftovers_of_earlier_versions_are_removed(built_site):
    site, out, before = built_site
    for name in (".dist.spare", ".dist.new-123-0", ".dist.old-123-1"):
        write_files(out.parent / name, {"en/index.html": "old"})
    build_site(site, out)
    assert leftovers(out) == []
    assert tree_digest(out) == before


def test_an_interruption_between_the_two_renames_puts_the_previous_site_back(
        built_site, monkeypatch):
    site, out, before = built_site
    monkeypatch.setattr(eventsite.write, "exchange", lambda first, second: False)
    renames = []

    def rename(source, target):
        renames.append(target)
        if len(renames) == 2:  # the old site is set aside, the new one not yet in place
            raise KeyboardInterrupt
        os.replace(source, target)

    monkeypatch.setattr(eventsite.write.os, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, out)
    monkeypatch.undo()
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_the_new_site_takes_the_place_of_the_old_in_one_exchange(built_site, monkeypatch):
    """Where the system can exchange two folders' names (Linux), no instant is without one."""
    site, out, _ = built_site
    renames = []
    monkeypatch.setattr(eventsite.write.os, "rename",
                        lambda source, target: renames.append(target))
    (site / "agenda.yaml").write_text(
        (site / "agenda.yaml").read_text().replace("Opening,", "Welcome,"))
    build_site(site, out)
    assert renames == []
    assert "Welcome" in (out / "en/agenda/index.html").read_text()
    assert leftovers(out) == []


def test_a_crash_while_rendering_leaves_the_previous_site(built_site, monkeypatch):
    site, out, before = built_site

    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(eventsite.routes, "render_page", crash)
    with pytest.raises(MemoryError):
        build_site(site, out)
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_a_full_disk_says_how_much_room_the_site_needs(built_site, monkeypatch, capsys):
    site, out, before = built_site
    written = []
    write_file = eventsite.write.write_file

    def filling(folder, path, content):
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(folder / path))
        written.append(path)
        write_file(folder, path, content)

    monkeypatch.setattr(eventsite.write, "write_file", filling)
    assert main(["build", "--site", str(site), "--out", str(out), "--no-pdf"]) == 1
    needed = sum((out / path).stat().st_size for path in before) / 1_000_000
    assert capsys.readouterr().err == (
        f"error: {out}: the disk is full: the site needs {needed:.1f} MB beside the current "
        "one. Free that much space, or choose another --out; the previous site is "
        "untouched.\n")
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_files_of_a_previous_build_never_survive(sample_site, tmp_path):
    files = {"content/en/venue.md": "---\ntitle: Venue\ndescription: Where.\n---\n",
             "content/es/venue.md": "---\ntitle: Sede\ndescription: Dónde.\n---\n",
             "content/fr/venue.md": "---\ntitle: Lieu\ndescription: Où.\n---\n"}
    site = sample_site(files)
    out = tmp_path / "dist"
    build_site(site, out)
    assert (out / "fr/venue/index.html").is_file()
    (out / "notes.txt").write_text("left here by hand")
    for name in files:
        (site / name).unlink()
    build_site(site, tmp_path / "fresh")
    build_site(site, out)
    assert not (out / "fr/venue").exists() and not (out / "notes.txt").exists()
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_an_output_folder_holding_the_sources_is_refused(sample_site):
    site = sample_site()
    result = run_cli("build", "--site", str(site), "--out", str(site), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        f"error: {site}: the output folder contains {site}, which building would delete. "
        "Choose another --out, such as dist.\n"))
    assert (site / "agenda.yaml").is_file()


def test_an_output_folder_that_is_not_a_previous_build_is_refused(sample_site, tmp_path):
    documents = tmp_path / "documents"
    write_files(documents, {"thesis.txt": "years of work"})
    result = run_cli("build", "--site", str(sample_site()), "--out", str(documents), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        f"error: {documents}: this folder is not empty and holds no index.html, so it is not a "
        "previous build, and building would replace it. Choose another --out, or empty it "
        "first.\n"))
    assert (documents / "thesis.txt").read_text() == "years of work"


def test_a_folder_that_cannot_be_written_is_one_message(sample_site, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run_cli("build", "--site", str(sample_site()), "--out", str(blocker / "dist"),
                     "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        f"error: {blocker / 'dist'}: the site could not be written (File exists: {blocker}). "
        "Fix the folder's permissions, or choose another --out; the previous site is "
        "untouched.\n"))


def build_elsewhere(folder, *command_prefix: str, **environment: str) -> dict[str, str]:
    """Build a copy of the sample site in `folder`, from another working directory, with the
    program PDFs, in a process with its own environment; the digest of what it wrote."""
    site = write_files(folder / "site", sample_files())
    env = {**os.environ, **environment}
    subprocess.run([*command_prefix, sys.executable, str(REPOSITORY / "build.py"), "build",
                    "--site", str(site), "--out", str(folder / "public")],
                   cwd=folder, env=env, check=True, capture_output=True, timeout=120)
    return tree_digest(folder / "public")


def test_two_builds_on_differently_set_up_machines_are_byte_identical(tmp_path):
    here = build_elsewhere(tmp_path / "a", TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="1")
    there = build_elsewhere(tmp_path / "b", TZ="Asia/Kolkata", LC_ALL="fr_FR.UTF-8",
                            LANG="es_MX.UTF-8", PYTHONHASHSEED="2")
    assert any(name.endswith(".pdf") for name in here)
    assert here == there


@pytest.mark.skipif(shutil.which("faketime") is None, reason="needs faketime (.ci/run installs)")
def test_a_build_years_later_is_byte_identical(tmp_path):
    today = build_elsewhere(tmp_path / "today")
    later = build_elsewhere(tmp_path / "later", "faketime", "-f", "@2031-06-01 12:00:00")
    assert today == later


def test_a_large_site_rendered_by_two_processes_is_the_site_one_process_writes(
        sample_site, tmp_path, monkeypatch):
    site = sample_site()
    build_site(site, tmp_path / "one")
    monkeypatch.setattr(eventsite.build, "PARALLEL_FROM", 1)
    build_site(site, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


SLOW_PARALLEL_BUILD = """
import sys, time
from pathlib import Path
import eventsite.build, eventsite.routes
eventsite.build.PARALLEL_FROM = 1
render_page = eventsite.routes.render_page
def slow(*args, **kwargs):
    time.sleep(0.5)
    return render_page(*args, **kwargs)
eventsite.routes.render_page = slow
eventsite.build.build_site(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads Linux's /proc")
def test_the_worker_processes_die_with_a_killed_build(built_site):
    site, out, before = built_site
    build = subprocess.Popen([sys.executable, "-c", SLOW_PARALLEL_BUILD, str(site), str(out)],
                             cwd=REPOSITORY, env={**os.environ, "PYTHONPATH": str(REPOSITORY)})
    deadline = time.monotonic() + 30
    while len(workers := children(build.pid)) < 2:
        assert time.monotonic() < deadline and build.poll() is None, "no workers started"
        time.sleep(0.05)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 5
    try:
        while any(alive(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived its build"
            time.sleep(0.05)
    finally:
        for pid in filter(alive, workers):  # a failed test leaves no process behind
            os.kill(pid, 9)
    assert tree_digest(out) == before
