"""The print program page and its PDF in each language: content, paging, metadata, links."""

from __future__ import annotations

import logging
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import LOCALES, REPOSITORY, SAMPLE_AGENDA, soup
from eventsite import formats
from eventsite.build import build_site
from eventsite.css import css_content, css_counter, css_string
from eventsite.load import load_site
from eventsite.markup import markdown_to_text
from eventsite.typography import french_text

PAGE_OF = {"en": "Page {} of {}", "es": "Página {} de {}", "fr": "Page {} sur {}"}
LETTER = [0, 0, 612, 792]


@pytest.fixture(scope="session")
def real_site():
    return load_site(REPOSITORY)


def program_pdf(dist, locale, event_id="prtr-2025"):
    return dist / locale / "program" / f"{event_id}-program-{locale}.pdf"


def words(text: str) -> str:
    """Text with every run of whitespace (line breaks, narrow no-break spaces) as one space,
    and none before a full stop (markdown_to_text leaves one after emphasis)."""
    return " ".join(text.split()).replace(" .", ".")


def page_texts(path) -> list[str]:
    return [words(page.extract_text()) for page in PdfReader(path).pages]


def printed(text: str, locale: str) -> str:
    """Organiser text as the page prints it: in French typography in French."""
    return words(french_text(text) if locale == "fr" else text)


def session_words(site, session, locale) -> list[str]:
    """What must be printed together for a slot: times, title, speakers, description, items."""
    style = site.style(locale)
    texts = [formats.time_range(session.start, session.end, style)]
    texts += [session.title.get(locale)] if session.title else []
    texts += [person.name.get(locale) for person in session.speakers]
    texts += [markdown_to_text(session.description.get(locale))] if session.description else []
    texts += [item.title.get(locale) for item in session.items]
    return [printed(text, locale) for text in texts]


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_holds_every_session_title_and_time_of_its_language(real_dist, real_site, locale):
    text = " ".join(page_texts(program_pdf(real_dist, locale)))
    for session in real_site.event.sessions:
        for expected in session_words(real_site, session, locale):
            assert expected in text, f"{session.id}: {expected}"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_states_venue_contact_and_online_participation(real_dist, real_site, locale):
    event = real_site.event
    text = " ".join(page_texts(program_pdf(real_dist, locale)))
    for expected in (event.venue.name.get(locale), event.venue.street.get(locale),
                     event.venue.locality.get(locale), event.contact.person.name.get(locale),
                     event.contact.phone, event.online_url, event.online_note.get(locale),
                     event.title.get(locale)):
        assert printed(expected, locale) in text


@pytest.mark.parametrize("locale", LOCALES)
def test_no_session_is_split_across_two_pages(real_dist, real_site, locale):
    pages = page_texts(program_pdf(real_dist, locale))
    for session in real_site.event.sessions:
        texts = session_words(real_site, session, locale)
        assert any(all(text in page for text in texts) for page in pages), session.id


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_is_a_few_letter_pages_numbered_in_its_language(real_dist, real_site, locale):
    pages = page_texts(program_pdf(real_dist, locale))
    assert 2 <= len(pages) <= 4
    for number, text in enumerate(pages, start=1):
        assert text.endswith(PAGE_OF[locale].format(number, len(pages)))
    header = words(real_site.event.short_title.get(locale))
    assert header not in pages[0]  # the cover needs no running header
    assert all(header in text for text in pages[1:])
    assert all(list(page.mediabox) == LETTER for page in PdfReader(program_pdf(real_dist, locale)).pages)


