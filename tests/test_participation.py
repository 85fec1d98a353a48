"""The register action (and its placeholder), the venue page's map link and optional facts, the
participation page's registration block: one source in agenda.yaml, shown everywhere."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest

from conftest import LOCALES, REPOSITORY, SAMPLE_AGENDA, run_cli, soup, tree_digest
from eventsite.build import build_site
from eventsite.load import load_site

REGISTER = "https://example.org/register"
ONLINE = f"""\
  online:
    url: {REGISTER}
    url_placeholder: true
"""
VENUE_PAGE = "---\ntitle: Venue\ndescription: Venue page.\nmenu: 3\nshows: venue\n---\nText.\n"
PARTICIPATE_PAGE = ("---\ntitle: Participate\ndescription: Participate page.\nmenu: 4\n"
                    "shows: registration\n---\nSome words.\n")


def with_agenda(*edits: tuple[str, str]) -> str:
    text = SAMPLE_AGENDA
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


PLACEHOLDER = with_agenda(("    country: MX\n", "    country: MX\n" + ONLINE))


def pages(**shown) -> dict[str, str]:
    """The venue and participate pages in every language."""
    return {f"content/{locale}/{slug}.md": text for locale in LOCALES
            for slug, text in (("venue", VENUE_PAGE), ("participate", PARTICIPATE_PAGE))}


def test_strict_refuses_a_registration_link_still_marked_as_a_placeholder(sample_site, tmp_path):
    site = sample_site({"agenda.yaml": PLACEHOLDER})
    out = tmp_path / "out"
    built = run_cli("build", "--site", str(site), "--out", str(out), "--no-pdf")
    line = PLACEHOLDER.split("\n").index("    url_placeholder: true") + 1
    message = (f"agenda.yaml:{line}:22: the registration link {REGISTER} is marked as a "
               "placeholder. Replace online.url with the registration address, then remove "
               "url_placeholder: true.")
    assert built.returncode == 0 and built.stderr == f"warning: {message}\n"
    before = tree_digest(out)

    refused = run_cli("build", "--site", str(site), "--out", str(out), "--no-pdf", "--strict")
    assert refused.returncode == 1
    assert refused.stderr == f"error: {message}\n"  # one message, no traceback
    assert tree_digest(out) == before  # the previous site is untouched


def test_once_the_placeholder_mark_is_removed_strict_builds(sample_site, tmp_path):
    agenda = PLACEHOLDER.replace("    url_placeholder: true\n", "")
    result = run_cli("build", "--site", str(sample_site({"agenda.yaml": agenda})),
                     "--out", str(tmp_path / "out"), "--no-pdf", "--strict")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("online, message", [
    ("  online:\n    url_placeholder: true\n",
     "url_placeholder: true marks online.url as a placeholder, but there is no url. Add the "
     "url, or remove the line."),
    (f"  online:\n    url: {REGISTER}\n    url_placeholder: maybe\n",
     '"url_placeholder" must be true or false, not "maybe".'),
])
def test_a_wrong_placeholder_mark_is_a_located_error(sample_site, online, message):
    agenda = with_agenda(("    country: MX\n", "    country: MX\n" + online))
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    line = next(number for number, text in enumerate(agenda.split("\n"), 1)
                if "url_placeholder" in text)
    assert result.returncode == 1
    assert result.stderr == f"error: agenda.yaml:{line}:22: {message}\n"  # at the value


def test_the_register_action_leads_to_online_url_everywhere(real_dist):
    """Home, participation page, PDF, calendars and structured data: one address."""
    from pypdf import PdfReader

    url = load_site(REPOSITORY).event.online_url
    for locale in LOCALES:
        for page in ("", "participate/"):
            links = soup(real_dist / locale / page / "index.html").select("main a.button")
            assert url in [a["href"] for a in links], (locale, page)
        reader = PdfReader(real_dist / locale / "program" / f"prtr-2025-program-{locale}.pdf")
        targets = {annot.get_object()["/A"]["/URI"] for page in reader.pages
                   for annot in page.get("/Annots") or []}
        assert url in targets
        calendar = icalendar.Calendar.from_ical(
            (real_dist / locale / "agenda" / "session-1.ics").read_bytes())
        assert any(url in str(event.get("DESCRIPTION", "")) for event in calendar.events)
        home = soup(real_dist / locale / "index.html")
        data = json.loads(home.find("script", type="application/ld+json").string)
        assert {"@type": "VirtualLocation", "url": url} in data["location"]
    # No Markdown page keeps an address of its own for it.
    for markdown in REPOSITORY.glob("content/*/*.md"):
        assert "cec.org/events/)" not in markdown.read_text()


def test_the_venue_page_links_a_marker_on_openstreetmap_at_the_venues_coordinates(
        sample_site, tmp_path):
    agenda = with_agenda(("    country: MX\n", "    country: MX\n"
                          "    geo: {lat: 19.4326, lon: -99.1332}\n"))
    build_site(sample_site({"agenda.yaml": agenda, **pages()}), tmp_path / "out")
    for locale in LOCALES:
        link = soup(tmp_path / "out" / locale / "venue" / "index.html").select_one(
            ".venue-details a")
        address = urlsplit(link["href"])
        assert address.netloc == "www.openstreetmap.org"
        assert parse_qs(address.query) == {"mlat": ["19.4326"], "mlon": ["-99.1332"]}
        assert address.fragment == "map=18/19.4326/-99.1332"
    doc = soup(tmp_path / "out" / "es" / "venue" / "index.html")
    assert doc.select_one(".venue-details a").get_text() == "Ver la sede en OpenStreetMap"
    assert not doc.find("iframe") and not doc.select("main img")  # a plain link, no map


def test_without_coordinates_the_venue_page_searches_openstreetmap_for_the_address(
        sample_site, tmp_path):
    build_site(sample_site(pages()), tmp_path / "out")
    link = soup(tmp_path / "out" / "fr" / "venue" / "index.html").select_one(".venue-details a")
    address = urlsplit(link["href"])
    assert (address.netloc, address.path) == ("www.openstreetmap.org", "/search")
    assert parse_qs(address.query) == {"query": ["Calle 1, Mexico City"]}
    assert link.get_text() == "Chercher l’adresse dans OpenStreetMap"


OPTIONAL = (
    ("    country: MX\n", "    country: MX\n"
     "    directions: {en: Metro *Zócalo*., es: Metro *Zócalo*., fr: Métro *Zócalo*.}\n"
     "    accessibility: {en: Step-free entrance., es: Entrada sin escalones., "
     "fr: Entrée de plain-pied.}\n"
     f"  online:\n    url: {REGISTER}\n"
     "    platform: {en: Zoom (link sent after registration), es: Zoom (enlace tras el registro),"
     " fr: Zoom (lien envoyé après l’inscription)}\n"
     "  interpretation: [en, es, fr]\n"),
)


def test_optional_venue_and_participation_facts_are_shown_when_given(sample_site, tmp_path):
    build_site(sample_site({"agenda.yaml": with_agenda(*OPTIONAL), **pages()}),
               tmp_path / "out")
    venue = soup(tmp_path / "out" / "fr" / "venue" / "index.html").main
    headings = [h.get_text() for h in venue.find_all("h2")]
    assert headings[:2] == ["Pour s’y rendre", "Accessibilité"]
    assert venue.find("h2", id="getting-there").find_next("p").get_text() == "Métro Zócalo."
    assert venue.find("h2", id="accessibility").find_next("p").get_text() == (
        "Entrée de plain-pied.")

    participate = soup(tmp_path / "out" / "es" / "participate" / "index.html").main
    first = participate.h1.find_next(["p", "ul", "div"])
    assert first["class"] == ["registration"]  # the register action leads the page
    assert first.select_one("a.button")["href"] == REGISTER
    facts = [li.get_text(" ", strip=True) for li in first.select(".participation li")]
    assert facts == ["Plataforma en línea: Zoom (enlace tras el registro)",
                     "Interpretación: inglés, español, francés"]


def test_optional_facts_left_out_show_nothing(sample_site, tmp_path):
    build_site(sample_site(pages()), tmp_path / "out")
    venue = soup(tmp_path / "out" / "en" / "venue" / "index.html").main
    assert not venue.find("h2", id="getting-there") and not venue.find("h2", id="accessibility")
    participate = soup(tmp_path / "out" / "en" / "participate" / "index.html").main
    registration = participate.find(class_="registration")
    assert registration is not None and not registration.find("a")  # no url: no button
    assert not participate.find(class_="participation")


def test_an_unknown_shows_value_is_a_located_error(sample_site):
    text = VENUE_PAGE.replace("shows: venue", "shows: venu")
    result = run_cli("check", "--site", str(sample_site({"content/en/venue.md": text})))
    assert result.returncode == 1
    assert result.stderr == 'error: content/en/venue.md:5:8: "shows" is "venu". Did you mean "venue"?\n'


def test_the_venue_and_participation_pages_with_every_fact_are_valid_html(sample_site, tmp_path):
    from test_html_valid import describe, vnu_messages

    agenda = with_agenda(*OPTIONAL).replace("    country: MX\n", "    country: MX\n"
                                            "    geo: {lat: 19.4326, lon: -99.1332}\n", 1)
    build_site(sample_site({"agenda.yaml": agenda, **pages()}), tmp_path / "out")
    files = [tmp_path / "out" / locale / slug / "index.html" for locale in LOCALES
             for slug in ("venue", "participate")]
    errors = [describe(m, tmp_path / "out") for m in vnu_messages(files, "--errors-only")
              if m["type"] in ("error", "non-document-error")]
    assert errors == []


def test_a_link_in_the_directions_to_a_page_that_does_not_exist_is_a_located_error(sample_site):
    agenda = with_agenda(("    country: MX\n", "    country: MX\n"
                          '    directions: {en: "See [the map](map.md).", es: "Ver [el mapa]'
                          '(map.md).", fr: "Voir [la carte](map.md)."}\n'))
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert result.returncode == 1
    assert result.stderr.startswith('error: agenda.yaml:15:17: the link to "map.md" leads '
                                    "nowhere: no language has that page.")
