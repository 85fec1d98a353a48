"""Never lose the last good site; never keep a stale file; the same bytes on any day and machine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

import eventsite.render
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
    """Temporary folders of a build that should have been cleaned away (the spare, the site
    before last that the next build writes over, stays)."""
    return sorted(p.name for p in out.parent.iterdir()
                  if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.spare")


def test_ctrl_c_while_writing_leaves_the_previous_site_and_no_temporary_folder(
        built_site, monkeypatch, capsys):
    site, out, before = built_site
    write_file = eventsite.build.write_tree

    def interrupted(files, folder):
        write_file(dict(list(files.items())[:3]), folder)
        raise KeyboardInterrupt

    monkeypatch.setattr(eventsite.build, "write_tree", interrupted)
    assert main(["build", "--site", str(site), "--out", str(out), "--no-pdf"]) == 130
    assert capsys.readouterr().err == "Interrupted; the previous site is untouched.\n"
    assert tree_digest(out) == before
    assert leftovers(out) == []
    monkeypatch.undo()  # the half-written folder is the next build's spare: it writes over it
    for _ in range(2):
        build_site(site, out)
        assert tree_digest(out) == before


def test_ctrl_c_between_the_two_renames_puts_the_previous_site_back(built_site, monkeypatch):
    site, out, before = built_site
    renames = []

    def replace(source, target):
        renames.append(target)
        if len(renames) == 2:  # the old site is set aside, the new one not yet in place
            raise KeyboardInterrupt
        os.rename(source, target)

    monkeypatch.setattr(eventsite.write.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, out)
    monkeypatch.undo()
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_a_crash_while_rendering_leaves_the_previous_site(built_site, monkeypatch):
    site, out, before = built_site

    def crash(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(eventsite.render, "render_route", crash)
    with pytest.raises(MemoryError):
        build_site(site, out)
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
    for _ in range(2):  # the second writes over the first one's spare, which has them
        build_site(site, out)
        assert not (out / "fr/venue").exists() and not (out / "notes.txt").exists()
        assert tree_digest(out) == tree_digest(tmp_path / "fresh")


def test_the_site_before_last_is_written_over_in_place_not_deleted(built_site, monkeypatch):
    """Creating a congress's 12,000 files anew and deleting the old ones took most of its
    build: the next build writes over the site before last instead, file by file."""
    site, out, before = built_site
    monkeypatch.setattr(eventsite.write.shutil, "rmtree", None)  # nothing deleted whole
    monkeypatch.setattr(eventsite.write.os, "posix_spawn", None)
    inode = (out / "fr/agenda/index.html").stat().st_ino
    build_site(site, out)
    assert (out.parent / ".dist.spare/fr/agenda/index.html").stat().st_ino == inode
    build_site(site, out)
    assert (out / "fr/agenda/index.html").stat().st_ino == inode
    assert tree_digest(out) == before and leftovers(out) == []


def test_a_copy_sharing_the_files_keeps_its_bytes(built_site, tmp_path):
    site, out, _ = built_site
    copy = tmp_path / "deployed.html"
    os.link(out / "en/index.html", copy)  # as `cp -l` or rsync --link-dest would
    kept = copy.read_bytes()
    edit(site, "Opening", "Welcome")
    for _ in range(2):
        build_site(site, out)
    assert b"Welcome" in (out / "en/index.html").read_bytes()
    assert copy.read_bytes() == kept


def test_a_link_left_in_the_site_is_never_written_through(built_site, tmp_path):
    site, out, before = built_site
    outside = tmp_path / "outside.html"
    outside.write_text("someone else's")
    (out / "en/index.html").unlink()
    (out / "en/index.html").symlink_to(outside)
    (out / "fr/agenda").rename(tmp_path / "agenda")
    (out / "fr/agenda").symlink_to(tmp_path / "agenda", target_is_directory=True)
    for _ in range(2):
        build_site(site, out)
    assert outside.read_text() == "someone else's"
    assert tree_digest(tmp_path / "agenda") == {
        path.removeprefix("fr/agenda/"): digest for path, digest in before.items()
        if path.startswith("fr/agenda/")}
    assert tree_digest(out) == before and not (out / "fr/agenda").is_symlink()


def test_a_spare_that_cannot_be_written_over_is_set_aside(built_site, monkeypatch):
    """A file of the site before last that this user may not write (another user built it,
    say): the build starts again in an empty folder rather than fail."""
    site, out, before = built_site
    build_site(site, out)  # the first site becomes the spare
    overwrite = eventsite.write.overwrite

    def refusing(target, content):
        if ".new-" in str(target) and target.exists():
            raise PermissionError(13, "Permission denied", str(target))
        overwrite(target, content)
    monkeypatch.setattr(eventsite.write, "overwrite", refusing)
    build_site(site, out)
    assert tree_digest(out) == before
    waited = 0.0
    while leftovers(out) and waited < 20:  # the spare set aside, deleted in the background
        time.sleep(0.1)
        waited += 0.1
    assert leftovers(out) == []


def test_a_file_where_a_folder_goes_and_the_reverse_are_replaced(tmp_path):
    write_files(tmp_path, {"a": "file", "b/c.html": "in a folder", "d/e": "deep"})
    eventsite.write.write_tree({"a/x.html": "1", "b": "2", "d/e/f/g.html": "3"}, tmp_path)
    assert tree_digest(tmp_path) == tree_digest(write_files(
        tmp_path / "expected", {"a/x.html": "1", "b": "2", "d/e/f/g.html": "3"}))


def test_where_a_spare_appeared_meanwhile_the_previous_site_is_deleted_in_the_background(
        built_site, monkeypatch):
    """Another build made a spare during this one: the previous site is deleted by a process
    of its own, and the build need not wait."""
    site, out, _ = built_site
    deleting = []
    monkeypatch.setattr(eventsite.write.shutil, "rmtree",
                        lambda *args, **kwargs: deleting.append(args))  # not in this process
    concurrent_spare(monkeypatch, out)
    for _ in range(2):  # each retired site has a name of its own
        build_site(site, out)
    assert deleting == []
    waited = 0.0
    while leftovers(out) and waited < 20:
        time.sleep(0.1)
        waited += 0.1
    assert leftovers(out) == []


def concurrent_spare(monkeypatch, out) -> None:
    """Make a spare appear beside `out` while each build writes (as another build would)."""
    write_tree = eventsite.build.write_tree

    def writing(files, folder):
        write_tree(files, folder)
        write_files(out.parent / ".dist.spare", {"index.html": "another build's"})
    monkeypatch.setattr(eventsite.build, "write_tree", writing)


def edit(site, old: str, new: str) -> None:
    agenda = site / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    assert old in text
    agenda.write_text(text.replace(old, new, 1), encoding="utf-8")


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
        "Free some space or fix the folder's permissions, or choose another --out; the "
        "previous site is untouched.\n"))


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


def test_where_no_detached_process_can_be_started_the_build_deletes_the_old_site(
        built_site, monkeypatch):
    """macOS has posix_spawn without setsid, Windows none: the build then deletes it itself."""
    site, out, _ = built_site

    def unavailable(*args, **kwargs):
        raise NotImplementedError("setsid")

    monkeypatch.setattr(eventsite.write.os, "posix_spawn", unavailable)
    concurrent_spare(monkeypatch, out)
    build_site(site, out)
    assert leftovers(out) == []  # at once: nothing in the background
