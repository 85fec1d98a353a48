"""Fixtures: the real site built once per session, and tiny sample sites built in tmp_path."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from eventsite.build import build_site  # noqa: E402  (needs the path set above)

SAMPLE_AGENDA = """\
site:
  locales: [en, es, fr]
event:
  id: sample
  title: {en: Sample Meeting, es: Reunión de ejemplo, fr: Réunion exemple}
  organizer:
    name: {en: Sample Body, es: Organismo de ejemplo, fr: Organisme exemple}
  timezone: America/Mexico_City
  description: {en: A meeting., es: Una reunión., fr: Une réunion.}
  venue:
    name: Hotel Sample
    street: Calle 1
    locality: {en: Mexico City, es: Ciudad de México, fr: Mexico}
    country: MX
people:
  - id: ana
    name: Ana Example
    role: {en: Chair, es: Presidenta, fr: Présidente}
days:
  - date: 2025-02-26
    sessions:
      - id: opening
        number: 1
        start: "09:00"
        end: "09:20"
        title: {en: Opening, es: Apertura, fr: Ouverture}
        speakers: [ana]
      - id: pause
        kind: break
        start: "09:20"
        end: "09:30"
"""

SAMPLE_PAGE = """\
---
title: {title}
description: {title} page.
menu: 2
---
Some text about {title}.
"""


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return root


def sample_files(files: dict[str, str | None] | None = None) -> dict[str, str]:
    """The sample site's files, with `files` added or replaced (None removes one)."""
    defaults = {"agenda.yaml": SAMPLE_AGENDA}
    for locale, title in (("en", "About"), ("es", "Acerca"), ("fr", "À propos")):
        defaults[f"content/{locale}/about.md"] = SAMPLE_PAGE.format(title=title)
    defaults.update(files or {})
    return {name: text for name, text in defaults.items() if text is not None}


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` and the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def sample_site(tmp_path):
    """A factory: write a tiny complete site (overridable file by file) and return its folder."""

    def make(files: dict[str, str] | None = None) -> Path:
        return write_files(tmp_path / "site", sample_files(files))

    return make


def run_cli(*args: str, cwd: Path = REPOSITORY) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPOSITORY / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def real_dist(tmp_path_factory) -> Path:
    """The repository's own site, built once for every test that only reads it."""
    out = tmp_path_factory.mktemp("real") / "dist"
    build_site(REPOSITORY, out, pdf=True)
    return out


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


LOCALES = ("en", "es", "fr")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails: CI installs chromium and Java, so a skip there means
    the browser or validity checks silently did not run."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every test must run: {reason}"


@pytest.fixture(autouse=True, scope="session")
def cache_outside_the_checkout(tmp_path_factory):
    """The build's one cache folder (compiled templates) in a temporary folder, for the tests'
    processes and the builds they start: a test run leaves nothing behind."""
    os.environ["EVENTSITE_CACHE"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def changed_dist(tmp_path_factory):
    """A site whose published schedule changed, with a base URL: badges, a cancelled session,
    the What changed page, subscriptions and the schedule apps' QR code."""
    from test_schedule_changes import STORY_AGENDA

    folder = tmp_path_factory.mktemp("changed")
    agenda = STORY_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                  "  base_url: https://example.org/meeting/\n")
    site = write_files(folder / "site", sample_files({"agenda.yaml": agenda}))
    assert run_cli("publish", "--site", str(site)).returncode == 0
    text = (site / "agenda.yaml").read_text()
    text = text.replace('start: "09:30"\n        end: "10:00"', 'start: "10:30"\n        end: "11:00"')
    text = text.replace("      - id: closing\n", "      - id: closing\n        status: cancelled\n")
    (site / "agenda.yaml").write_text(text)
    assert run_cli("publish", "--site", str(site), "--note", "Talk moved.").returncode == 0
    build_site(site, folder / "out")
    return folder / "out"
