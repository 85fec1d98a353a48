"""Translation coverage per locale: agenda text, content pages, UI strings."""

from __future__ import annotations

from babel.support import NullTranslations

from conftest import SAMPLE_AGENDA, run_cli
from eventsite.build import check_site
from eventsite.coverage import Tally, format_table, interface_tally, measure, translatable_texts
from eventsite.errors import Problem
from eventsite.i18n import UiCatalog, UiGap
from eventsite.load import load_site

GAPPY_AGENDA = SAMPLE_AGENDA.replace(
    "title: {en: Opening, es: Apertura, fr: Ouverture}", "title: {en: Opening, es: Apertura}"
).replace("role: {en: Chair, es: Presidenta, fr: Présidente}", "role: {en: Chair}")
GAPPY_SITE = {"agenda.yaml": GAPPY_AGENDA, "content/fr/about.md": None,
              "content/en/venue.md": "---\ntitle: Venue\ndescription: Where.\n---\n"}


def test_only_text_given_per_language_counts_and_a_shared_person_counts_once(sample_site):
    event = load_site(sample_site()).event
    texts = translatable_texts(event)
    assert [(t.key, t.source.line) for t in texts] == [
        ("title", 5), ("name", 7), ("description", 9), ("locality", 13), ("role", 18),
        ("title", 26)]  # the venue's and the person's plain names are the same in every language


def test_each_locale_is_measured_with_what_it_lacks(sample_site):
    built = check_site(sample_site(GAPPY_SITE))
    coverage = {c.locale: c for c in measure(built.site, built.catalogs)}
    assert coverage["en"].agenda == Tally(6, 6, ())
    assert coverage["es"].agenda == Tally(5, 6, ("agenda.yaml:18:11: role",))
    assert coverage["fr"].agenda == Tally(4, 6, ("agenda.yaml:18:11: role",
                                                 "agenda.yaml:26:16: title"))
    assert coverage["es"].pages == Tally(1, 2, ("content/es/venue.md: missing",))
    assert coverage["fr"].pages == Tally(0, 2, ("content/fr/about.md: missing",
                                                "content/fr/venue.md: missing"))
    ui = coverage["fr"].interface
    assert ui.done == ui.total > 30 and ui.missing == ()


def test_a_percentage_is_rounded_down_so_100_means_complete():
    assert Tally(199, 200, ("x",)).percent == 99
    assert Tally(0, 0, ()).percent == 100


def test_check_ends_with_an_aligned_table_and_the_missing_items(sample_site):
    result = run_cli("check", "--site", str(sample_site(GAPPY_SITE)))
    assert result.returncode == 0, result.stderr
    ui = check_site(sample_site(GAPPY_SITE)).catalogs[0].used
    table = result.stdout.split("\n", 1)[1]
    assert table == (
        "Translation coverage:\n"
        "  locale  agenda text     pages   interface\n"
        f"  en         6/6 100%  2/2 100%  {ui}/{ui} 100%\n"
        f"  es         5/6  83%  1/2  50%  {ui}/{ui} 100%\n"
        f"  fr         4/6  66%  0/2   0%  {ui}/{ui} 100%\n"
        "Missing in es:\n"
        "  agenda.yaml:18:11: role\n"
        "  content/es/venue.md: missing\n"
        "Missing in fr:\n"
        "  agenda.yaml:18:11: role\n"
        "  agenda.yaml:26:16: title\n"
        "  content/fr/about.md: missing\n"
        "  content/fr/venue.md: missing\n"
        "Translation units by file, with their source words (machine: machine-translated, not "
        "yet reviewed):\n"
        "  locale  file                  done  missing  stale  machine\n"
        "  es      agenda.yaml          5 (9)    1 (1)  0 (0)    0 (0)\n"
        "  es      content/es/about.md  3 (7)    0 (0)  0 (0)    0 (0)\n"
        "  es      content/es/venue.md  0 (0)    2 (2)  0 (0)    0 (0)\n"
        "  fr      agenda.yaml          4 (8)    2 (2)  0 (0)    0 (0)\n"
        "  fr      content/fr/about.md  0 (0)    3 (7)  0 (0)    0 (0)\n"
        "  fr      content/fr/venue.md  0 (0)    2 (2)  0 (0)    0 (0)\n")


def test_a_missing_ui_string_is_listed_with_its_place():
    gap = UiGap("Agenda", Problem("locales/fr/LC_MESSAGES/messages.po", 12, "not translated"))
    catalog = UiCatalog("fr", NullTranslations(), 40, (gap,), (gap.problem,))
    assert interface_tally(catalog) == Tally(
        39, 40, ('locales/fr/LC_MESSAGES/messages.po:12: "Agenda"',))


def test_a_complete_site_has_nothing_listed_as_missing(sample_site):
    built = check_site(sample_site())
    assert "Missing" not in format_table(measure(built.site, built.catalogs))
