"""UI catalogs: msgfmt-strict syntax, every template string accounted for, fallbacks marked."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPOSITORY, SAMPLE_AGENDA, SAMPLE_PAGE, run_cli, soup
from eventsite.build import build_site
from eventsite.i18n import mark_untranslated
from eventsite.posyntax import first_syntax_problem

FR_CATALOG = REPOSITORY / "locales/fr/LC_MESSAGES/messages.po"


def french_catalog(*edits: tuple[str, str]) -> dict[str, str]:
    """The repository's French catalog with each (old, new) replacement made."""
    text = FR_CATALOG.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return {"locales/fr/LC_MESSAGES/messages.po": text,
            "locales/es/LC_MESSAGES/messages.po":
                (REPOSITORY / "locales/es/LC_MESSAGES/messages.po").read_text(encoding="utf-8")}


CA_CATALOG = "locales/fr_CA/LC_MESSAGES/messages.po"


def canadian_site(*edits: tuple[str, str]) -> dict[str, str]:
    """A site in en, es and fr-CA, a locale the repository has no catalog for, with the
    repository's French catalog as its own (each (old, new) replacement made): what it lacks,
    nothing fills in."""
    files = french_catalog(*edits)
    agenda = SAMPLE_AGENDA.replace("locales: [en, es, fr]", "locales: [en, es, fr-CA]")
    return {"agenda.yaml": agenda.replace(" fr: ", " fr-CA: "), "content/fr/about.md": None,
            "content/fr-CA/about.md": SAMPLE_PAGE.format(title="À propos"),
            CA_CATALOG: files.pop("locales/fr/LC_MESSAGES/messages.po"), **files}


def line_of(files: dict[str, str], text: str) -> int:
    catalog = files[CA_CATALOG]
    return catalog[: catalog.index(text)].count("\n") + 1


@pytest.mark.parametrize("text, expected", [
    ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
     "f.po:4:1: this message is also on line 1. Keep one of them."),
    ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n',
     'f.po:1:1: this msgid has no msgstr after it. Add a line msgstr "" below it.'),
    ('msgstr "b"\nmsgid "a"\n', "f.po:1:1: msgstr comes before any msgid. Put the msgid line "
     "first."),
    ('msgid "a"\nmsgstr "C:\\Temp"\n', "f.po:2:11: \\T is not an escape code. Write \\\\ for a "
     "backslash."),
    ('msgid "a"\nmsgstr "b" c\n', 'f.po:2:12: there is text after the closing quote. Put it '
     'inside the quotes, and write \\" for a quote inside.'),
    ('msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', "f.po:3:1: this message needs msgstr[0], "
     "msgstr[1] here, not msgstr. Use msgstr[0], msgstr[1]."),
], ids=["duplicate", "no msgstr", "msgstr first", "bad escape", "trailing text", "plural"])
def test_catalog_syntax_that_msgfmt_refuses_is_located(text, expected):
    assert str(first_syntax_problem(text, "f.po")) == expected


def test_the_repository_catalogs_and_sound_variants_pass_the_syntax_check():
    for catalog in REPOSITORY.glob("locales/**/*.po*"):
        assert first_syntax_problem(catalog.read_text(encoding="utf-8"), "x") is None, catalog
    sound = ('# comment\nmsgctxt "menu"\nmsgid "a"\nmsgstr ""\n"b \\"c\\"\\n"\n\n'
             'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "un"\nmsgstr[1] "des"\n\n'
             '#~ msgid "old"\n#~ msgstr "unclosed\n')
    assert first_syntax_problem(sound, "x") is None


def test_an_untranslated_ui_string_is_a_warning_and_carries_lang_in_text_only(
        sample_site, tmp_path):
    files = canadian_site(('msgid "Agenda"\nmsgstr "Programme"', 'msgid "Agenda"\nmsgstr ""'),
                          ('msgid "Now"\nmsgstr "En cours"', 'msgid "Now"\nmsgstr ""'))
    built = build_site(sample_site(files), tmp_path / "out")
    assert [str(w) for w in built.warnings] == [
        f'{CA_CATALOG}:{line_of(files, text)}: "{word}" is not translated '
        "into fr-CA, so it is shown in en. Fill in its msgstr."
        for text, word in (('msgid "Agenda"', "Agenda"), ('msgid "Now"', "Now"))]
    page = tmp_path / "out/fr-CA/agenda/index.html"
    doc = soup(page)
    assert doc.h1.find("span", lang="en").get_text() == "Agenda"
    assert doc.title.get_text() == "Agenda · Réunion exemple"  # <title> cannot hold a span
    assert json.loads(doc.find("script", id="site-strings").string)["now"] == "Now"
    assert "\ue000" not in page.read_text() and "\\ue0" not in page.read_text()


