"""Calendar files parsed with icalendar, and the add-to-calendar links beside them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, quote, urlparse

import icalendar
import pytest

from conftest import LOCALES, REPOSITORY, SAMPLE_AGENDA, run_cli, soup
from eventsite.build import build_site
from eventsite.calendars import percent_encode
from eventsite.load import load_site
from test_site import SEED_SLOTS

UTC = timezone.utc
MEXICO = timedelta(hours=6)  # America/Mexico_City is UTC−6 all year since 2022
PAUSES = {"break-1", "lunch", "break-2", "break-3"}
SESSIONS = ("session-1", "session-2", "session-3", "session-4", "session-4-continued",
            "closing-day-1", "session-5", "session-6", "closing")
BASE_URL = "https://example.org/meeting/"


def read_calendar(path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events_by_uid(calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.events}


def utc_times(event) -> tuple[datetime, datetime]:
    return event.start.astimezone(UTC), event.end.astimezone(UTC)


def all_calendars(dist):
    return sorted(dist.rglob("*.ics"))


def with_base_url(agenda: str) -> str:
    return agenda.replace("  locales: [en, es, fr]\n",
                          f"  locales: [en, es, fr]\n  base_url: {BASE_URL}\n")


# ---------------------------------------------------------------- the real site's files

def test_the_whole_meeting_calendar_holds_every_slot_at_its_utc_time(real_dist):
    expected = sorted((datetime.fromisoformat(f"{day}T{start}") + MEXICO,
                       datetime.fromisoformat(f"{day}T{end}") + MEXICO)
                      for day, slots in SEED_SLOTS.items() for start, end in slots)
    for locale in LOCALES:
        calendar = read_calendar(real_dist / locale / "calendar.ics")
        shown = sorted(tuple(t.replace(tzinfo=None) for t in utc_times(e))
                       for e in calendar.events)
        assert shown == expected


def test_the_opening_starts_at_1500z_in_every_file_that_holds_it(real_dist):
    for locale in LOCALES:
        for path in ("calendar.ics", "agenda/day-1.ics", "agenda/session-1.ics"):
            opening = next(e for e in read_calendar(real_dist / locale / path).events
                           if str(e["SUMMARY"]).startswith("1. "))
            assert utc_times(opening) == (datetime(2025, 2, 26, 15, 0, tzinfo=UTC),
                                          datetime(2025, 2, 26, 15, 20, tzinfo=UTC))


def test_every_tzid_has_its_vtimezone_in_the_same_file(real_dist):
    for path in all_calendars(real_dist):
        calendar = read_calendar(path)
        used = {e[prop].params["TZID"] for e in calendar.events for prop in ("DTSTART", "DTEND")}
        assert used == {"America/Mexico_City"}, path
        assert {str(zone["TZID"]) for zone in calendar.timezones} == used, path
        assert calendar.get_missing_tzids() == set(), path


def test_files_follow_rfc_5545_crlf_folding_and_headers(real_dist):
    for path in all_calendars(real_dist):
        raw = path.read_bytes()
        lines = raw.split(b"\r\n")
        assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b""), path
        assert max(len(line) for line in lines) <= 75, path
        calendar = read_calendar(path)
        assert str(calendar["VERSION"]) == "2.0"
        assert str(calendar["METHOD"]) == "PUBLISH"
        assert str(calendar["CALSCALE"]) == "GREGORIAN"
        assert str(calendar["PRODID"]).startswith("-//eventsite//")
        assert str(calendar["X-WR-CALNAME"]).strip()


def test_uids_are_unique_in_a_file_and_the_same_in_every_locale(real_dist):
    uids_by_locale = {}
    for locale in LOCALES:
        for path in all_calendars(real_dist / locale):
            uids = [str(e["UID"]) for e in read_calendar(path).events]
            assert len(uids) == len(set(uids)), path
        whole = read_calendar(real_dist / locale / "calendar.ics").events
        uids_by_locale[locale] = [str(e["UID"]) for e in whole]
    assert uids_by_locale["en"] == uids_by_locale["es"] == uids_by_locale["fr"]
    assert len(set(uids_by_locale["en"])) == len(SEED_SLOTS["2025-02-26"]) + len(
        SEED_SLOTS["2025-02-27"])


def test_a_session_has_the_same_uid_in_its_own_file_its_day_and_the_whole_meeting(real_dist):
    for session in SESSIONS:
        own = read_calendar(real_dist / "fr" / "agenda" / f"{session}.ics").events
        assert len(own) == 1
        uid = str(own[0]["UID"])
        assert uid in events_by_uid(read_calendar(real_dist / "en" / "calendar.ics"))
        days = [read_calendar(real_dist / "es" / "agenda" / f"day-{n}.ics") for n in (1, 2)]
        assert sum(uid in events_by_uid(day) for day in days) == 1


@pytest.mark.parametrize("locale, opening, pause", [
    ("en", "1. Welcome and Opening Remarks", "Break"),
    ("es", "1. Bienvenida y palabras de apertura", "Receso"),
    ("fr", "1. Mot de bienvenue et allocutions d’ouverture", "Pause"),
])
def test_summaries_and_descriptions_are_in_the_files_locale(real_dist, locale, opening, pause):
    summaries = [str(e["SUMMARY"]) for e in read_calendar(real_dist / locale /
                                                           "calendar.ics").events]
    assert summaries[0] == opening and summaries[2] == pause
    session = read_calendar(real_dist / locale / "agenda" / "session-4-continued.ics").events[0]
    continuation = {"en": "Continuation of session 4.", "es": "Continuación de la sesión 4.",
                    "fr": "Suite de la séance 4."}[locale]
    assert str(session["DESCRIPTION"]).startswith(continuation)
    online = {"en": "Register to participate online:", "es": "Regístrese para participar en línea:",
              "fr": "Inscrivez-vous pour participer en ligne\u202f:"}[locale]
    assert str(session["DESCRIPTION"]).endswith(f"{online} {load_site(REPOSITORY).event.online_url}")


def test_breaks_and_lunch_are_free_time_and_have_no_file_of_their_own(real_dist):
    for path in ("calendar.ics", "agenda/day-1.ics", "agenda/day-2.ics"):
        for event in read_calendar(real_dist / "en" / path).events:
            free = str(event["SUMMARY"]) in ("Break", "Lunch (provided)")
            assert str(event["TRANSP"]) == ("TRANSPARENT" if free else "OPAQUE")
    day_1 = [str(e["SUMMARY"]) for e in read_calendar(real_dist / "en/agenda/day-1.ics").events]
    assert day_1.count("Break") == 2 and "Lunch (provided)" in day_1 and len(day_1) == 9
    for locale in LOCALES:
        assert {p.stem for p in (real_dist / locale / "agenda").glob("*.ics")} == {
            *SESSIONS, "day-1", "day-2"}


def test_an_event_carries_the_venue_speakers_and_sub_items_in_plain_text(real_dist):
    session_2 = read_calendar(real_dist / "en/agenda/session-2.ics").events[0]
    description = str(session_2["DESCRIPTION"])
    assert "- Canada’s National Pollutant Release Inventory (NPRI)" in description
    assert f"Register to participate online: {load_site(REPOSITORY).event.online_url}" in description
    location = str(session_2["LOCATION"])
    assert location == ("NOVOTEL México Centro Histórico, Callejón Flamencos #1, esquina Av. 20 "
                        "de Noviembre, Mexico City, Mexico")  # the seed's address, nothing added
    assert "GEO" not in session_2  # the seed gives no coordinates, so agenda.yaml has none
    assert "URL" not in session_2  # no base URL configured for the real site yet
    opening = str(read_calendar(real_dist / "es/agenda/session-1.ics").events[0]["DESCRIPTION"])
    assert opening.startswith("Ponentes:\n- Orlando Cabrera, jefe de la Unidad")
    assert "Ing. Sergio Z. Hernández Villaseñor" in opening
    session_3 = str(read_calendar(real_dist / "fr/agenda/session-3.ics").events[0]["DESCRIPTION"])
    assert "À l’heure des comptes en ligne." in session_3 and "*" not in session_3


def test_the_venues_coordinates_reach_each_event_as_geo(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("    country: MX\n",
                                   "    country: MX\n    geo: {lat: 19.4297, lon: -99.1347}\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    for path in ("en/agenda/opening.ics", "fr/calendar.ics"):
        event = read_calendar(tmp_path / "out" / path).events[0]
        assert (event["GEO"].latitude, event["GEO"].longitude) == (19.4297, -99.1347)


def test_stamps_come_from_the_agenda_never_from_the_clock(real_dist):
    for path in all_calendars(real_dist):
        for event in read_calendar(path).events:
            # No `updated` in agenda.yaml and no SOURCE_DATE_EPOCH: the meeting's start.
            assert event.DTSTAMP == event.LAST_MODIFIED == datetime(2025, 2, 26, 15, tzinfo=UTC)
            assert event.sequence == 0


# ---------------------------------------------------------------- add-to-calendar links

def calendar_links(block) -> dict:
    return {link.get_text(strip=True): link for link in block.find_all("a")}


def words(text: str) -> str:
    """Text with any run of spaces (French no-break spaces too) as one plain space."""
    return " ".join(text.split())


def query(href: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlparse(href).query).items()}


def test_percent_encoding_is_urllibs_for_every_character_class():
    text = "".join(chr(code) for code in range(1, 0x3000, 7)) + " ~-._/+%&=?#\U0001d11e"
    assert percent_encode(text) == quote(text, safe="")


def test_session_page_links_are_built_from_the_same_entry_as_its_ics_file(real_dist):
    """Title, times and place as in the .ics file; the description, 4-6 kB pre-filled, only
    in the file (with a base URL, the links carry the page's address instead)."""
    page = real_dist / "en/agenda/session-3/index.html"
    links = calendar_links(soup(page).select_one("main .add-to-calendar"))
    assert list(links) == ["Calendar file (.ics)", "Google Calendar", "Outlook.com",
                           "Microsoft 365"]
    entry = read_calendar(real_dist / "en/agenda/session-3.ics").events[0]
    assert links["Calendar file (.ics)"]["href"] == "../../../en/agenda/session-3.ics"
    assert links["Calendar file (.ics)"]["download"] == "prtr-2025-session-3.ics"

    google = query(links["Google Calendar"]["href"])
    assert links["Google Calendar"]["href"].startswith("https://calendar.google.com/calendar/render?")
    assert google == {"action": "TEMPLATE", "text": str(entry["SUMMARY"]),
                      "dates": "20250226T171500Z/20250226T183000Z",
                      "location": str(entry["LOCATION"]), "ctz": "America/Mexico_City"}
    for name, host in (("Outlook.com", "outlook.live.com"), ("Microsoft 365", "outlook.office.com")):
        href = links[name]["href"]
        assert href.startswith(f"https://{host}/calendar/deeplink/compose?")
        assert "+" not in href  # Outlook shows a '+' for a space encoded that way
        assert query(href) == {"path": "/calendar/action/compose", "rru": "addevent",
                               "startdt": "2025-02-26T17:15:00Z", "enddt": "2025-02-26T18:30:00Z",
                               "subject": str(entry["SUMMARY"]),
                               "location": str(entry["LOCATION"])}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_agenda_entry_holds_its_calendar_choices_behind_one_disclosure(real_dist, locale):
    """One control a session (a closed <details>: one Tab stop), the choices of its page."""
    agenda = soup(real_dist / locale / "agenda" / "index.html")
    control = agenda.select("li#session-3 .add-to-calendar")
    assert [element.name for element in control] == ["details"]
    assert "open" not in control[0].attrs and control[0].summary.get_text(strip=True)
    page = soup(real_dist / locale / "agenda/session-3/index.html")
    choices = page.find(id="add-to-calendar")
    assert ([a["href"] for a in control[0].find_all("a")]
            == [a["href"].replace("../../../", "../../") for a in choices.find_all("a")])
    assert len(choices.find_all("a")) == 4


def test_a_session_without_a_page_offers_every_calendar_on_the_agenda(sample_site, tmp_path):
    build_site(sample_site(), tmp_path / "out")  # "opening" has a speaker: a page
    agenda = SAMPLE_AGENDA.replace("        speakers: [ana]\n", "")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "bare")
    slot = soup(tmp_path / "bare/en/agenda/index.html").select_one("li#opening")
    links = [a["href"] for a in slot.select(".add-to-calendar a")]
    assert len(links) == 4 and links[0] == "../../en/agenda/opening.ics"
    google, outlook, office = (query(href) for href in links[1:])
    assert google["text"] == outlook["subject"] == office["subject"] == "1. Opening"
    assert google["dates"] == "20250226T150000Z/20250226T152000Z"
    assert outlook["startdt"] == "2025-02-26T15:00:00Z"
    assert "details" not in google and "body" not in outlook


