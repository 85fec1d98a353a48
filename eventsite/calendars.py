"""The calendar stage: .ics files (RFC 5545) and add-to-calendar links, from the same entries.

Pure and deterministic: every timestamp comes from the `stamp` argument, every UID from the
event's and session's ids, so two builds write the same bytes and a re-imported file updates
the attendee's copy instead of duplicating it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import partial

from .changes import kept
from .markup import markdown_to_text
from .model import Day, Session, Site
from .plaintext import Gettext, day_name, session_details, session_title, venue_address
from .vtimezone import vtimezone_lines, writes_utc
from .write import Parts


@dataclass(frozen=True)
class Entry:
    """What every calendar (file or web form) says about one slot in one locale."""

    uid: str
    summary: str
    description: str
    location: str
    start: datetime
    end: datetime
    url: str | None
    free: bool
    sequence: int
    geo: tuple[float, float] | None


@dataclass(frozen=True)
class CalendarFile:
    """One .ics file: where it is written, the name it is saved under, what it holds."""

    path: str  # below dist/, e.g. "fr/agenda/session-3.ics"
    download: str  # e.g. "prtr-2025-session-3.ics": says what it is, ASCII only
    name: str  # the calendar's display name (X-WR-CALNAME)
    label: str  # what a link to it says: "Day 1", "The whole meeting"
    sessions: tuple[Session, ...]
    description: str | None = None  # what a calendar app shows about a subscribed calendar


@dataclass(frozen=True)
class AddToCalendar:
    """A slot's .ics file and the pre-filled 'new event' forms of the web calendars."""

    file: CalendarFile
    google: str
    outlook: str  # Outlook.com, personal Microsoft accounts
    office: str  # Outlook on the web for Microsoft 365 (work and school accounts)


def page_url(site: Site, session: Session, locale: str) -> str | None:
    """The slot's own page (or its place on the agenda); absolute, so only with a base URL."""
    if not site.base_url:
        return None
    if session.has_page:
        return f"{site.base_url}{locale}/agenda/{session.id}/"
    return f"{site.base_url}{locale}/agenda/#{session.id}"


def entry_description(site: Site, session: Session, locale: str, gettext: Gettext) -> str:
    """The details, then the meeting, the page's address and how to take part online."""
    event = site.event
    closing = [event.title.get(locale)]
    closing += [url for url in [page_url(site, session, locale)] if url]
    if event.online_url and not session.is_pause:
        closing.append(" ".join((gettext("Register to participate online:"), event.online_url)))
    details = session_details(event, session, locale, gettext)
    return "\n\n".join(part for part in (details, "\n".join(closing)) if part)


def session_entry(site: Site, session: Session, locale: str, gettext: Gettext,
                  described: bool = True) -> Entry:
    """The slot's entry; not `described`, with an empty description (see add_to_calendar)."""
    event = site.event
    return Entry(
        uid=event.uid(session.id), summary=session_title(session, locale, gettext),
        description=entry_description(site, session, locale, gettext) if described else "",
        location=venue_address(event.venue, locale), start=session.start, end=session.end,
        url=page_url(site, session, locale), free=session.is_free_time,
        sequence=session.sequence, geo=event.venue.geo)