def test_a_fuzzy_or_absent_ui_string_is_a_located_warning(sample_site, tmp_path):
    files = canadian_site(('msgid "Agenda"\n', '#, fuzzy\nmsgid "Agenda"\n'),
                          ('msgid "Skip to main content"\nmsgstr "Passer au contenu principal"\n',
                           ""))
    built = build_site(sample_site(files), tmp_path / "out")
    fuzzy = line_of(files, 'msgid "Agenda"')
    base = (REPOSITORY / "templates/base.html").read_text(encoding="utf-8")
    skip = base[: base.index('_("Skip to main content")')].count("\n") + 1
    assert [str(w) for w in built.warnings] == [
        f"{CA_CATALOG}:{fuzzy}: the fr-CA "
        'translation of "Agenda" is marked fuzzy (unchecked), so it is shown in en. Check it '
        "and remove the flag.",
        f"templates/base.html:{skip}: \"Skip to main content\" is not in "
        f"{CA_CATALOG}, so it is shown in en. Run `make update`, then translate it."]
    skip = soup(tmp_path / "out/fr-CA/index.html").find("a", class_="skip-link")
    assert skip.span["lang"] == "en" and skip.get_text() == "Skip to main content"


def test_a_locale_without_a_catalog_is_one_warning_and_its_interface_is_marked(
        sample_site, tmp_path):
    files = canadian_site()
    del files[CA_CATALOG]
    built = build_site(sample_site(files), tmp_path / "out")
    assert [str(w) for w in built.warnings] == [
        f"{CA_CATALOG}: there is no fr-CA catalog, so the interface is shown "
        "in en. Run `make update` and translate it."]
    nav = soup(tmp_path / "out/fr-CA/index.html").find("nav", class_="languages")
    assert nav["aria-label"] == "Language"


def test_a_sites_catalog_adds_to_the_repositorys_entry_by_entry(sample_site, tmp_path):
    """One entry of its own, the rest the repository's: no language falls back to English."""
    site = sample_site({"locales/fr/LC_MESSAGES/messages.po":
                        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                        'msgid "Agenda"\nmsgstr "Ordre du jour"\n'})
    built = build_site(site, tmp_path / "out")
    assert built.warnings == ()
    page = soup(tmp_path / "out/fr/agenda/index.html")
    assert page.h1.get_text() == "Ordre du jour"
    skip = page.select_one("a.skip-link")
    assert skip.get_text() == "Passer au contenu principal"  # the repository's
    assert soup(tmp_path / "out/es/agenda/index.html").h1.get_text() == "Programa"


def test_brackets_become_spans_in_text_and_vanish_in_attributes_and_other_files():
    flagged = "\ue000en\ue001Menu\ue002"
    html = f'<title>{flagged}</title><nav aria-label="{flagged}"><p>{flagged} x</p></nav>'
    assert mark_untranslated(html, "base.html") == (
        '<title>Menu</title><nav aria-label="Menu"><p><span lang="en">Menu</span> x</p></nav>')
    assert mark_untranslated(f"Sitemap: {flagged}", "robots.txt") == "Sitemap: Menu"


@pytest.mark.parametrize("msgstr", ['<script>alert(1)</script>Programme',
                                    'Programme<img src=x onerror=alert(1)>',
                                    '<a href=\\"javascript:alert(1)\\">Programme</a>'])
def test_a_translation_that_adds_html_is_refused_with_its_line(sample_site, tmp_path, msgstr):
    site = sample_site(french_catalog(('msgstr "Programme"', f'msgstr "{msgstr}"')))
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.fullmatch(r'error: locales/fr/LC_MESSAGES/messages\.po:\d+: the translation of '
                        r'"Agenda" adds HTML its original does not have \(<.*>\)\. '
                        r"Translations are text: remove it, or write < as &lt;\.\n",
                        result.stderr), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_translation_may_keep_the_markup_of_its_original():
    from eventsite.i18n import added_markup

    original = 'or <a href="%(href)s" type="application/pdf">download it as a PDF</a>.'
    assert added_markup(original, 'ou <a href="%(href)s" type="application/pdf">le PDF</a>.') \
        is None
    assert added_markup(original, 'ou <a href="%(href)s" onclick="x()">le PDF</a>.') == \
        '<a href="%(href)s" onclick="x()">'


@pytest.mark.parametrize("header, shown", [
    ("nplurals=2; plural=(n > ;", "unexpected end of plural form"),
    ("nplurals=; plural=;", "nplurals=; plural=;"),
    ("garbage", "garbage"),
    ("nplurals=2; plural=n;", "it chooses a form beyond the 2 it declares"),
])
def test_a_broken_plural_forms_header_is_a_located_mistake(sample_site, tmp_path, header, shown):
    files = french_catalog(("Plural-Forms: nplurals=2; plural=(n > 1);", f"Plural-Forms: {header}"))
    result = run_cli("check", "--site", str(sample_site(files)))
    assert (result.returncode, result.stderr) == (1, (
        "error: locales/fr/LC_MESSAGES/messages.po:15:2: the Plural-Forms header is not one "
        f"gettext can use ({shown}). Write it as the language's rule, e.g. nplurals=2; "
        "plural=(n > 1); for French.\n"))
