"""A calendar's VTIMEZONE (RFC 5545 §3.6.5), computed from the tz database (`zoneinfo`).

It describes the meeting's days only, in the words icalendar's
`Timezone.from_tzid(zone, first_date=…, last_date=…)` used, so that the files stay the same
bytes as when icalendar wrote them: one STANDARD or DAYLIGHT observance from the first day's
midnight, then one per change of the UTC offset before the last day, each starting at the
first local time that shows the new offset.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# The offset is sampled every hour, then the change bisected to the second: no zone's
# clocks have ever changed twice within an hour.
SAMPLE_SECONDS = 3600
EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Observance:
    """A STANDARD or DAYLIGHT subcomponent: an offset, and the local times it begins at."""

    onsets: tuple[datetime, ...]  # naive local times: DTSTART, then RDATE
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


def utc_offset(zone: ZoneInfo, instant: int) -> timedelta:
    return datetime.fromtimestamp(instant, zone).utcoffset()


def offset_changes(zone: ZoneInfo, start: datetime, end: datetime):
    """(onset, offset before, offset after) of each change from the aware `start` until the
    naive local `end`. The onset is the first local time (the earlier of a repeated hour)
    with the new offset: just after a skipped hour, or just after a repeated one."""
    offset = start.utcoffset()
    low = int(start.timestamp()) - SAMPLE_SECONDS  # at `start` itself the clocks may jump
    while EPOCH + timedelta(seconds=low) + offset < end:
        high = low + SAMPLE_SECONDS
        if utc_offset(zone, high) != offset:
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if utc_offset(zone, middle) == offset else (low, middle)
            after = utc_offset(zone, high)
            onset = EPOCH + timedelta(seconds=high) + max(offset, after)
            if onset >= end:
                return
            yield onset, offset, after
            offset = after
        low = high


@lru_cache(maxsize=16)
def observances(zone: str, first: date, last: date) -> tuple[Observance, ...]:
    """The zone's observances from midnight on `first` until midnight on `last`.

    Changes to the same offsets and name are one observance with several onsets; the first
    day's offset is an observance of its own, even when a later change returns to it."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(), tz)
    offset = start.utcoffset()
    found: dict[tuple, list[datetime]] = {}
    changes = [(start.replace(tzinfo=None), None, offset),
               *offset_changes(tz, start, datetime.combine(last, time()))]
    for onset, before, after in changes:
        local = onset.replace(tzinfo=tz)
        found.setdefault((before, after, local.tzname(), bool(local.dst())), []).append(onset)
    return tuple(Observance(tuple(onsets), after if before is None else before, after, name,
                            daylight)
                 for (before, after, name, daylight), onsets in found.items())


def vtimezone_lines(zone: str, first: date, last: date) -> list[str]:
    """The VTIMEZONE's content lines, unfolded. Zone names and abbreviations are letters,
    digits, '/', '_', '+' and '-': nothing in them needs escaping or quoting."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone}",
             f"COMMENT:This timezone only works from {first} to {last}."]
    for observance in observances(zone, first, last):
        kind = "DAYLIGHT" if observance.daylight else "STANDARD"
        first_onset, *more = (f"{onset:%Y%m%dT%H%M%S}" for onset in observance.onsets)
        lines += [f"BEGIN:{kind}", f"DTSTART:{first_onset}",
                  *([f"RDATE:{','.join(more)}"] if more else []),
                  f"TZNAME:{observance.name}",
                  f"TZOFFSETFROM:{utc_offset_text(observance.offset_from)}",
                  f"TZOFFSETTO:{utc_offset_text(observance.offset_to)}", f"END:{kind}"]
    lines.append("END:VTIMEZONE")
    return lines


def utc_offset_text(offset: timedelta) -> str:
    """'-0600', '+0530', '+0000'; seconds only when there are some ('-003436')."""
    sign = "-" if offset < timedelta(0) else "+"
    minutes, seconds = divmod(int(abs(offset).total_seconds()), 60)
    text = f"{sign}{minutes // 60:02}{minutes % 60:02}"
    return f"{text}{seconds:02}" if seconds else text


def writes_utc(zone: str, first: date, last: date) -> bool:
    """Whether times are written in UTC ('…Z', no TZID, no VTIMEZONE), as icalendar wrote them
    for a zone whose clocks have shown UTC since 1970: UTC, Etc/GMT, Africa/Abidjan, Iceland…"""
    return (all(o.offset_to == timedelta(0) for o in observances(zone, first, last))
            and utc_since_1970(zone, last.year))


@lru_cache(maxsize=16)
def utc_since_1970(zone: str, until: int) -> bool:
    """Sampled twice a month up to the year `until`; the meeting's days are checked exactly."""
    tz = ZoneInfo(zone)
    return all(datetime(year, month, day, 12, tzinfo=tz).utcoffset() == timedelta(0)
               for year in range(1970, until + 1) for month in range(1, 13) for day in (1, 15))
