"""The dev server's rebuilds: incremental, identical to a clean build, errors in the browser."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from bench.generate import write_site
from conftest import REPOSITORY, tree_digest
from eventsite.build import build_site
from eventsite.i18n import _LangMarkingTemplate
from eventsite.serve import Rebuilder, site_app


@pytest.fixture
def renders(monkeypatch) -> Counter:
    """How many times each template was rendered: pages, and the fragments they are made of."""
    counted: Counter = Counter()

    def counting(self, *args, original=_LangMarkingTemplate.render, **kwargs):
        counted[self.name] += 1
        return original(self, *args, **kwargs)
    monkeypatch.setattr(_LangMarkingTemplate, "render", counting)
    return counted


@pytest.fixture
def served(tmp_path):
    """A 20-session congress, built by the dev server's rebuilder."""
    site = write_site(20, tmp_path / "site")
    rebuild = Rebuilder(site, tmp_path / "dist", strict=False, pdf=False)
    rebuild()
    assert rebuild.error is None
    return site, rebuild


def edit(site, old: str, new: str) -> None:
    agenda = site / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    assert old in text
    agenda.write_text(text.replace(old, new, 1), encoding="utf-8")


def request(app, path: str) -> tuple[str, bytes]:
    answer = {}
    body = app({"PATH_INFO": path}, lambda status, headers: answer.update(status=status))
    return answer["status"], b"".join(body)


def test_an_edit_to_one_session_renders_only_what_shows_that_session(served, renders):
    site, rebuild = served
    edit(site, "Session 7:", "Session 7 (moved to the plenary hall):")
    rebuild()
    assert rebuild.error is None
    lists = ("home.html", "agenda.html", "program.html")
    assert renders == Counter({"session.html": 3, **dict.fromkeys(lists, 3),
                               "_agenda_entry.html": 3, "_program_entry.html": 3,
                               "_glance_entry.html": 3})
    assert set(rebuild.written) == {
        "schedule.json",
        *(f"{locale}/{page}index.html" for locale in ("en", "es", "fr")
          for page in ("", "agenda/", "program/", "agenda/s-7/")),
        *(f"{locale}/{ics}.ics" for locale in ("en", "es", "fr")
          for ics in ("calendar", "agenda/day-1", "agenda/s-7"))}


def test_each_file_is_replaced_whole_never_written_over_where_it_is_served(served):
    """The new version is written over the spare's copy, then takes the file's place: a
    browser reading meanwhile gets one version or the other, and the two never share a file."""
    site, rebuild = served
    page = rebuild.out_dir / "en/agenda/index.html"
    served_before = page.stat().st_ino
    for number in (3, 12, 3):
        edit(site, f"Session {number}", f"Session {number} revised")
        rebuild()
        assert page.stat().st_ino != served_before
        served_before = page.stat().st_ino
        assert all((rebuild.out_dir / path).stat().st_nlink == 1 for path in rebuild.written)
    assert b"Session 3 revised revised" in page.read_bytes()


def test_the_incremental_rebuild_writes_what_a_clean_build_writes(served, tmp_path):
    site, rebuild = served
    for number in (3, 12):
        edit(site, f"Session {number}:", f"Session {number} revised:")
        rebuild()
    assert len(rebuild.written) < 30
    build_site(site, tmp_path / "clean")
    assert tree_digest(rebuild.out_dir) == tree_digest(tmp_path / "clean")


def test_an_edit_beyond_the_sessions_rebuilds_every_page(served, renders):
    site, rebuild = served
    edit(site, "en: Synthetic Congress", "en: Synthetic Congress 2027")
    rebuild()
    assert renders["session.html"] == 60  # 20 sessions in 3 languages
    assert "Synthetic Congress 2027" in (rebuild.out_dir / "en/agenda/s-1/index.html").read_text()


def test_calls_for_one_save_build_once(served, renders):
    site, rebuild = served
    edit(site, "Session 5:", "Session 5 renamed:")
    for _ in range(4):  # livereload calls once per watched folder the save touched
        rebuild()
    assert renders["session.html"] == 3


