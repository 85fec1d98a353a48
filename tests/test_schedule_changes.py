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


STORY_AGENDA = SAMPLE_AGENDA.replace("""    role: {en: Chair, es: Presidenta, fr: Présidente}
""", """    role: {en: Chair, es: Presidenta, fr: Présidente}
  - id: bo
    name: Bo Example
""") + """\
      - id: talk
        number: 2
        start: "09:30"
        end: "10:00"
        title: {en: First talk, es: Primera charla, fr: Premier exposé}
        speakers: [ana]
      - id: closing
        start: "10:00"
        end: "10:15"
        title: {en: Closing, es: Clausura, fr: Clôture}
"""


def edit(site, old: str, new: str) -> None:
    agenda = site / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    assert old in text, old
    agenda.write_text(text.replace(old, new, 1), encoding="utf-8")


def events_by_summary(path) -> dict:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_a_schedule_published_changed_and_published_again_tells_every_attendee(
        sample_site, tmp_path):
    import feedparser

    from conftest import tree_digest
    from eventsite.versions import today_at

    site = sample_site({"agenda.yaml": STORY_AGENDA})
    assert run_cli("publish", "--site", str(site), "--note", "First program.").returncode == 0
    today = today_at("America/Mexico_City")
    # The organiser moves a session, cancels one, adds one and replaces a speaker.
    edit(site, 'start: "09:30"\n        end: "10:00"', 'start: "10:30"\n        end: "11:00"')
    edit(site, "      - id: closing\n", "      - id: closing\n        status: cancelled\n")
    edit(site, "        speakers: [ana]\n", "        speakers: [bo]\n")
    (site / "agenda.yaml").write_text((site / "agenda.yaml").read_text() + """\
      - id: extra
        start: "11:00"
        end: "11:30"
        title: {en: Extra, es: Extra, fr: Supplément}
""")
    build_site(site, tmp_path / "draft")
    agenda = soup(tmp_path / "draft/en/agenda/index.html")
    marks = {slot["id"]: [b.get_text() for b in slot.select("h3 .badge")]
             for slot in agenda.select("li.slot")}
    assert marks == {"opening": [], "pause": [], "talk": ["Moved"], "closing": ["Cancelled"],
                     "extra": ["New"]}
    assert agenda.select_one("p.version").get_text() == (
        f"Program updated {today:%A, %B} {today.day}, {today.year}, version 1.")
    program = soup(tmp_path / "draft/en/program/index.html")
    assert [b.get_text() for b in program.select("h3 .badge")] == ["Cancelled", "Moved", "New"]
    talk = soup(tmp_path / "draft/en/agenda/talk/index.html")
    assert talk.h1.select_one(".badge").get_text() == "Moved"
    events = events_by_summary(tmp_path / "draft/en/calendar.ics")
    assert events["2. First talk"]["SEQUENCE"] == 1
    assert events["Cancelled: Closing"]["SEQUENCE"] == 1
    assert str(events["Cancelled: Closing"]["STATUS"]) == "CANCELLED"
    assert events["1. Opening"]["SEQUENCE"] == 0 and events["Extra"]["SEQUENCE"] == 0
    assert events["1. Opening"]["UID"] == events_by_summary(
        tmp_path / "draft/en/agenda/opening.ics")["1. Opening"]["UID"]
    data = json.loads(soup(tmp_path / "draft/en/index.html")
                      .find("script", type="application/ld+json").string)
    moved = next(sub for sub in data["subEvent"] if sub["name"] == "2. First talk")
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["previousStartDate"] == "2025-02-26T09:30:00-06:00"
    schedule = json.loads((tmp_path / "draft/schedule.json").read_text())
    assert schedule["schedule"]["version"] == f"1 ({today})"

    assert run_cli("publish", "--site", str(site), "--note", "Talk moved.",
                   "--note", "fr=Exposé déplacé.").returncode == 0
    build_site(site, tmp_path / "second")
    page = soup(tmp_path / "second/en/changes/index.html")
    assert [li.get_text().replace("\u202f", " ") for li in page.select("section li")] == [
        "The speakers of 1. Opening changed.", "Closing is cancelled.",
        "2. First talk moved from 9:30 AM to 10:30 AM.",
        "New: Extra, Wednesday, February 26, 2025 at 11:00 AM."]
    feed = feedparser.parse((tmp_path / "second/fr/changes.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == [
        f"Version 2, {soup(tmp_path / 'second/fr/changes/index.html').h2.get_text().split(', ', 1)[1]}"]
    assert "Exposé déplacé." in feed.entries[0].summary
    note = soup(tmp_path / "second/es/changes/index.html").select_one("section p")
    assert (note.get_text(), note["lang"]) == ("Talk moved.", "en")  # no Spanish note given
    assert json.loads((tmp_path / "second/schedule.json").read_text())[
        "schedule"]["version"] == f"2 ({today})"
    home = soup(tmp_path / "second/en/index.html")
    assert home.select_one("p.version a")["href"] == "../en/changes/"

    edit(site, "title: {en: Extra,", "title: {en: Extra session,")
    assert run_cli("publish", "--site", str(site)).returncode == 0
    build_site(site, tmp_path / "third")
    build_site(site, tmp_path / "again")
    assert tree_digest(tmp_path / "third") == tree_digest(tmp_path / "again")
    headings = [h.get_text() for h in soup(tmp_path / "third/en/changes/index.html")
                .select("section h2")]
    assert [h.split(",")[0] for h in headings] == ["Version 3", "Version 2"]
    assert soup(tmp_path / "third/en/changes/index.html").select_one("section li").get_text() \
        == "“Extra” is now called Extra session."


@pytest.mark.parametrize("damage, message", [
    (lambda text: text[:40], r"published/versions\.json:\d+:\d+: this is not valid JSON "),
    (lambda text: text.replace('"version": 2', '"version": 1'),
     r"published/versions\.json: a version is not as `publish` wrote it \(version 1 where 2 "
     r"should be: versions go up by one\)\."),
    (lambda text: text.replace('"start"', '"begin"', 1),
     r"published/versions\.json: a version is not as `publish` wrote it "),
])
def test_a_published_file_damaged_by_hand_is_one_located_message(sample_site, tmp_path, damage,
                                                                 message):
    import re

    site = sample_site({"agenda.yaml": STORY_AGENDA})
    run_cli("publish", "--site", str(site))
    edit(site, "      - id: closing\n", "      - id: closing\n        status: cancelled\n")
    run_cli("publish", "--site", str(site))
    versions = site / "published/versions.json"
    versions.write_text(damage(versions.read_text()))
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--no-pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.match("error: " + message, result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_cancelled_session_without_its_id_is_a_located_mistake(sample_site):
    agenda = SAMPLE_AGENDA.replace("      - id: opening\n", "      - status: cancelled\n")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert (result.returncode, result.stderr) == (1, (
        'error: agenda.yaml:22:9: a session needs an "id" field. Add it.\n'))
