"""The real PRTR site: every page, every locale, every slot of the seed, every link."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from babel.messages.pofile import read_po

from conftest import LOCALES, REPOSITORY, soup

PAGES = ("", "agenda/", "about/", "venue/", "participate/")
SESSION_PAGES = ("session-1", "session-2", "session-3", "session-4", "session-4-continued",
                 "session-5", "session-6")

# Every time slot of ../shared/seed/prtr-meeting-2025-agenda.txt, in 24-hour local time.
SEED_SLOTS = {
    "2025-02-26": [("09:00", "09:20"), ("09:20", "11:00"), ("11:00", "11:15"),
                   ("11:15", "12:30"), ("12:30", "14:00"), ("14:00", "15:30"),
                   ("15:30", "15:45"), ("15:45", "16:45"), ("16:45", "17:00")],
    "2025-02-27": [("09:00", "10:30"), ("10:30", "10:45"), ("10:45", "12:00"),
                   ("12:00", "12:15")],
}


def html_files(dist: Path):
    return sorted(dist.rglob("*.html"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_exists_in_every_locale(real_dist, locale):
    for path in PAGES + tuple(f"agenda/{s}/" for s in SESSION_PAGES):
        assert (real_dist / locale / path / "index.html").is_file(), path
    for name in ("index.html", "404.html", "robots.txt"):
        assert (real_dist / name).is_file()


@pytest.mark.parametrize("locale", LOCALES)
def test_pages_declare_their_language_and_have_a_title_and_description(real_dist, locale):
    for page in html_files(real_dist / locale):
        doc = soup(page)
        assert doc.html["lang"] == locale
        assert doc.title.string.strip()
        assert doc.find("meta", attrs={"name": "description"})["content"].strip()
        assert doc.find("a", class_="skip-link")["href"] == "#main"
        assert doc.find(id="main")


def test_switcher_and_hreflang_point_to_the_same_page_in_each_locale(real_dist):
    for page in html_files(real_dist / "en") + html_files(real_dist / "fr"):
        route = page.parent.relative_to(real_dist).as_posix().split("/", 1)[1:]
        doc = soup(page)
        switcher = doc.find("nav", class_="languages").find_all("a")
        assert [a["hreflang"] for a in switcher] == list(LOCALES)
        alternates = {link["hreflang"]: link["href"]
                      for link in doc.find_all("link", rel="alternate")}
        assert set(alternates) == set(LOCALES) | {"x-default"}
        for link in switcher:
            for href in (link["href"], alternates[link["hreflang"]]):
                target = resolve(page, href, real_dist)
                assert target.is_file(), href
                assert target.parent.relative_to(real_dist / link["hreflang"]).as_posix() in (
                    route[0] if route else ".",)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_seed_slot_is_on_the_agenda_with_its_times(real_dist, locale):
    doc = soup(real_dist / locale / "agenda" / "index.html")
    slots = doc.select("li.slot")
    shown = [tuple(t["datetime"] for t in slot.select(".slot-time time")) for slot in slots]
    expected = [(f"{day}T{start}-06:00", f"{day}T{end}-06:00")
                for day, times in SEED_SLOTS.items() for start, end in times]
    assert shown == expected


def test_each_agenda_writes_dates_and_times_in_its_languages_house_style(real_dist):
    """agenda.yaml's site.formats: fr_CA and es_MX on 24 hours, en_GB on 12 (as the seed)."""
    def text(locale: str) -> str:
        page = soup(real_dist / locale / "agenda" / "index.html")
        return " ".join(page.get_text(" ").split())  # no-break spaces as spaces
    french = text("fr")
    assert "mercredi 26 février 2025" in french
    assert "9 h – 9 h 20" in french and "09:00" not in french and "AM" not in french
    assert "1 h 40" in french and "1 h 40 min" not in french
    assert "heure de Mexico (UTC−6)" in french
    spanish = text("es")
    assert "9:00 – 9:20" in spanish and "1 h 40 min" in spanish
    assert "hora de la Ciudad de México (UTC−6)" in spanish
    english = text("en")
    assert "Wednesday, 26 February 2025" in english and "9:00 am – 9:20 am" in english
    assert "Mexico City time (UTC−6)" in english and "20 min" in english
    for page in (french, spanish, english):
        assert "GMT" not in page and "UTC-" not in page and "06:00)" not in page


@pytest.mark.parametrize("locale", LOCALES)
def test_speakers_roles_and_venue_appear(real_dist, locale):
    agenda = soup(real_dist / locale / "agenda" / "index.html")
    # Each name as the seed writes it there: "Orlando Cabrera" among the speakers, and
    # "Orlando Cabrera-Rivera" in the contact block.
    assert [name.get_text(strip=True) for name in agenda.select(".person-name")] == [
        "Orlando Cabrera", "Ing. Sergio Z. Hernández Villaseñor"]
    assert "Orlando Cabrera-Rivera," in agenda.select_one("address.contact").get_text(" ")
    assert "Semarnat" in agenda.get_text(" ")
    home = soup(real_dist / locale / "index.html").get_text(" ")
    assert "NOVOTEL México Centro Histórico" in home
    program = soup(real_dist / locale / "program" / "index.html").get_text(" ")
    assert "Callejón Flamencos #1" in program  # on screen, the venue page has the address


@pytest.mark.parametrize("locale", ("es", "fr"))
def test_spanish_and_french_pages_hold_no_untranslated_ui_string(real_dist, locale):
    path = REPOSITORY / "locales" / locale / "LC_MESSAGES" / "messages.po"
    catalog = read_po(path.open("rb"), locale=locale)
    english = [m.id for m in catalog if m.id and m.string != m.id and "%(" not in m.id]
    for page in html_files(real_dist / locale):
        doc = soup(page)
        texts = {s.strip() for s in doc.find_all(string=True) if s.strip()}
        texts |= {el[attr] for attr in ("aria-label", "content") for el in doc.select(f"[{attr}]")}
        leaked = [msgid for msgid in english if msgid in texts]
        assert not leaked, f"{page}: {leaked}"


def resolve(page: Path, href: str, dist: Path) -> Path:
    """The file a relative link from `page` lands on, as a static web server would serve it."""
    url = urljoin(f"file://{page}", unquote(urlparse(href)._replace(fragment="").geturl()))
    target = Path(urlparse(url).path)
    return target / "index.html" if href.split("#")[0].endswith("/") else target


def test_every_relative_link_resolves_to_a_file(real_dist):
    for page in html_files(real_dist):
        if page.name == "404.html":
            continue  # served at any address, links are relative to the site root
        for element in soup(page).select("[href], [src]"):
            link = element.get("href") or element.get("src")
            if re.match(r"^(?:[a-z]+:|#|//)", link):
                continue
            target = resolve(page, link, real_dist)
            assert target.is_file(), f"{page.relative_to(real_dist)} → {link}"
            assert real_dist in target.resolve().parents


def test_links_and_assets_are_never_external(real_dist):
    for page in html_files(real_dist):
        doc = soup(page)
        for element in doc.select("link[href], script[src], img[src]"):
            ref = element.get("href") or element.get("src")
            if element.name == "link" and element.get("rel") in (["alternate"], ["canonical"]):
                continue
            assert not re.match(r"^(?:https?:)?//", ref), f"{page}: {ref}"
