"""The .ics text eventsite writes itself, against what icalendar 7.3 wrote for the same entries
and zones (it wrote these files before): the same bytes, or, where icalendar was wrong, the
tz database's offsets and NAME escaped as the TEXT RFC 7986 makes it."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
from icalendar.timezone.tzid import tzid_from_tzinfo
from zoneinfo import ZoneInfo, available_timezones

from conftest import SAMPLE_AGENDA
from eventsite.build import prepare
from eventsite.calendars import (Entry, build_calendars, calendar_files, meeting_days, serialise,
                                 session_entry, text, vevent)
from eventsite.vtimezone import observances, vtimezone_lines, writes_utc

UTC = timezone.utc
STAMP = datetime(2025, 2, 10, 6, tzinfo=UTC)


def icalendar_vevent(entry: Entry, stamp: datetime) -> icalendar.Event:
    """The VEVENT as eventsite made it with icalendar."""
    component = icalendar.Event.new(
        uid=entry.uid, stamp=stamp, last_modified=stamp, sequence=entry.sequence,
        start=entry.start, end=entry.end, summary=entry.summary,
        description=entry.description or None, location=entry.location, url=entry.url,
        transparency="TRANSPARENT" if entry.free else "OPAQUE")
    if entry.geo:
        component.add("geo", entry.geo)
    return component


def icalendar_file(plan, file, locale: str) -> bytes:
    """A whole .ics file as eventsite made it with icalendar: header, VTIMEZONE over the
    meeting's days when a TZID needs one, and the sessions' VEVENTs."""
    site, gettext = plan.site, plan.gettexts[locale]
    calendar = icalendar.Calendar.new(
        prodid=f"-//eventsite//NONSGML {site.event.id}//{locale.upper()}", method="PUBLISH",
        calscale="GREGORIAN", name=file.name, uid=site.event.uid("calendar", file.path),
        description=file.description)
    calendar["NAME"] = icalendar.vText(file.name)  # icalendar writes it as of unknown type
    calendar.subcomponents += [icalendar_vevent(session_entry(site, s, locale, gettext),
                                                plan.stamp) for s in file.sessions]
    first, last = meeting_days(site)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


# ---------------------------------------------------------------- whole files

TRICKY_DESCRIPTION = """\
Ein Überblick; zwei Teile, drei Fragen\\Antworten — «Coût» 10 €, 𝄞 and 中文 text that runs
long enough to be folded several times at seventy-five octets, with **bold**, `code <b>`,
&amp; entities &lt;tags&gt; and a [link](https://example.org/a,b;c).

- a list, with commas
- and; semicolons
"""


def tricky_agenda(zone: str, day: str, start: str) -> str:
    """The sample agenda in `zone`, its day the day before `day`, then on `day` a slot from
    `start` to 03:30 whose description holds everything that needs escaping or folding, and
    a meal; with a base URL and the venue's coordinates."""
    before = date.fromisoformat(day) - timedelta(days=1)
    agenda = SAMPLE_AGENDA.replace("America/Mexico_City", zone).replace("2025-02-26",
                                                                        before.isoformat())
    agenda = agenda.replace("  locales: [en, es, fr]\n",
                            "  locales: [en, es, fr]\n  base_url: https://example.org/m/\n")
    agenda = agenda.replace("    country: MX\n",
                            "    country: MX\n    geo: {lat: 48.8566, lon: 2}\n")
    description = "".join(f"          {line}\n" for line in TRICKY_DESCRIPTION.splitlines())
    return agenda + (f"  - date: {day}\n    sessions:\n"
                     f'      - id: late\n        start: "{start}"\n        end: "03:30"\n'
                     "        title: {en: 'Late, later; latest', es: Tarde, fr: Tard}\n"
                     f"        description: |\n{description}"
                     '      - id: dinner\n        kind: meal\n        start: "20:00"\n'
                     '        end: "22:00"\n')


@pytest.mark.parametrize("zone, day, start", [
    ("Europe/Paris", "2025-03-30", "01:30"),  # the clocks go forward during the session
    ("America/New_York", "2025-11-02", "00:30"),  # and back
    ("Australia/Lord_Howe", "2025-04-06", "01:00"),  # back by half an hour
    ("Asia/Kolkata", "2025-01-10", "01:30"),  # +05:30 all year
    ("UTC", "2025-01-10", "01:30"),  # no VTIMEZONE: times in UTC
    ("Africa/Abidjan", "2025-01-10", "01:30"),  # UTC since 1970: written as UTC too
])
def test_every_file_is_the_bytes_icalendar_wrote(sample_site, zone, day, start):
    plan = prepare(sample_site({"agenda.yaml": tricky_agenda(zone, day, start)}), cache=False)
    for locale in plan.site.locales:
        written = build_calendars(plan.site, locale, plan.gettexts[locale], plan.stamp)
        files = calendar_files(plan.site, locale, plan.gettexts[locale])
        assert written.keys() == {file.path for file in files}
        for file in files:
            assert bytes(written[file.path]) == icalendar_file(plan, file, locale), file.path
    whole = bytes(written["fr/calendar.ics"])
    assert (b"BEGIN:VTIMEZONE" in whole) == (zone not in ("UTC", "Africa/Abidjan"))
    assert b"GEO:48.8566;2.0" in whole and b"TRANSP:TRANSPARENT" in whole


# ---------------------------------------------------------------- VTIMEZONE

ZONE_RANGES = [
    ("America/Mexico_City", "2025-02-26", "2025-02-28"),  # the PRTR meeting: one offset
    ("Europe/Paris", "2025-03-28", "2025-04-02"),  # forward inside the meeting
    ("Europe/Paris", "2025-10-24", "2025-10-29"),  # back
    ("America/New_York", "2025-03-08", "2025-03-11"),
    ("America/New_York", "2025-11-01", "2025-11-04"),
    ("Australia/Lord_Howe", "2025-04-04", "2025-04-08"),  # half an hour back
    ("Australia/Lord_Howe", "2025-10-03", "2025-10-07"),  # and forward
    ("Asia/Kolkata", "2025-01-10", "2025-01-14"),  # +0530
    ("Asia/Kathmandu", "2025-01-10", "2025-01-14"),  # +0545
    ("Pacific/Chatham", "2025-04-04", "2025-04-08"),  # +1345 to +1245
    ("America/St_Johns", "2025-11-01", "2025-11-04"),  # -0230 to -0330
    ("America/Santiago", "2025-09-07", "2025-09-09"),  # forward at the first midnight itself
    ("Europe/Dublin", "2025-10-24", "2025-10-29"),  # winter time is Irish "daylight" time
    ("Europe/Paris", "2025-03-01", "2026-04-02"),  # the same change twice: DTSTART and RDATE
    ("Africa/Monrovia", "1972-01-05", "1972-01-09"),  # from -0:44:30, an offset with seconds
]


@pytest.mark.parametrize("zone, first, last", ZONE_RANGES)
def test_the_vtimezone_is_the_bytes_icalendar_wrote(zone, first, last):
    first, last = date.fromisoformat(first), date.fromisoformat(last)
    expected = icalendar.Timezone.from_tzid(zone, first_date=first, last_date=last).to_ical()
    assert serialise(vtimezone_lines(zone, first, last)) == expected


def local_offsets(tz, zone: str, first: date, last: date) -> list[timedelta]:
    """The UTC offset `tz` gives each quarter hour of local time from midnight on `first` to
    midnight on `last`, that the zone's clocks show once (neither skipped nor repeated)."""
    real, moment, offsets = ZoneInfo(zone), datetime.combine(first, time()), []
    while moment < datetime.combine(last, time()):
        once = moment.replace(tzinfo=real, fold=0), moment.replace(tzinfo=real, fold=1)
        if once[0].utcoffset() == once[1].utcoffset():
            offsets.append(moment.replace(tzinfo=tz).utcoffset())
        moment += timedelta(minutes=15)
    return offsets


@pytest.mark.parametrize("zone, first, last", [
    *ZONE_RANGES,
    # Ramadan: Morocco's clocks go back from 23 February to 6 April 2025. icalendar's search,
    # which leaps 64 days at a time, missed that change; the tz database's offset is written.
    ("Africa/Casablanca", "2025-02-20", "2025-02-26"),
])
def test_a_calendar_app_reads_the_tz_databases_offset_for_every_local_time(zone, first, last):
    first, last = date.fromisoformat(first), date.fromisoformat(last)
    parsed = icalendar.Timezone.from_ical(serialise(vtimezone_lines(zone, first, last)))
    assert (local_offsets(parsed.to_tz(lookup_tzid=False), zone, first, last)
            == local_offsets(ZoneInfo(zone), zone, first, last))


def test_morocco_during_ramadan_has_both_offsets():
    found = observances("Africa/Casablanca", date(2025, 2, 20), date(2025, 2, 26))
    assert [(o.offset_to, o.daylight, o.onsets) for o in found] == [
        (timedelta(hours=1), False, (datetime(2025, 2, 20),)),
        (timedelta(0), True, (datetime(2025, 2, 23, 3),))]


def test_zones_written_in_utc_are_those_icalendar_wrote_in_utc():
    first, last = date(2025, 3, 1), date(2025, 3, 4)
    zones = sorted(available_timezones() - {"localtime", "Factory"})
    ours = {zone for zone in zones if writes_utc(zone, first, last)}
    assert ours == {zone for zone in zones if tzid_from_tzinfo(ZoneInfo(zone)) == "UTC"}
    assert {"UTC", "Etc/GMT", "Africa/Abidjan", "Iceland"} <= ours
    assert "Europe/London" not in ours  # GMT in winter, but a zone of its own


# ---------------------------------------------------------------- VEVENT and TEXT

ALPHABET = "abcxyz éü–€𝄞中 ,;:\\\"^\n\r\n\r"


def random_text(rng: random.Random, longest: int) -> str:
    # No capital N: icalendar read a backslash and N in the text as a line break (see below).
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


@pytest.mark.parametrize("zone", ["America/Mexico_City", "Asia/Kolkata", "UTC", "Etc/GMT"])
def test_vevents_are_the_bytes_icalendar_wrote(zone):
    rng = random.Random(zone)
    tz = ZoneInfo(zone)
    tzid = None if writes_utc(zone, date(2025, 3, 1), date(2025, 3, 2)) else zone
    for number in range(300):
        start = datetime(2025, 3, 1, rng.randint(0, 22), rng.choice((0, 15, 59)), tzinfo=tz)
        entry = Entry(uid=f"uid-{number}", summary=random_text(rng, 80),
                      description=random_text(rng, 400), location=random_text(rng, 120),
                      start=start, end=start + timedelta(minutes=rng.randint(5, 60)),
                      url=rng.choice((None, f"https://example.org/m/{number}/")),
                      free=rng.random() < 0.3, sequence=rng.randint(0, 3),
                      geo=rng.choice((None, (19.4297, -99.1347), (-33.0, 151.25))))
        assert vevent(entry, STAMP, tzid) == icalendar_vevent(entry, STAMP).to_ical(), entry


def test_text_escapes_a_backslash_before_n_that_icalendar_read_as_a_line_break():
    # icalendar 7.3 turned "\N" into a line break before escaping: C:\New came back as
    # "C:" and "ew" on two lines. Escaped as RFC 5545 says, it comes back as written.
    escaped = text("C:\\New, C:\\n")
    assert escaped == "C:\\\\New\\, C:\\\\n"
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nSUMMARY:{escaped}\r\nEND:VEVENT\r\n")
    assert str(event["SUMMARY"]) == "C:\\New, C:\\n"
