"""Sample sites in tmp_path: options, fallbacks, base URL, escaping, errors at the command line."""

from __future__ import annotations

import io
from collections import Counter

import jinja2.bccache
import pytest

import eventsite.build
import eventsite.i18n
import eventsite.render
from conftest import REPOSITORY, SAMPLE_AGENDA, run_cli, soup, tree_digest
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


def test_markdown_kept_in_the_cache_gives_the_same_site_and_a_broken_cache_is_rebuilt(
        sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n",
                                   "        speakers: [ana]\n        description: Opening *words*.\n")
    site = sample_site({"agenda.yaml": agenda})
    run_cli("check", "--site", str(site))
    cache = site / ".cache" / "markdown.json"
    assert not cache.exists()  # check writes nothing
    for name in ("one", "two"):  # each a new process: the second reads the cache
        assert run_cli("build", "--site", str(site), "--out", str(tmp_path / name),
                       "--no-pdf").returncode == 0
    assert "<p>Opening <em>words</em>.</p>" in cache.read_text(encoding="utf-8")
    cache.write_text("{not json", encoding="utf-8")
    assert run_cli("build", "--site", str(site), "--out", str(tmp_path / "three"),
                   "--no-pdf").returncode == 0
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two") \
        == tree_digest(tmp_path / "three")
    assert "<em>words</em>" in cache.read_text(encoding="utf-8")


def test_worker_processes_write_the_same_site_and_report_template_mistakes(
        sample_site, tmp_path, monkeypatch):
    site = sample_site()
    build_site(site, tmp_path / "serial")
    monkeypatch.setattr(eventsite.build, "PARALLEL_FROM", 0)  # the sample is small
    build_site(site, tmp_path / "parallel")
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")
    broken = sample_site({"templates/session.html": '{% extends "base.html" %}'
                          '{% block main %}{{ session.nothing.here }}{% endblock %}'})
    with pytest.raises(SiteError) as raised:
        build_site(broken, tmp_path / "broken")
    assert [str(p) for p in raised.value.problems] == [
        "templates/session.html:1: 'eventsite.model.Session object' has no attribute "
        "'nothing'. Fix the template."]


def test_templates_are_compiled_in_memory_without_a_private_temporary_folder(
        sample_site, tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(jinja2.bccache.FileSystemBytecodeCache, "__init__", refuse)
    compiled = eventsite.render.CompiledTemplates()
    assert compiled.directory is None
    monkeypatch.setattr(eventsite.render, "COMPILED_TEMPLATES", compiled)
    monkeypatch.setattr(eventsite.build, "COMPILED_TEMPLATES", compiled)
    build_site(sample_site(), tmp_path / "out")
    assert (tmp_path / "out" / "fr" / "agenda" / "index.html").is_file()
    assert compiled.memory  # every template compiled once, for all three languages


# What a build of a small site imports only when its caches cannot answer: Markdown (a text
# not converted before), Babel's catalog tools (a catalog changed); difflib only to explain a
# mistake; never icalendar (the tests' reader only), uuid, subprocess, nor the dev server's
# or the worker processes' machinery.
NEEDED_ONLY_SOMETIMES = ("markdown", "babel.messages", "difflib", "icalendar", "uuid",
                         "subprocess", "livereload", "concurrent.futures")


def test_a_build_with_warm_caches_imports_only_what_it_needs(sample_site, tmp_path):
    import subprocess
    import sys

    from conftest import REPOSITORY

    site = sample_site()
    script = ("import sys; from eventsite.cli import main; "
              f"code = main(['build', '--no-pdf', '--site', {str(site)!r}, "
              f"'--out', {str(tmp_path / 'out')!r}]); "
              f"print(sorted(m for m in sys.modules if m.startswith({NEEDED_ONLY_SOMETIMES!r})))")
    runs = [subprocess.run([sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True,
                           text=True, check=True).stdout.splitlines()[-1] for _ in range(2)]
    assert "'markdown'" in runs[0] and "icalendar" not in runs[0]  # the first converts …
    assert runs[1] == "[]"  # … the second finds them all cached


def test_pages_listing_every_session_are_written_as_they_are_rendered(tmp_path):
    """A congress's agenda is tens of megabytes: it is never held whole, its sessions are
    rendered as it is written, and its bytes are those of the page rendered whole."""
    from bench.generate import write_site
    from eventsite.render import StreamedPage, render_route, site_routes

    plan = eventsite.build.prepare(write_site(60, tmp_path / "site"))
    agenda = next(r for r in site_routes(plan.site) if r.template == "agenda.html")
    page = render_route(plan.envs["fr"], plan.site, agenda, "fr")
    assert isinstance(page, StreamedPage)

    class Handle(io.BytesIO):
        def write(self, data):
            writes.append((len(data), rendered["_agenda_entry.html"]))
            return super().write(data)

    rendered: Counter = Counter()
    render = eventsite.i18n._LangMarkingTemplate.render

    def counting(template, *args, **kwargs):
        rendered[template.name] += 1
        return render(template, *args, **kwargs)

    writes: list[tuple[int, int]] = []
    handle = Handle()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(eventsite.i18n._LangMarkingTemplate, "render", counting)
        page.write_to(handle)
    whole = page.template.render(page.context).encode()
    assert handle.getvalue() == whole
    assert max(size for size, _ in writes) < len(whole) / 2
    counts = [count for _, count in writes]  # entries rendered at each write
    assert counts[0] == 0 and counts[-1] == 60 and any(0 < count < 60 for count in counts)




def test_a_template_that_does_more_with_fragments_than_show_them_is_rendered_whole(
        sample_site, tmp_path):
    """A page's template renders with each fragments() call standing as a token; one that
    counts the entries rather than showing them leaves no token, and the page is rendered
    whole, as written."""
    agenda = (REPOSITORY / "templates/agenda.html").read_text(encoding="utf-8")
    shown = '{{ fragments("_agenda_entry.html", day.sessions) }}'
    assert shown in agenda
    counted = agenda.replace(shown, '<li>{{ fragments("_agenda_entry.html", day.sessions)'
                                    '|striptags|wordcount }} words</li>')
    site = sample_site({"templates/agenda.html": counted})
    build_site(site, tmp_path / "out")
    words = [li.get_text() for li in soup(tmp_path / "out/en/agenda/index.html").select("ol li")]
    assert words and all(w.endswith(" words") and int(w.split()[0]) > 10 for w in words)