@pytest.mark.parametrize("locale", LOCALES)
def test_every_calendar_control_is_described_by_its_sessions_title(real_dist, locale):
    agenda = soup(real_dist / locale / "agenda" / "index.html")
    for slot in agenda.select("li.slot"):
        block = slot.select_one(".add-to-calendar")
        assert (block is None) == (slot["id"] in PAUSES), slot["id"]
        if block is None:
            continue
        title = words(slot.h3.get_text(" "))
        for control in [block.summary, *block.find_all("a")]:
            # named by its visible words (WCAG 2.5.3), described by the session's title
            assert not control.has_attr("aria-label")
            [described_by] = agenda.select(f"#{control['aria-describedby']}")
            assert words(described_by.get_text(" ")) == title, control


@pytest.mark.parametrize("locale, day_file", [("en", "prtr-2025-day-1.ics"),
                                              ("es", "prtr-2025-dia-1.ics"),
                                              ("fr", "prtr-2025-jour-1.ics")])
def test_the_agenda_offers_the_whole_meeting_and_each_day_under_ascii_names(real_dist, locale,
                                                                             day_file):
    block = soup(real_dist / locale / "agenda" / "index.html").select_one("main .add-to-calendar")
    downloads = [(a["href"], a["download"]) for a in block.find_all("a")]
    assert downloads == [(f"../../{locale}/calendar.ics", "prtr-2025.ics"),
                         (f"../../{locale}/agenda/day-1.ics", day_file),
                         (f"../../{locale}/agenda/day-2.ics", day_file.replace("1", "2"))]


