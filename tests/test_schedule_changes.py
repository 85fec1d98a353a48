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