@pytest.mark.parametrize("locale", LOCALES)
def test_paper_shows_no_navigation_skip_link_or_language_switcher(real_dist, locale):
    text = " ".join(page_texts(program_pdf(real_dist, locale)))
    doc = soup(real_dist / locale / "program" / "index.html")
    for element in (doc.find("a", class_="skip-link"), doc.find("nav", class_="languages"),
                    doc.find(class_="program-print-note")):
        assert words(element.get_text()) not in text
    assert "Español" not in text and "Français" not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_declares_its_language_title_and_structure(real_dist, locale):
    reader = PdfReader(program_pdf(real_dist, locale))
    page_title = soup(real_dist / locale / "program" / "index.html").title.string
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == locale
    assert reader.metadata.title == page_title
    assert reader.xmp_metadata.dc_title == {"x-default": page_title}
    assert catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog  # tagged: PDF/UA-1
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_embeds_its_fonts_and_links_only_absolute_addresses(real_dist, real_site, locale):
    reader = PdfReader(program_pdf(real_dist, locale))
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts]
    assert descriptors and all("/FontFile2" in d for d in descriptors)
    targets = {annot.get_object()["/A"]["/URI"] for page in reader.pages
               for annot in page.get("/Annots") or []}
    assert real_site.event.online_url in targets
    assert all(re.match(r"^(https?|mailto|tel):", target) for target in targets)


@pytest.mark.parametrize("locale", LOCALES)
def test_home_and_agenda_link_the_pdf_with_its_pages_and_size(real_dist, locale):
    pdf = program_pdf(real_dist, locale)
    pages = len(PdfReader(pdf).pages)
    size = formats.file_size(pdf.stat().st_size, locale)
    label = {"en": f"(PDF, {pages} pages, {size})", "es": f"(PDF, {pages} páginas, {size})",
             "fr": f"(PDF, {pages} pages, {size})"}[locale]
    for page in ("index.html", "agenda/index.html"):
        link = soup(real_dist / locale / page).find("a", type="application/pdf")
        assert link.find(class_="file-info").get_text() == label
        assert (real_dist / locale / page).parent.joinpath(link["href"]).resolve() == pdf


def test_the_pdf_is_printed_from_the_published_program_page(real_dist):
    """The page on the site and the PDF's source are one HTML: printing it again gives the PDF."""
    from eventsite.build import build_stamp
    from eventsite.pdf import OFFLINE_ROOT, PrintPage, print_program

    assets = {f"assets/{p.name}": p.read_bytes() for p in (real_dist / "assets").iterdir()}
    html = (real_dist / "es" / "program" / "index.html").read_text(encoding="utf-8")
    stamp = build_stamp(load_site(REPOSITORY).event, None)
    printed = print_program(PrintPage(html, OFFLINE_ROOT, "es/program/"), assets,
                            "prtr-2025-program-es.pdf", stamp)
    assert printed.data == program_pdf(real_dist, "es").read_bytes()


def test_weasyprint_understands_every_rule_of_the_print_stylesheet(real_dist, caplog):
    from weasyprint import CSS

    page_setup = soup(real_dist / "fr" / "program" / "index.html").find("style").string
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        CSS(string=(REPOSITORY / "assets" / "print.css").read_text(encoding="utf-8"))
        CSS(string=page_setup)
    assert not caplog.records, [record.getMessage() for record in caplog.records]
    assert 'content: "Page " counter(page) " sur " counter(pages);' in page_setup


def test_two_builds_print_byte_identical_pdfs(sample_site, tmp_path):
    site = sample_site()
    build_site(site, tmp_path / "one", pdf=True)
    build_site(site, tmp_path / "two", pdf=True)
    for locale in LOCALES:
        first = program_pdf(tmp_path / "one", locale, "sample").read_bytes()
        assert first == program_pdf(tmp_path / "two", locale, "sample").read_bytes()


PRINT_AT = """
import sys, time
from pathlib import Path
import weasyprint.pdf.fonts
if sys.argv[3] == "fonttools":  # as on a machine without libharfbuzz-subset
    weasyprint.pdf.fonts.harfbuzz_subset = None
time.time = lambda: float(sys.argv[4])  # the clock fontTools would stamp a font subset with
from eventsite.build import build_site
build_site(Path(sys.argv[1]), Path(sys.argv[2]), pdf=True)
"""