def test_a_mistake_is_shown_in_the_browser_until_the_fix_is_saved(served):
    site, rebuild = served
    app = site_app(rebuild)
    before = tree_digest(rebuild.out_dir)
    edit(site, "end: 08:30", "end: 8h30")
    rebuild()
    status, page = request(app, "/en/agenda/")
    assert status.startswith("500")
    assert b"agenda.yaml:" in page and b"HH:MM" in page
    assert tree_digest(rebuild.out_dir) == before
    edit(site, "end: 8h30", "end: 08:30")
    rebuild()
    status, page = request(app, "/en/agenda/")
    assert status == "200 OK" and b"Synthetic Congress" in page
    assert request(app, "/en/nowhere/")[0].startswith("404")
    assert request(app, "/../agenda.yaml")[0].startswith("404")


def test_a_template_mistake_is_shown_with_its_line_and_a_fix_recovers(served, tmp_path):
    site, rebuild = served
    template = site / "templates" / "session.html"
    original = (REPOSITORY / "templates" / "session.html").read_text(encoding="utf-8")
    template.parent.mkdir()
    template.write_text(original.replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    rebuild()
    status, page = request(site_app(rebuild), "/en/")
    assert status.startswith("500") and b"templates/session.html:" in page
    template.unlink()
    rebuild()
    assert rebuild.error is None
    assert request(site_app(rebuild), "/en/")[0] == "200 OK"


def test_an_output_folder_removed_while_serving_is_written_whole_again(served):
    site, rebuild = served
    before = tree_digest(rebuild.out_dir)
    shutil.rmtree(rebuild.out_dir)
    edit(site, "Session 5:", "Session 5 renamed:")
    rebuild()
    assert rebuild.error is None and len(rebuild.written) == len(before)
    assert "Session 5 renamed" in (rebuild.out_dir / "en/agenda/index.html").read_text()


def test_a_failed_rebuild_keeps_nothing_of_what_it_rendered(served, tmp_path):
    site, rebuild = served
    entry = (REPOSITORY / "templates" / "_agenda_entry.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "_agenda_entry.html").write_text(
        '{% if "BOOM" in session.title.get("en") %}{{ no_such_thing }}{% endif %}' + entry,
        encoding="utf-8")
    rebuild()
    edit(site, "Session 7:", "Session 7 BOOM:")
    rebuild()
    assert "no_such_thing" in str(rebuild.error)
    edit(site, "Session 7 BOOM:", "Session 7:")  # back to what the site was built from
    rebuild()
    assert rebuild.error is None
    build_site(site, tmp_path / "clean")
    assert tree_digest(rebuild.out_dir) == tree_digest(tmp_path / "clean")


def test_edits_that_move_lines_or_fall_back_write_what_a_clean_build_writes(served, tmp_path):
    site, rebuild = served
    for old, new in [("    number: 4\n", "    number: 4\n    language: en\n"),  # a line more
                     ("Session 9:", "Session 9 revised:"),  # below the moved lines
                     ("    number: 5\n", "    number: &five 5\n"),  # an anchor: a full load
                     ("end: 08:30", "end: 8h30"), ("end: 8h30", "end: 08:30"),  # mistake, fix
                     ("    language: en\n", "")]:
        edit(site, old, new)
        rebuild()
        assert (rebuild.error is None) == ("8h30" not in new) and len(rebuild.written) < 30
    build_site(site, tmp_path / "clean")
    assert tree_digest(rebuild.out_dir) == tree_digest(tmp_path / "clean")


def test_with_strict_a_missing_translation_read_incrementally_is_an_error(tmp_path):
    site = write_site(20, tmp_path / "site")
    rebuild = Rebuilder(site, tmp_path / "dist", strict=True, pdf=False)
    rebuild()
    agenda = site / "agenda.yaml"
    original = agenda.read_text(encoding="utf-8")
    agenda.write_text(re.sub(r"\n      es: 'Sesión 7:[^\n]*", "", original), encoding="utf-8")
    rebuild()
    assert rebuild.error and "has no es translation" in str(rebuild.error)
    agenda.write_text(original.replace("Session 7:", "Session 7 again:"), encoding="utf-8")
    rebuild()
    assert rebuild.error is None and len(rebuild.written) < 30
