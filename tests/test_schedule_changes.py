"""When the schedule changes: cancelled sessions, subscriptions, frab XML for schedule apps."""

from __future__ import annotations

import json

import icalendar
import pytest

from conftest import SAMPLE_AGENDA, run_cli, soup
from eventsite.build import build_site

CANCELLED = SAMPLE_AGENDA.replace("        speakers: [ana]\n", """\
        speakers: [ana]
        status: cancelled
        note: {en: The chair is ill., es: La presidenta está enferma., fr: La présidente est malade.}
""") + """\
      - id: replacement
        start: "09:00"
        end: "09:20"
        title: {en: Welcome, es: Bienvenida, fr: Accueil}
"""


@pytest.fixture(scope="module")
def cancelled_dist(tmp_path_factory):
    from conftest import sample_files, write_files

    folder = tmp_path_factory.mktemp("cancelled")
    site = write_files(folder / "site", sample_files({"agenda.yaml": CANCELLED}))
    build_site(site, folder / "out")
    return folder / "out"


def test_a_cancelled_session_stays_on_the_agenda_struck_through_with_its_note(cancelled_dist):
    slot = soup(cancelled_dist / "fr/agenda/index.html").select_one("li#opening")
    assert "slot-cancelled" in slot["class"]
    assert slot.h3.select_one(".badge-cancelled").get_text() == "Annulée"
    assert slot.h3.s.get_text() == "1. Ouverture"
    assert slot.select_one(".session-note").get_text() == "La présidente est malade."
    assert not slot.select(".add-to-calendar")  # nothing to add
    page = soup(cancelled_dist / "en/agenda/opening/index.html")
    assert page.h1.s.get_text() == "1. Opening" and not page.find(id="add-to-calendar")


def test_a_cancelled_session_is_kept_in_the_calendars_as_cancelled(cancelled_dist):
    for name in ("en/calendar.ics", "en/agenda/day-1.ics", "en/agenda/opening.ics"):
        calendar = icalendar.Calendar.from_ical((cancelled_dist / name).read_bytes())
        opening = [e for e in calendar.walk("VEVENT") if "Opening" in str(e["SUMMARY"])][0]
        assert str(opening["STATUS"]) == "CANCELLED"
        assert str(opening["SUMMARY"]) == "Cancelled: 1. Opening"
        assert "The chair is ill." in str(opening["DESCRIPTION"])
    spanish = icalendar.Calendar.from_ical((cancelled_dist / "es/calendar.ics").read_bytes())
    assert "Cancelada: 1. Apertura" in [str(e["SUMMARY"]) for e in spanish.walk("VEVENT")]


def test_a_cancelled_session_is_an_event_cancelled_for_search_engines(cancelled_dist):
    data = json.loads(soup(cancelled_dist / "en/index.html")
                      .find("script", type="application/ld+json").string)
    statuses = {sub["name"]: sub["eventStatus"] for sub in data["subEvent"]}
    assert statuses["1. Opening"] == "https://schema.org/EventCancelled"
    assert statuses["Welcome"] == "https://schema.org/EventScheduled"


def test_a_status_other_than_scheduled_or_cancelled_is_a_located_mistake(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n",
                                   "        speakers: [ana]\n        status: canceled\n")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert (result.returncode, result.stderr) == (1, (
        'error: agenda.yaml:28:17: "status" is "canceled". Did you mean "cancelled"?\n'))


@pytest.mark.parametrize("site", ["real", "cancelled"])
def test_schedule_xml_is_valid_frab_xml_with_the_json_schedules_events(
        site, real_dist, cancelled_dist):
    import xml.etree.ElementTree as ET

    import xmlschema

    from conftest import REPOSITORY

    dist = real_dist if site == "real" else cancelled_dist
    schema = xmlschema.XMLSchema(str(REPOSITORY / "tests/schemas/frab-schedule.xml.xsd"))
    schema.validate(str(dist / "schedule.xml"))
    events = ET.parse(dist / "schedule.xml").getroot().findall("day/room/event")
    document = json.loads((dist / "schedule.json").read_text(encoding="utf-8"))
    from_json = [event for day in document["schedule"]["conference"]["days"]
                 for room in day["rooms"].values() for event in room]
    assert [(e.get("guid"), e.findtext("title"), e.findtext("date")) for e in events] == \
        [(e["guid"], e["title"], e["date"]) for e in from_json]
    assert len(events) >= 3


def test_schedule_xml_has_absolute_addresses_with_a_base_url(sample_site, tmp_path):
    import xml.etree.ElementTree as ET

    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                   "  base_url: https://example.org/meeting/\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    root = ET.parse(tmp_path / "out/schedule.xml").getroot()
    assert root.findtext("url") == "https://example.org/meeting/schedule.xml"
    assert root.find("day/room/event").findtext("url") == \
        "https://example.org/meeting/en/agenda/opening/"


def test_the_agenda_offers_schedule_apps_both_files_and_with_a_base_url_a_qr_code(
        sample_site, tmp_path):
    build_site(sample_site(), tmp_path / "plain")
    block = soup(tmp_path / "plain/fr/agenda/index.html").select_one(".schedule-apps")
    assert [a["href"] for a in block.find_all("a")] == ["../../schedule.xml", "../../schedule.json"]
    assert "Giggity" in block.get_text() and not block.find("img")
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n", "  locales: [en, es, fr]\n"
                                   "  base_url: https://example.org/meeting/\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "online")
    code = soup(tmp_path / "online/es/agenda/index.html").select_one(".schedule-apps img.qr")
    assert code["src"].startswith("data:image/svg+xml;charset=utf-8,%3Csvg")
    assert code["alt"] == "Código QR de la dirección de schedule.xml"


def test_with_a_base_url_every_calendar_of_the_agenda_can_be_subscribed_to(sample_site, tmp_path):
    from urllib.parse import parse_qs, urlparse

    base = "https://example.org/meeting/"
    agenda = SAMPLE_AGENDA.replace("  locales: [en, es, fr]\n",
                                   f"  locales: [en, es, fr]\n  base_url: {base}\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    block = soup(tmp_path / "out/fr/agenda/index.html").select_one("details.subscribe")
    offered = block.select(".subscription")
    assert [o.select_one(".subscription-name").get_text() for o in offered] == [
        "Toute la réunion", "Jour 1"]
    whole = offered[0]
    links = {a.get_text(): a["href"] for a in whole.find_all("a")}
    address = f"{base}fr/calendar.ics"
    assert links["Calendrier d’Apple, Thunderbird"] == "webcal://example.org/meeting/fr/calendar.ics"
    google = urlparse(links["Google Calendar"])
    assert (google.netloc, google.path) == ("calendar.google.com", "/calendar/r")
    assert parse_qs(google.query) == {"cid": ["webcal://example.org/meeting/fr/calendar.ics"]}
    for name, host in (("Outlook.com", "outlook.live.com"), ("Microsoft 365", "outlook.office.com")):
        link = urlparse(links[name])
        assert (link.netloc, link.path) == (host, "/calendar/0/addfromweb")
        assert parse_qs(link.query) == {"url": [address], "name": ["Réunion exemple"]}
    assert whole.code.get_text() == address and whole.button["data-copy"] == address
    calendar = icalendar.Calendar.from_ical((tmp_path / "out/fr/calendar.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Réunion exemple"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert b"X-PUBLISHED-TTL:PT6H" in (tmp_path / "out/fr/calendar.ics").read_bytes()
    build_site(sample_site(), tmp_path / "offline")  # no base URL: nothing to subscribe to
    assert not soup(tmp_path / "offline/fr/agenda/index.html").select("details.subscribe")
