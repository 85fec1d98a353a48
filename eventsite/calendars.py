"""The calendar stage: .ics files (RFC 5545, through the icalendar library) and
add-to-calendar links, from the same entries.

Pure and deterministic: every timestamp comes from the `stamp` argument, every UID from the
event's and session's ids, so two builds write the same bytes and a re-imported file updates
the attendee's copy instead of duplicating it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo
from urllib.parse import quote

from icalendar import Calendar, Event, Timezone, vDuration, vText

from . import versions
from .markup import markdown_to_text
from .model import Day, Session, Site
from .plaintext import Gettext, day_name, session_details, session_title, venue_address
from .typography import typeset


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
    cancelled: bool = False
    last_modified: datetime | None = None  # the last published version that changed it


@dataclass(frozen=True)
class CalendarFile:
    """One .ics file: where it is written, the name it is saved under, what it holds."""

    path: str  # below dist/, e.g. "fr/agenda/session-3.ics"
    download: str  # e.g. "prtr-2025-session-3.ics": says what it is, ASCII only
    name: str  # the calendar's display name (NAME, X-WR-CALNAME)
    label: str  # what a link to it says: "Day 1", "The whole meeting"
    sessions: tuple[Session, ...]
    description: str | None = None  # what a calendar app shows about a subscribed calendar
    subscribable: bool = False  # the whole meeting and each day: apps may subscribe to them


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
    """The slot's entry; not `described`, with the page's address for a description (see
    add_to_calendar)."""
    event = site.event
    url = page_url(site, session, locale)
    description = entry_description(site, session, locale, gettext) if described else url
    return Entry(
        uid=event.uid(session.id), summary=typeset(calendar_summary(site, session, locale, gettext),
                                                   locale),
        description=typeset(description or "", locale),
        location=typeset(venue_address(event.venue, locale), locale), start=session.start,
        end=session.end,
        url=url, free=session.is_free_time,
        sequence=session.sequence + versions.sequence(site, session),
        geo=event.venue.geo, cancelled=session.cancelled,
        last_modified=changed_at(site, session))


def changed_at(site: Site, session: Session) -> datetime | None:
    """Midnight at the meeting's place on the date of the last version that changed it."""
    day = versions.last_changed(site.versions, session.id)
    return datetime.combine(day, time(0), ZoneInfo(site.event.timezone)) if day else None


def calendar_summary(site: Site, session: Session, locale: str, gettext: Gettext) -> str:
    """The title, after "Cancelled:" for a cancelled session: not every calendar app shows
    STATUS:CANCELLED."""
    title = session_title(site.event, session, locale, gettext)
    return " ".join((gettext("Cancelled:"), title)) if session.cancelled else title


def ascii_slug(text: str) -> str:
    """'Día 1' → 'dia-1': safe in any file system and any browser's download dialog."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def whole_file(site: Site, locale: str, gettext: Gettext) -> CalendarFile:
    event = site.event
    return CalendarFile(f"{locale}/calendar.ics", f"{event.id}.ics",
                        typeset(event.title.get(locale), locale),
                        gettext("The whole meeting"), event.sessions,
                        typeset(markdown_to_text(event.description.get(locale)), locale),
                        subscribable=True)


def day_file(site: Site, day: Day, locale: str, gettext: Gettext) -> CalendarFile:
    event, name = site.event, day_name(day, locale, gettext)
    return CalendarFile(f"{locale}/agenda/{day.id}.ics", f"{event.id}-{ascii_slug(name)}.ics",
                        typeset(f"{event.short_title.get(locale)} – {name}", locale), name,
                        day.sessions,
                        subscribable=True)


def session_file(site: Site, session: Session, locale: str, gettext: Gettext) -> CalendarFile:
    title = session_title(site.event, session, locale, gettext)
    return CalendarFile(session_file_path(session, locale), f"{site.event.id}-{session.id}.ics",
                        typeset(title, locale), title, (session,))


def session_file_path(session: Session, locale: str) -> str:
    return f"{locale}/agenda/{session.id}.ics"


def calendar_downloads(site: Site, locale: str, gettext: Gettext) -> tuple[CalendarFile, ...]:
    """The whole meeting and each day, breaks and meals included as free time."""
    return (whole_file(site, locale, gettext),
            *(day_file(site, day, locale, gettext) for day in site.event.days))


def vevent(entry: Entry, stamp: datetime) -> Event:
    """The slot as a VEVENT, with an explicit UID and DTSTAMP (icalendar would otherwise
    invent both)."""
    found = Event()
    found.add("uid", entry.uid)
    found.add("dtstamp", stamp)
    found.add("last-modified", (entry.last_modified or stamp).astimezone(timezone.utc))
    found.add("sequence", entry.sequence)
    found.add("summary", entry.summary)
    found.add("dtstart", entry.start)
    found.add("dtend", entry.end)
    found.add("location", entry.location)
    found.add("transp", "TRANSPARENT" if entry.free else "OPAQUE")
    if entry.cancelled:
        found.add("status", "CANCELLED")  # kept in the files, so that calendars remove it
    if entry.description:
        found.add("description", entry.description)
    if entry.geo:
        found.add("geo", entry.geo)
    if entry.url:
        found.add("url", entry.url)
    return found


def calendar_head(site: Site, file: CalendarFile, locale: str) -> Calendar:
    """The VCALENDAR's own properties, for an app that lists or subscribes to the file."""
    event = site.event
    head = Calendar()
    head.add("version", "2.0")
    head.add("prodid", f"-//eventsite//NONSGML {event.id}//{locale.upper()}")
    head.add("calscale", "GREGORIAN")
    head.add("method", "PUBLISH")  # REQUEST would make Outlook treat it as an invitation
    head.add("uid", event.uid("calendar", file.path))
    head.add("name", vText(file.name))  # RFC 7986 makes it TEXT; icalendar does not know it
    head.add("x-wr-calname", file.name)  # the same, for Apple Calendar and Outlook
    if file.description is not None:
        head.add("description", file.description)
        head.add("x-wr-caldesc", file.description)
    if file.subscribable:  # how often a subscribed app should look for changes
        head.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})  # RFC 7986
        head.add("x-published-ttl", vDuration(REFRESH))  # the same, for Outlook
    return head


REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class Subscription:
    """A calendar file to subscribe to: updates then reach the attendee's calendar."""

    file: CalendarFile
    address: str  # https://…
    webcal: str  # Apple Calendar, Thunderbird, and most desktop apps
    google: str
    outlook: str  # Outlook.com
    office: str  # Microsoft 365


def subscription(site: Site, file: CalendarFile) -> Subscription:
    """How to subscribe to a calendar file published at site.base_url."""
    address = f"{site.base_url}{file.path}"
    webcal = "webcal://" + address.split("://", 1)[1]
    adding = query(url=address, name=file.name)
    return Subscription(
        file, address, webcal, f"https://calendar.google.com/calendar/r?{query(cid=webcal)}",
        f"https://outlook.live.com/calendar/0/addfromweb?{adding}",
        f"https://outlook.office.com/calendar/0/addfromweb?{adding}")


def subscriptions(site: Site, locale: str, gettext: Gettext) -> tuple[Subscription, ...]:
    """The whole meeting and each day to subscribe to; none without a base URL (a calendar
    app subscribes to a full address)."""
    if not site.base_url:
        return ()
    return tuple(subscription(site, file) for file in calendar_downloads(site, locale, gettext))


_END = b"END:VCALENDAR\r\n"


@dataclass
class LocaleCalendars:
    """The .ics files of one locale. Each session's VEVENT is serialised once (icalendar's
    to_ical) and shared by the files that hold it: its own, its day's and the whole meeting's.
    Calendar.to_ical() writes a calendar's components one after the other, so putting the
    serialised ones between its head and its end writes the same bytes."""

    site: Site
    locale: str
    gettext: Gettext
    stamp: datetime
    vtimezone: bytes  # the meeting's VTIMEZONE (meeting_timezone), the same in every locale
    _events: dict[str, bytes] = field(default_factory=dict, repr=False)

    def event_bytes(self, session: Session) -> bytes:
        if session.id not in self._events:
            entry = session_entry(self.site, session, self.locale, self.gettext)
            self._events[session.id] = vevent(entry, self.stamp).to_ical()
        return self._events[session.id]

    def file_bytes(self, file: CalendarFile) -> bytes:
        head = calendar_head(self.site, file, self.locale).to_ical()
        events = b"".join(self.event_bytes(session) for session in file.sessions)
        return b"".join((head[:-len(_END)], self.vtimezone, events, _END))


def meeting_timezone(site: Site) -> bytes:
    """The VTIMEZONE of the meeting's zone over its dates (RFC 5545 §3.2.19: every TZID used
    needs one); none where icalendar writes the meeting's times in UTC, with a Z."""
    event = site.event
    probe = Event()
    probe.add("dtstart", event.start)
    if b";TZID=" not in probe.to_ical():
        return b""
    return Timezone.from_tzid(event.timezone, first_date=event.start.date(),
                              last_date=event.end.date() + timedelta(days=1)).to_ical()


def utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def percent_encode(text: str) -> str:
    """RFC 3986 percent-encoding of UTF-8; spaces as %20, since Outlook shows a '+' as a '+'."""
    return quote(text, safe="")


def query(**values: str) -> str:
    """A query string of percent-encoded values, without the empty ones."""
    return "&".join(f"{key}={percent_encode(value)}" for key, value in values.items() if value)


def google_link(entry: Entry, zone: str) -> str:
    """Google Calendar's event template: UTC times, shown in the event's zone by default."""
    dates = f"{utc(entry.start):%Y%m%dT%H%M%SZ}/{utc(entry.end):%Y%m%dT%H%M%SZ}"
    return "https://calendar.google.com/calendar/render?" + query(
        action="TEMPLATE", text=entry.summary, dates=dates, details=entry.description,
        location=entry.location, ctz=zone)


def outlook_links(entry: Entry) -> tuple[str, str]:
    """Outlook on the web's compose form at Outlook.com (personal Microsoft accounts) and at
    Microsoft 365 (work and school accounts)."""
    fields = query(path="/calendar/action/compose", rru="addevent",
                   startdt=f"{utc(entry.start):%Y-%m-%dT%H:%M:%SZ}",
                   enddt=f"{utc(entry.end):%Y-%m-%dT%H:%M:%SZ}",
                   subject=entry.summary, body=entry.description, location=entry.location)
    return (f"https://outlook.live.com/calendar/deeplink/compose?{fields}",
            f"https://outlook.office.com/calendar/deeplink/compose?{fields}")


def add_to_calendar(site: Site, session: Session, locale: str,
                    gettext: Gettext) -> AddToCalendar:
    """A slot's .ics file and web calendar links. The links carry the title, times, place and
    (with a base URL) the page's address, not the whole description: pre-filled, it weighs
    4-6 kB a link, three links a slot. The .ics file carries it all."""
    entry = session_entry(site, session, locale, gettext, described=False)
    outlook, office = outlook_links(entry)
    return AddToCalendar(session_file(site, session, locale, gettext),
                         google_link(entry, site.event.timezone), outlook, office)