# ---------------------------------------------------------------- sample sites

def test_two_builds_write_byte_identical_calendars_and_schedule(sample_site, tmp_path):
    site = sample_site()
    build_site(site, tmp_path / "one")
    build_site(site, tmp_path / "two")
    written = sorted(p.relative_to(tmp_path / "one") for p in all_calendars(tmp_path / "one"))
    assert len(written) == 3 * 3  # whole meeting, day 1 and the opening, in each locale
    for path in [*written, "schedule.json"]:
        assert (tmp_path / "one" / path).read_bytes() == (tmp_path / "two" / path).read_bytes()


def test_a_base_url_puts_each_page_in_url_and_in_the_links_details(sample_site, tmp_path):
    build_site(sample_site({"agenda.yaml": with_base_url(SAMPLE_AGENDA)}), tmp_path / "out")
    calendar = read_calendar(tmp_path / "out/fr/calendar.ics")
    opening, pause = calendar.events
    assert str(opening["URL"]) == f"{BASE_URL}fr/agenda/opening/"
    assert str(pause["URL"]) == f"{BASE_URL}fr/agenda/#pause"  # a bare break has no page
    links = calendar_links(soup(tmp_path / "out/fr/agenda/opening/index.html")
                           .select_one("main .add-to-calendar"))
    assert query(links["Google Agenda"]["href"])["details"].endswith(
        f"{BASE_URL}fr/agenda/opening/")