def ascii_slug(text: str) -> str:
    """'Día 1' → 'dia-1': safe in any file system and any browser's download dialog."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def whole_file(site: Site, locale: str, gettext: Gettext) -> CalendarFile:
    event = site.event
    return CalendarFile(f"{locale}/calendar.ics", f"{event.id}.ics", event.title.get(locale),
                        gettext("The whole meeting"), event.sessions,
                        # One line: X-WR-CALDESC is written unescaped (raw_text), as before.
                        markdown_to_text(event.description.get(locale)))


def day_file(site: Site, day: Day, locale: str, gettext: Gettext) -> CalendarFile:
    event, name = site.event, day_name(day, locale, gettext)
    return CalendarFile(f"{locale}/agenda/{day.id}.ics", f"{event.id}-{ascii_slug(name)}.ics",
                        f"{event.short_title.get(locale)} – {name}", name, day.sessions)


def session_file(site: Site, session: Session, locale: str, gettext: Gettext) -> CalendarFile:
    title = session_title(session, locale, gettext)
    return CalendarFile(f"{locale}/agenda/{session.id}.ics",
                        f"{site.event.id}-{session.id}.ics", title, title, (session,))


def calendar_downloads(site: Site, locale: str, gettext: Gettext) -> tuple[CalendarFile, ...]:
    """The whole meeting and each day, breaks and meals included as free time."""
    return (whole_file(site, locale, gettext),
            *(day_file(site, day, locale, gettext) for day in site.event.days))


def calendar_files(site: Site, locale: str, gettext: Gettext,
                   only: frozenset[str] | None = None) -> tuple[CalendarFile, ...]:
    """Every .ics file of a locale: the downloads, then one per slot that is not a pause;
    with `only`, just the files that hold one of those sessions."""
    sessions = site.event.sessions
    return (*(file for file in calendar_downloads(site, locale, gettext)
              if only is None or any(s.id in only for s in file.sessions)),
            *(session_file(site, s, locale, gettext) for s in sessions
              if not s.is_pause and (only is None or s.id in only)))


def meeting_days(site: Site) -> tuple[date, date]:
    """The first day of the meeting and the day after its last: what its VTIMEZONE covers."""
    event = site.event
    return event.start.date(), event.end.date() + timedelta(days=1)


def text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped, any line break as \\n."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def raw_text(value: str) -> str:
    """X-WR-CALNAME and X-WR-CALDESC, Apple's properties of no RFC and no declared type, as
    icalendar writes unknown properties: commas and semicolons left alone. A line break would
    end the line, so it is \\n."""
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def utc_stamp(moment: datetime) -> str:
    return f"{utc(moment):%Y%m%dT%H%M%SZ}"


def date_time(name: str, moment: datetime, tzid: str | None) -> str:
    """'DTSTART;TZID=America/Mexico_City:20250226T092000', or in UTC (no tzid) '…Z'."""
    if tzid is None:
        return f"{name}:{utc_stamp(moment)}"
    return f"{name};TZID={tzid}:{moment:%Y%m%dT%H%M%S}"


def calendar_head(site: Site, file: CalendarFile, locale: str) -> list[str]:
    event = site.event
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0",
             f"PRODID:{text(f'-//eventsite//NONSGML {event.id}//{locale.upper()}')}",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if file.description is not None:
        lines += [f"DESCRIPTION:{text(file.description)}",
                  f"X-WR-CALDESC:{raw_text(file.description)}"]
    # NAME is RFC 7986's, and TEXT: escaped like every other text of the file.
    return [*lines, f"NAME:{text(file.name)}", f"X-WR-CALNAME:{raw_text(file.name)}",
            f"UID:{text(event.uid('calendar', file.path))}"]


def build_calendar(site: Site, file: CalendarFile, locale: str, *,
                   events: dict[str, bytes], vtimezone: bytes) -> Parts:
    """One VCALENDAR, with the VTIMEZONE its TZIDs name.

    `events` holds each session's VEVENT and `vtimezone` the zone's VTIMEZONE (or nothing),
    serialised once per locale: a session is in its own file, its day's and the whole
    meeting's, and Parts keeps them shared until they are written."""
    return Parts((serialise(calendar_head(site, file, locale)),
                  vtimezone if file.sessions else b"",
                  *(events[s.id] for s in file.sessions), b"END:VCALENDAR\r\n"))


def vevent(entry: Entry, stamp: datetime, tzid: str | None) -> bytes:
    """A VEVENT with explicit UID and DTSTAMP. The properties come in icalendar's order (its
    canonical ones, then by name), so files stay the bytes it wrote."""
    lines = ["BEGIN:VEVENT", f"SUMMARY:{text(entry.summary)}",
             date_time("DTSTART", entry.start, tzid), date_time("DTEND", entry.end, tzid),
             f"DTSTAMP:{utc_stamp(stamp)}", f"UID:{text(entry.uid)}",
             f"SEQUENCE:{entry.sequence}"]
    if entry.description:
        lines.append(f"DESCRIPTION:{text(entry.description)}")
    if entry.geo:
        latitude, longitude = entry.geo
        lines.append(f"GEO:{latitude};{longitude}")
    lines += [f"LAST-MODIFIED:{utc_stamp(stamp)}", f"LOCATION:{text(entry.location)}",
              f"TRANSP:{'TRANSPARENT' if entry.free else 'OPAQUE'}"]
    if entry.url is not None:
        lines.append(f"URL:{entry.url}")
    lines.append("END:VEVENT")
    return serialise(lines)


def serialise(lines: list[str]) -> bytes:
    """Content lines as a file holds them: each folded, each ended by CRLF."""
    return b"\r\n".join(map(fold, lines)) + b"\r\n"


