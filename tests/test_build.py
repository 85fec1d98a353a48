"""Sample sites in tmp_path: options, fallbacks, base URL, escaping, errors at the command line."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPOSITORY, SAMPLE_AGENDA, run_cli, soup, tree_digest, write_files
from eventsite.build import SiteError, build_site


def test_a_sample_site_builds_every_page_in_every_locale(sample_site, tmp_path):
    out = tmp_path / "out"
    build_site(sample_site(), out)
    for locale in ("en", "es", "fr"):
        for path in ("index.html", "agenda/index.html", "agenda/opening/index.html",
                     "about/index.html"):
            assert (out / locale / path).is_file()
    assert not (out / "en" / "agenda" / "pause").exists()  # a bare break gets no page
    assert not (out / "sitemap.xml").exists()  # no base URL, no sitemap


def test_two_builds_of_the_same_sources_are_byte_identical(sample_site, tmp_path):
    site = sample_site()
    build_site(site, tmp_path / "one")
    build_site(site, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_a_missing_translation_warns_and_marks_the_fallback_with_its_language(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("title: {en: Opening, es: Apertura, fr: Ouverture}",
                                   "title: {en: Opening, es: Apertura}")
    built = build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    assert any('"title" has no fr translation' in str(w) and "agenda.yaml:" in str(w)
               for w in built.warnings)
    heading = soup(tmp_path / "out/fr/agenda/opening/index.html").h1
    assert heading.find("span", lang="en").get_text() == "Opening"


def test_strict_turns_a_missing_translation_into_an_error(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("fr: Ouverture}", "}").replace("es: Apertura,", "es: Apertura")
    result = run_cli("build", "--site", str(sample_site({"agenda.yaml": agenda})),
                     "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 1
    assert "agenda.yaml:" in result.stderr and "no fr translation" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_base_url_adds_canonical_open_graph_and_a_sitemap(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                   "  base_url: https://example.org/meeting/\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    doc = soup(tmp_path / "out/es/agenda/index.html")
    assert doc.find("link", rel="canonical")["href"] == "https://example.org/meeting/es/agenda/"
    assert doc.find("meta", property="og:locale")["content"] == "es"
    alternates = {link["hreflang"]: link["href"] for link in doc.find_all("link", rel="alternate")}
    assert alternates["fr"] == "https://example.org/meeting/fr/agenda/"
    assert alternates["x-default"] == "https://example.org/meeting/"
    sitemap = (tmp_path / "out/sitemap.xml").read_text()
    assert "<loc>https://example.org/meeting/fr/about/</loc>" in sitemap
    assert 'hreflang="es" href="https://example.org/meeting/es/about/"' in sitemap
    assert "Sitemap: https://example.org/meeting/sitemap.xml" in (tmp_path / "out/robots.txt").read_text()


def test_html_in_titles_and_markdown_is_shown_as_text(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("{en: Opening,", "{en: \"<script>alert(1)</script> Opening\",")
    agenda = agenda.replace("description: {en: A meeting.,",
                            "description: {en: \"<b onclick=x>bold</b> [x](javascript:alert(1))\",")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    page = tmp_path / "out/en/agenda/opening/index.html"
    assert "<script>alert" not in page.read_text()
    assert "<script>alert(1)</script> Opening" in soup(page).h1.get_text()
    home = soup(tmp_path / "out/en/index.html")
    assert not home.find("b", onclick=True)
    assert not home.find("a", href="javascript:alert(1)")


def test_markdown_links_to_other_pages_become_relative_addresses(sample_site, tmp_path):
    page = "---\ntitle: Home\ndescription: Home page.\n---\nSee [the about page](about.md).\n"
    build_site(sample_site({"content/en/index.md": page}), tmp_path / "out")
    link = soup(tmp_path / "out/en/index.html").find("a", string="the about page")
    assert link["href"] == "../en/about/"


def test_a_yaml_mistake_is_one_located_message_and_the_previous_site_survives(sample_site, tmp_path):
    site = sample_site()
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--out", str(out)).returncode == 0
    before = tree_digest(out)
    (site / "agenda.yaml").write_text(SAMPLE_AGENDA.replace('end: "09:20"', 'end: "09:20'))
    result = run_cli("build", "--site", str(site), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith("error: agenda.yaml:")
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before


def test_check_validates_without_writing(sample_site, tmp_path):
    site = sample_site()
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / "dist").exists()


def test_floor_language_and_interpretation_are_shown_in_the_page_language(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n", "        speakers: [ana]\n"
                                   "        language: es\n        interpretation: [en, fr]\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    french = soup(tmp_path / "out/fr/agenda/opening/index.html").get_text(" ")
    assert "Langue de la séance" in french and "espagnol" in french
    assert "anglais, français" in french
    english = soup(tmp_path / "out/en/agenda/index.html").get_text(" ")
    assert "Floor language:" in english and "Spanish" in english and "English, French" in english


def test_the_root_page_offers_every_language_without_javascript(sample_site, tmp_path):
    build_site(sample_site(), tmp_path / "out")
    doc = soup(tmp_path / "out/index.html")
    links = {a["hreflang"]: a["href"] for a in doc.select("main a[hreflang]")}
    assert links == {"en": "en/", "es": "es/", "fr": "fr/"}
    assert "navigator.languages" in doc.script.string


def test_the_cache_folder_changes_no_byte_and_nothing_is_written_beside_the_sources(
        sample_site, tmp_path, monkeypatch):
    site = sample_site()
    sources = tree_digest(site)
    cache = tmp_path / "cache"
    monkeypatch.setenv("EVENTSITE_CACHE", str(cache))
    build_site(site, tmp_path / "cold")
    build_site(site, tmp_path / "warm")
    assert {p.name for p in cache.iterdir()} == {"templates"} | {
        p.name for p in cache.glob("messages-*.json")}
    assert len(list(cache.glob("messages-*.json"))) == 1
    monkeypatch.setenv("EVENTSITE_CACHE", "")
    build_site(site, tmp_path / "uncached")
    assert tree_digest(tmp_path / "cold") == tree_digest(tmp_path / "warm") == tree_digest(
        tmp_path / "uncached")
    assert tree_digest(site) == sources


def test_an_edited_template_is_compiled_again_not_taken_from_the_cache(sample_site, tmp_path):
    site = sample_site()
    build_site(site, tmp_path / "one")
    page = (REPOSITORY / "templates" / "page.html").read_text(encoding="utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "page.html").write_text(page.replace("<h1>", "<h1 class=edited>"))
    build_site(site, tmp_path / "two")
    assert soup(tmp_path / "two/en/about/index.html").find("h1", class_="edited")


def test_two_routes_writing_one_path_are_an_error_naming_both(sample_site, tmp_path):
    site = sample_site({"content/en/agenda.md": "---\ntitle: Agenda\ndescription: x\n---\n"})
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        "error: content/en/agenda.md: this would be published as en/agenda/index.html, which "
        "templates/agenda.html already makes. Rename one of them.\n"))
    assert not (tmp_path / "out").exists()


def test_the_real_site_with_each_day_in_a_file_of_its_own_builds_the_same_bytes(tmp_path):
    """What bench/serve_latency.py --split does to a site, and the include it relies on."""
    from bench.serve_latency import split_days

    agenda, days = split_days((REPOSITORY / "agenda.yaml").read_text(encoding="utf-8"))
    assert list(days) == ["days/day-1.yaml", "days/day-2.yaml"]
    site = tmp_path / "split"
    shutil.copytree(REPOSITORY / "content", site / "content")
    write_files(site, {"agenda.yaml": agenda, **days})
    build_site(REPOSITORY, tmp_path / "whole")
    build_site(site, tmp_path / "parts")
    assert tree_digest(tmp_path / "whole") == tree_digest(tmp_path / "parts")


def test_a_mistake_in_an_included_day_names_that_file_and_line(sample_site, tmp_path):
    head, _, day = SAMPLE_AGENDA.partition("days:\n")
    included = "\n".join(line[4:] for line in day.splitlines()).replace("- date:", "date:", 1)
    site = sample_site({"agenda.yaml": head + "days:\n  - include: days/one.yaml\n"
                        "  - include: ../outside.yaml\n",
                        "days/one.yaml": included.replace('end: "09:20"', 'end: "9h20"')})
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert (result.returncode, result.stderr) == (1, (
        'error: agenda.yaml:21:14: "../outside.yaml" is not a YAML file inside the site '
        "folder. Give its path from the folder of agenda.yaml, e.g. days/day-1.yaml.\n"
        'error: days/one.yaml:6:10: "end" is "9h20", which is not a time of day. Write it '
        'as "HH:MM" in 24-hour form, in quotes, e.g. "14:30".\n'))