def test_source_date_epoch_stamps_the_files_and_the_agenda_date_wins(sample_site, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    build_site(sample_site(), tmp_path / "epoch")
    event = read_calendar(tmp_path / "epoch/en/calendar.ics").events[0]
    assert event.DTSTAMP == event.LAST_MODIFIED == datetime(2025, 1, 1, tzinfo=UTC)
    agenda = SAMPLE_AGENDA.replace("  timezone:", "  updated: 2025-02-10\n  timezone:")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "updated")
    event = read_calendar(tmp_path / "updated/en/calendar.ics").events[0]
    assert event.DTSTAMP == datetime(2025, 2, 10, 6, tzinfo=UTC)  # midnight in Mexico City


def test_a_source_date_epoch_that_is_not_a_number_is_refused(sample_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = run_cli("build", "--site", str(sample_site()), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.startswith('error: SOURCE_DATE_EPOCH: "yesterday" is not a whole '
                                    "number of seconds since 1970.")


def test_a_bumped_sequence_reaches_every_file_of_the_session(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace('        end: "09:20"\n        title',
                                   '        end: "09:20"\n        sequence: 2\n        title')
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    for path in ("en/calendar.ics", "es/agenda/day-1.ics", "fr/agenda/opening.ics"):
        assert read_calendar(tmp_path / "out" / path).events[0].sequence == 2


NEW_YORK_DAY = """\
  - date: {date}
    sessions:
      - id: night
        start: "{start}"
        end: "{end}"
        title: {{en: Night, es: Noche, fr: Nuit}}
"""


def new_york_agenda(date: str, start: str, end: str) -> str:
    agenda = SAMPLE_AGENDA.replace("America/Mexico_City", "America/New_York")
    return agenda + NEW_YORK_DAY.format(date=date, start=start, end=end)


def test_a_session_across_the_clock_change_keeps_its_real_length_and_both_offsets(sample_site,
                                                                                  tmp_path):
    build_site(sample_site({"agenda.yaml": new_york_agenda("2025-03-09", "01:30", "03:30")}),
               tmp_path / "out")
    calendar = read_calendar(tmp_path / "out/en/agenda/night.ics")
    assert utc_times(calendar.events[0]) == (datetime(2025, 3, 9, 6, 30, tzinfo=UTC),
                                             datetime(2025, 3, 9, 7, 30, tzinfo=UTC))
    zone = calendar.timezones[0]
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    agenda = soup(tmp_path / "out/en/agenda/index.html")
    assert agenda.select_one("#night .duration").get_text() == "1\u00a0h"


@pytest.mark.parametrize("date, start, end, wrong, message", [
    ("2025-03-09", "02:30", "03:30", 'start: "02:30"',
     "02:30 on 2025-03-09 does not exist in America/New_York (the clocks change then). "
     "Move the session to a time that exists."),
    ("2025-03-10", "10:00", "09:45", 'end: "09:45"',
     "the session ends at 09:45, not after it starts (10:00). Swap start and end, or fix "
     "the time."),
])
def test_a_time_that_cannot_be_is_refused_with_its_file_line_and_reason(
        sample_site, tmp_path, date, start, end, wrong, message):
    agenda = new_york_agenda(date, start, end)
    result = run_cli("build", "--site", str(sample_site({"agenda.yaml": agenda})),
                     "--out", str(tmp_path / "out"))
    line = agenda.splitlines().index(f"        {wrong}") + 1
    column = len("        ") + len(wrong.split(" ")[0]) + 2
    assert result.returncode == 1
    assert result.stderr == f"error: agenda.yaml:{line}:{column}: {message}\n"
    assert not (tmp_path / "out").exists()


def test_an_hour_that_happens_twice_is_read_as_its_first_occurrence(sample_site, tmp_path):
    # 01:30 happens twice on 2025-11-02 in New York; the first one (EDT) is meant.
    build_site(sample_site({"agenda.yaml": new_york_agenda("2025-11-02", "00:30", "01:30")}),
               tmp_path / "out")
    event = read_calendar(tmp_path / "out/en/agenda/night.ics").events[0]
    assert utc_times(event) == (datetime(2025, 11, 2, 4, 30, tzinfo=UTC),
                                datetime(2025, 11, 2, 5, 30, tzinfo=UTC))


def test_a_session_id_that_names_a_day_is_refused(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("- id: opening", "- id: day-1")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert result.returncode == 1
    assert ('"day-1" is reserved for the agenda\'s days (their anchors and calendar files). '
            "Choose another id.") in result.stderr


def test_an_event_id_too_short_for_conference_apps_is_refused(sample_site):
    agenda = SAMPLE_AGENDA.replace("  id: sample", "  id: abc")
    result = run_cli("check", "--site", str(sample_site({"agenda.yaml": agenda})))
    assert result.returncode == 1
    assert result.stderr == ('error: agenda.yaml:4:7: "abc" is too short: conference apps reading '
                             "schedule.json need at least 4 characters. Use a longer id, e.g. "
                             "meeting-2025.\n")


def test_uids_are_rfc_4122_name_based_uuids():
    """name_uuid writes what uuid.uuid5 would, for any name (the uuid module is not loaded)."""
    import uuid

    from eventsite.model import UUID_NAMESPACE, name_uuid

    namespace = uuid.UUID(bytes=UUID_NAMESPACE)
    for name in ("prtr-2025", "prtr-2025/session-1", "", "é/ü/日本", "x" * 500):
        assert name_uuid(name) == str(uuid.uuid5(namespace, name))


def test_a_calendar_name_with_commas_and_semicolons_is_rfc_7986_text(sample_site, tmp_path):
    agenda = SAMPLE_AGENDA.replace("title: {en: Sample Meeting,",
                                   'title: {en: "Sample Meeting, Mexico; 2025",')
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    raw = (tmp_path / "out/en/calendar.ics").read_bytes().decode("utf-8")
    assert "\r\nNAME:Sample Meeting\\, Mexico\\; 2025\r\n" in raw
    assert "\r\nX-WR-CALNAME:Sample Meeting, Mexico; 2025\r\n" in raw
    # icalendar reads NAME as a value of unknown type; RFC 7986 makes it TEXT, as SUMMARY is.
    name = raw.partition("\r\nNAME:")[2].partition("\r\n")[0]
    as_text = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nSUMMARY:{name}\r\nEND:VEVENT\r\n")
    assert str(as_text["SUMMARY"]) == "Sample Meeting, Mexico; 2025"
