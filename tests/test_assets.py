"""Fingerprinted assets and the weight of a page: fast on a slow connection, cacheable for ever."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import LOCALES, REPOSITORY, run_cli, soup
from eventsite.assets import fingerprint_assets

FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<suffix>\.[a-z0-9]+)$")


def short_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:8]


def test_every_asset_is_published_under_a_name_carrying_its_content_hash(real_dist):
    published = sorted(p for p in (real_dist / "assets").rglob("*") if p.is_file())
    assert {FINGERPRINTED.match(p.name)["stem"] + FINGERPRINTED.match(p.name)["suffix"]
            for p in published} == {p.name for p in (REPOSITORY / "assets").iterdir()}
    for path in published:
        assert FINGERPRINTED.match(path.name)["hash"] == short_hash(path.read_bytes())


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_loads_the_fingerprinted_stylesheet_and_deferred_script(real_dist, locale):
    for page in sorted((real_dist / locale).rglob("*.html")):
        doc = soup(page)
        stylesheets = doc.select("link[rel=stylesheet]")
        [script] = doc.select("script[src]")
        assert stylesheets and all(FINGERPRINTED.match(s["href"].rsplit("/", 1)[1])
                                   for s in stylesheets)
        assert FINGERPRINTED.match(script["src"].rsplit("/", 1)[1])
        assert script.has_attr("defer")


def test_a_stylesheet_points_at_the_fingerprinted_names_of_the_files_it_uses():
    dot = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    assets = fingerprint_assets({
        "css/site.css": b"a { background: url('../img/dot.svg') } b { background: url(data:,) }",
        "img/dot.svg": dot,
    })
    assert assets.url("img/dot.svg") == f"assets/img/dot.{short_hash(dot)}.svg"
    css = assets.files[assets.url("css/site.css")]
    assert css == (f"a {{ background: url('../img/dot.{short_hash(dot)}.svg') }} "
                   "b { background: url(data:,) }").encode()
    assert assets.url("css/site.css") == f"assets/css/site.{short_hash(css)}.css"


def test_a_template_asking_for_a_missing_asset_is_reported_without_a_traceback(
        sample_site, tmp_path):
    template = '{% extends "base.html" %}{% block main %}{{ asset("logo.svg") }}{% endblock %}\n'
    site = sample_site({"templates/page.html": template})
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr == ('error: templates: asset("logo.svg") names no file in assets/. '
                             "Fix the name or add the file.\n")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_agenda_with_its_stylesheet_and_script_weighs_under_60_kb(real_dist, locale):
    agenda = real_dist / locale / "agenda" / "index.html"
    doc = soup(agenda)
    parts = [agenda, *(agenda.parent / element.get("href", element.get("src"))
                       for element in doc.select("link[rel=stylesheet], script[src]"))]
    assert sum(part.stat().st_size for part in parts) < 60 * 1024


def test_the_stylesheet_downloads_no_font_and_imports_nothing(real_dist):
    [css] = (real_dist / "assets").glob("site.*.css")
    text = css.read_text(encoding="utf-8")
    assert "@font-face" not in text and "@import" not in text and "url(" not in text