@pytest.mark.parametrize("subsetter", ["harfbuzz", "fonttools"])
def test_pdfs_printed_at_different_times_are_identical_with_either_font_subsetter(
        subsetter, sample_site, tmp_path):
    site = sample_site()
    for name, clock in (("one", "1700000000"), ("two", "1800000000")):
        subprocess.run([sys.executable, "-c", PRINT_AT, str(site), str(tmp_path / name),
                        subsetter, clock], cwd=REPOSITORY, check=True, env={
                            "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPOSITORY),
                            "EVENTSITE_CACHE": ""})
    first = program_pdf(tmp_path / "one", "fr", "sample").read_bytes()
    assert first == program_pdf(tmp_path / "two", "fr", "sample").read_bytes()


def test_the_page_numbers_of_a_language_without_a_catalog_read_as_in_english(
        sample_site, tmp_path):
    """Two placeholders once shared a code point: the footer read "1en1Page 1 of 1"."""
    agenda = re.sub(r", es: [^,}]*, fr: ", ", pt: ", SAMPLE_AGENDA.replace(
        "locales: [en, es, fr]", "locales: [en, pt]"))
    site = sample_site({"agenda.yaml": agenda, "content/es/about.md": None,
                        "content/fr/about.md": None})
    build_site(site, tmp_path / "out", pdf=True)
    footer = page_texts(program_pdf(tmp_path / "out", "pt", "sample"))[-1]
    assert "Page 1 of 1" in footer and "1en" not in footer, footer


def test_a_build_without_pdfs_links_the_program_page_but_no_missing_file(sample_site, tmp_path):
    build_site(sample_site(), tmp_path / "out")
    assert not list((tmp_path / "out").rglob("*.pdf"))
    for page in ("index.html", "agenda/index.html", "program/index.html"):
        doc = soup(tmp_path / "out" / "en" / page)
        assert not doc.find("a", type="application/pdf")
        assert not doc.find("a", href=re.compile(r"\.pdf$"))
    assert soup(tmp_path / "out/en/index.html").find("a", href="../en/program/")


def test_with_a_base_url_the_pdf_prints_the_programs_address_as_a_link(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                   "  base_url: https://example.org/meeting/\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out", pdf=True)
    reader = PdfReader(program_pdf(tmp_path / "out", "es", "sample"))
    assert "https://example.org/meeting/es/program/" in words(reader.pages[-1].extract_text())
    targets = {annot.get_object()["/A"]["/URI"] for annot in reader.pages[-1]["/Annots"]}
    assert "https://example.org/meeting/es/program/" in targets


def test_css_strings_cannot_end_the_string_or_the_style_element():
    assert css_string('Say "hi" \\ </style>') == r'"Say \22 hi\22  \5c  \3c /style\3e "'


def test_translated_page_numbers_become_css_counters():
    sentence = f"Página {css_counter('page')} de {css_counter('pages')}"
    assert css_content(sentence) == '"Página " counter(page) " de " counter(pages)'


@pytest.mark.parametrize("size, locale, expected", [
    (85_432, "en", "85 kB"), (85_432, "fr", "85\u202fko"), (300, "es", "1 kB"),
    (999_600, "en", "1 MB"), (1_234_567, "es", "1,2 MB"), (1_234_567, "fr", "1,2\u202fMo"),
])
def test_file_sizes_are_written_the_way_each_language_writes_them(size, locale, expected):
    assert formats.file_size(size, locale) == expected


def test_every_placeholder_has_a_code_point_of_its_own():
    """The registry the '1en1' footer led to: no two stages may share a placeholder."""
    from eventsite import placeholders

    declared = {name: value for name, value in vars(placeholders).items()
                if isinstance(value, str) and name.isupper() and len(value) == 1}
    assert set(declared.values()) == set(placeholders.ALL)
    assert len(set(placeholders.ALL)) == len(placeholders.ALL) == len(declared)
    assert all("\ue000" <= value <= "\uf8ff" for value in placeholders.ALL)
