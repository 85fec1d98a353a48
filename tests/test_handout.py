"""The PDF handout's first page and metadata, read with pypdf: its title in each language, the
dates on one line, the zone and online participation on page 1, the agenda's QR code."""

from __future__ import annotations

import re

import pytest
import segno
from pypdf import PdfReader

from conftest import LOCALES, REPOSITORY, SAMPLE_AGENDA, soup
from eventsite.build import build_site
from eventsite.load import load_site

PROGRAM_WORD = {"en": "Program", "es": "Programa", "fr": "Programme"}
QR_ALT = {"en": "QR code of the address of the agenda online",
          "es": "Código QR de la dirección del programa en línea",
          "fr": "Code QR de l’adresse du programme en ligne"}
BASE_URL = "https://example.org/meeting/"


def program_pdf(dist, locale, event_id="prtr-2025"):
    return dist / locale / "program" / f"{event_id}-program-{locale}.pdf"


def lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]


def figures(reader: PdfReader) -> list[str]:
    """The alternative texts of the tagged PDF's figures, as a screen reader reads them."""
    found, pending = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, dict):
            continue
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        kids = node.get("/K")
        pending += kids if isinstance(kids, list) else [kids] if kids is not None else []
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_the_pdf_is_titled_program_and_the_meetings_name(real_dist, locale):
    title = load_site(REPOSITORY).event.short_title.get(locale)
    reader = PdfReader(program_pdf(real_dist, locale))
    assert reader.metadata.title == f"{PROGRAM_WORD[locale]} – {title}"
    assert reader.xmp_metadata.dc_title == {"x-default": reader.metadata.title}


@pytest.mark.parametrize("locale", LOCALES)
def test_page_one_gives_the_dates_on_one_line_the_zone_and_online_participation(
        real_dist, locale):
    event = load_site(REPOSITORY).event
    facts = soup(real_dist / locale / "program" / "index.html").select(".facts dd")
    dates, zone = facts[0].get_text(" ", strip=True), facts[-1].get_text(" ", strip=True)
    page_one = lines(PdfReader(program_pdf(real_dist, locale)).pages[0].extract_text())
    assert re.sub(r"\s+", " ", dates) in page_one  # a line of its own: not wrapped
    text = " ".join(page_one)
    assert re.sub(r"\s+", " ", zone) in text
    online = soup(real_dist / locale / "program" / "index.html").find(id="online-heading")
    assert online.get_text() in page_one
    assert event.online_url in page_one  # printed in full, on one line
    note = soup(real_dist / locale / "program" / "index.html").select_one(
        ".program-online p").get_text(" ", strip=True)
    assert re.sub(r"\s+", " ", note) in text


@pytest.mark.parametrize("locale", LOCALES)
def test_without_a_base_url_the_pdf_has_no_qr_code(real_dist, locale):
    assert figures(PdfReader(program_pdf(real_dist, locale))) == []


def test_with_a_base_url_page_one_has_a_qr_code_of_the_agenda_online(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n",
                                   f"  locales: [en, es, fr]\n  base_url: {BASE_URL}\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out", pdf=True)
    for locale in LOCALES:
        reader = PdfReader(program_pdf(tmp_path / "out", locale, "sample"))
        assert figures(reader) == [QR_ALT[locale]]
        # The code on page 1 is the one of the agenda's address, as segno makes it.
        image = soup(tmp_path / "out" / locale / "program" / "index.html").select_one(
            ".program-qr img")
        expected = segno.make(f"{BASE_URL}{locale}/agenda/", error="m")
        assert image["src"] == expected.svg_data_uri(scale=3, light="white")
        assert image["alt"] == QR_ALT[locale]
        first_page = reader.pages[0].extract_text()
        assert QR_ALT[locale] not in first_page  # the alternative text is not printed
