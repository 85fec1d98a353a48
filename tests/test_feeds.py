"""Machine-readable schedule: schema.org JSON-LD on the home pages, and dist/schedule.json."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import jsonschema
import pytest

from conftest import LOCALES, REPOSITORY, SAMPLE_AGENDA, soup
from eventsite.build import build_site
from eventsite.load import load_site
from eventsite.typography import french_text
from test_calendars import BASE_URL, SESSIONS, with_base_url

SCHEMAS = Path(__file__).parent / "schemas"


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def validate(document: dict, schema: dict) -> None:
    """Validate, formats included: every format jsonschema knows (uuid, date…), whatever the
    draft, since the schedule schema is draft-06 yet names formats of later drafts."""
    validator = jsonschema.validators.validator_for(schema)
    validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def structured_data(page: Path) -> list[dict]:
    return [json.loads(script.string)
            for script in soup(page).find_all("script", type="application/ld+json")]


def schedule_events(schedule: dict) -> list[dict]:
    return [event for day in schedule["schedule"]["conference"]["days"]
            for room in day["rooms"].values() for event in room]


# ---------------------------------------------------------------- JSON-LD

@pytest.mark.parametrize("locale", LOCALES)
def test_home_page_describes_the_meeting_as_a_schema_org_event(real_dist, locale):
    [event] = structured_data(real_dist / locale / "index.html")
    validate(event, load_schema("google-event.schema.json"))
    assert event["startDate"] == "2025-02-26T09:00:00-06:00"
    assert event["endDate"] == "2025-02-27T12:15:00-06:00"
    assert event["inLanguage"] == locale
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    place, online = event["location"]
    assert place["address"]["streetAddress"].startswith("Callejón Flamencos #1")
    assert online == {"@type": "VirtualLocation", "url": load_site(REPOSITORY).event.online_url}
    title = soup(real_dist / locale / "index.html").h1.get_text(strip=True)
    # The page's French text is in French typography (’); the data keeps the organiser's.
    assert (french_text(event["name"]) if locale == "fr" else event["name"]) == title
    assert len(event["subEvent"]) == len(SESSIONS)  # breaks and lunch are not sub-events
    opening = event["subEvent"][0]
    assert opening["startDate"] == "2025-02-26T09:00:00-06:00"
    assert [p["name"].split(",")[0] for p in opening["performer"]] == [
        "Orlando Cabrera", "Ing. Sergio Z. Hernández Villaseñor"]  # as the seed's agenda names them


def test_json_ld_joined_from_each_session_is_what_tojson_writes_of_the_whole(real_dist):
    from jinja2.utils import htmlsafe_json_dumps
    for locale in LOCALES:
        script = soup(real_dist / locale / "index.html").find(
            "script", type="application/ld+json").string.strip()
        assert script == htmlsafe_json_dumps(json.loads(script), sort_keys=True)


def test_only_the_home_pages_carry_the_event(real_dist):
    pages = [p for p in real_dist.rglob("*.html") if structured_data(p)]
    assert sorted(p.relative_to(real_dist).as_posix() for p in pages) == [
        f"{locale}/index.html" for locale in LOCALES]


def test_json_ld_without_an_online_address_is_an_in_person_event_with_absolute_urls(
        sample_site, tmp_path):
    build_site(sample_site({"agenda.yaml": with_base_url(SAMPLE_AGENDA)}), tmp_path / "out")
    [event] = structured_data(tmp_path / "out/fr/index.html")
    validate(event, load_schema("google-event.schema.json"))
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert [place["@type"] for place in event["location"]] == ["Place"]
    assert event["url"] == f"{BASE_URL}fr/"
    assert event["subEvent"][0]["url"] == f"{BASE_URL}fr/agenda/opening/"
    assert event["subEvent"][0]["name"] == "1. Ouverture"


# ---------------------------------------------------------------- schedule.json

@pytest.fixture(scope="module")
def schedule(real_dist) -> dict:
    return json.loads((real_dist / "schedule.json").read_text(encoding="utf-8"))


def test_schedule_json_is_valid_against_the_published_schedule_schema(schedule):
    validate(schedule, load_schema("c3voc-schedule.schema.json"))
    assert schedule["$schema"] == "https://c3voc.de/schedule/schema.json"


def test_schedule_json_joined_from_each_session_is_what_json_writes_of_the_whole(real_dist):
    text = (real_dist / "schedule.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False) + "\n"


def test_schedule_json_holds_the_conference_its_days_and_every_slot(schedule):
    conference = schedule["schedule"]["conference"]
    assert (conference["acronym"], conference["start"], conference["end"]) == (
        "prtr_2025", "2025-02-26", "2025-02-27")
    assert conference["daysCount"] == 2 and conference["timeslot_duration"] == "00:05"
    assert conference["time_zone_name"] == "America/Mexico_City"
    assert [room["name"] for room in conference["rooms"]] == ["NOVOTEL México Centro Histórico"]
    assert [day["day_start"] for day in conference["days"]] == [
        "2025-02-26T09:00:00-06:00", "2025-02-27T09:00:00-06:00"]
    events = schedule_events(schedule)
    assert len(events) == 13  # every slot of the seed, breaks and lunch included
    session_2 = next(e for e in events if e["slug"] == "prtr-2025-session-2")
    assert (session_2["date"], session_2["start"], session_2["duration"]) == (
        "2025-02-26T09:20:00-06:00", "09:20", "01:40")
    assert session_2["title"] == "National PRTR Program Updates"
    assert session_2["url"] == "en/agenda/session-2/"  # relative: no base URL configured
    assert session_2["description"].startswith("- Canada’s National Pollutant Release")
    opening = next(e for e in events if e["slug"] == "prtr-2025-session-1")
    assert [p["name"] for p in opening["persons"]] == ["Orlando Cabrera",
                                                       "Sergio Z. Hernández Villaseñor"]
    continued = next(e for e in events if e["slug"] == "prtr-2025-session-4-continued")
    assert continued["subtitle"] == "Continuation of session 4."
    lunch = next(e for e in events if e["slug"] == "prtr-2025-lunch")
    assert (lunch["type"], lunch["title"]) == ("meal", "Lunch (provided)")


def test_schedule_guids_are_the_calendar_uids_and_ids_are_unique(schedule, real_dist):
    events = schedule_events(schedule)
    calendar = icalendar.Calendar.from_ical((real_dist / "en/calendar.ics").read_bytes())
    assert [e["guid"] for e in events] == [str(v["UID"]) for v in calendar.events]
    assert len({e["id"] for e in events}) == len(events)


def test_schedule_json_with_a_base_url_links_pages_absolutely_and_states_languages(
        sample_site, tmp_path):
    agenda = with_base_url(SAMPLE_AGENDA).replace(
        "        speakers: [ana]\n", "        speakers: [ana]\n        language: es\n")
    build_site(sample_site({"agenda.yaml": agenda}), tmp_path / "out")
    document = json.loads((tmp_path / "out/schedule.json").read_text(encoding="utf-8"))
    validate(document, load_schema("c3voc-schedule.schema.json"))
    opening, pause = schedule_events(document)
    assert opening["url"] == f"{BASE_URL}en/agenda/opening/"
    assert pause["url"] == f"{BASE_URL}en/agenda/#pause"
    assert (opening["language"], pause["language"]) == ("es", None)
    assert pause["title"] == "Break"
    assert document["schedule"]["base_url"] == BASE_URL