def fold(line: str, limit: int = 75) -> bytes:
    """RFC 5545 §3.1: pieces of fewer than `limit` octets, never cutting a UTF-8 character, and
    (like icalendar since its issue #1501) never leaving a \\ or ^ escape at a piece's end."""
    data = line.encode("utf-8")
    if len(data) < limit:
        return data
    pieces, start = [], 0
    while len(data) - start >= limit:
        end = start + limit - 1
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: not a character boundary
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def build_calendars(site: Site, locale: str, gettext: Gettext, stamp: datetime,
                    only: frozenset[str] | None = None, memo: dict | None = None
                    ) -> dict[str, Parts]:
    """Every .ics file of one locale, as {path below dist/: its bytes}; with `only`, just the
    files that hold one of those sessions. `memo` keeps each session's VEVENT for the next
    build, as render.fragments explains."""
    zone, (first, last) = site.event.timezone, meeting_days(site)
    # A zone that is UTC itself is named by no TZID, so it needs no VTIMEZONE.
    tzid = None if writes_utc(zone, first, last) else zone

    def make(session: Session) -> bytes:
        return vevent(session_entry(site, session, locale, gettext), stamp, tzid)
    events = {s.id: kept(memo, ("vevent", locale, s.id), partial(make, s))
              for s in site.event.sessions}
    vtimezone = b"" if tzid is None else serialise(vtimezone_lines(zone, first, last))
    return {file.path: build_calendar(site, file, locale, events=events, vtimezone=vtimezone)
            for file in calendar_files(site, locale, gettext, only)}


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class WebForm:
    """An entry as the web calendars' forms take it: texts percent-encoded, once for the three
    links (the description is most of their length), and times in UTC."""

    title: str
    details: str
    location: str
    start: datetime
    end: datetime


def web_form(entry: Entry) -> WebForm:
    title, details, location = map(percent_encode,
                                   (entry.summary, entry.description, entry.location))
    return WebForm(title, details, location, utc(entry.start), utc(entry.end))


def google_link(form: WebForm, zone: str) -> str:
    """Google Calendar's event template: UTC times, shown in the event's zone by default."""
    dates = f"{form.start:%Y%m%dT%H%M%SZ}/{form.end:%Y%m%dT%H%M%SZ}"
    return "https://calendar.google.com/calendar/render?" + query(
        action="TEMPLATE", text=form.title, dates=percent_encode(dates), details=form.details,
        location=form.location, ctz=percent_encode(zone))


def outlook_links(form: WebForm) -> tuple[str, str]:
    """Outlook on the web's compose form at Outlook.com (personal Microsoft accounts) and at
    Microsoft 365 (work and school accounts); spaces as %20, since Outlook shows a '+' as a '+'."""
    fields = query(path=percent_encode("/calendar/action/compose"), rru="addevent",
                   startdt=percent_encode(f"{form.start:%Y-%m-%dT%H:%M:%SZ}"),
                   enddt=percent_encode(f"{form.end:%Y-%m-%dT%H:%M:%SZ}"),
                   subject=form.title, body=form.details, location=form.location)
    return (f"https://outlook.live.com/calendar/deeplink/compose?{fields}",
            f"https://outlook.office.com/calendar/deeplink/compose?{fields}")


def query(**encoded: str) -> str:
    """A query string of percent-encoded values, without the empty ones."""
    return "&".join(f"{key}={value}" for key, value in encoded.items() if value)


# urllib's quote(safe="") looks every byte up in a dict from Python: the session pages'
# calendar links took a third of their rendering. Here str.translate looks each byte up in C.
_ESCAPED = tuple(chr(byte) if chr(byte) in
                 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"
                 else f"%{byte:02X}" for byte in range(256))


def percent_encode(text: str) -> str:
    """RFC 3986 percent-encoding of UTF-8, as urllib.parse.quote(text, safe="") writes it."""
    # Latin-1 turns each UTF-8 byte into the character of the same number, for translate.
    return text.encode("utf-8").decode("latin-1").translate(_ESCAPED)


def add_to_calendar(site: Site, session: Session, locale: str, gettext: Gettext,
                    brief: bool = False) -> AddToCalendar:
    """A slot's .ics file and web calendar links, all from the one entry the file holds.

    `brief` links leave the description out (title, times and place stay): the agenda carries
    one set per session, and full descriptions, percent-encoded, would take it past its
    60 KB budget. The session's own page and its .ics carry the full text.
    """
    form = web_form(session_entry(site, session, locale, gettext, described=not brief))
    outlook, office = outlook_links(form)
    return AddToCalendar(session_file(site, session, locale, gettext),
                         google_link(form, site.event.timezone), outlook, office)
