"""The site as plain immutable data: what templates, calendars and the PDF receive."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Iterator
from urllib.parse import quote_plus

if TYPE_CHECKING:
    from .brand import Brand

# The namespace of eventsite's name-based UUIDs (RFC 4122 §4.3): the same event and session ids
# give the same UUID on every machine, in every build and in every locale.
UUID_NAMESPACE = bytes.fromhex("058fa383c59c4d408430b92b203ccdca")


def name_uuid(name: str) -> str:
    """uuid.uuid5(UUID_NAMESPACE, name) as text, without the uuid module (which loads the
    platform module: a hundredth of a small site's build)."""
    digest = bytearray(hashlib.sha1(UUID_NAMESPACE + name.encode("utf-8")).digest()[:16])
    digest[6] = digest[6] & 0x0F | 0x50  # version 5
    digest[8] = digest[8] & 0x3F | 0x80  # RFC 4122 variant
    hex_digits = digest.hex()
    return "-".join((hex_digits[:8], hex_digits[8:12], hex_digits[12:16], hex_digits[16:20],
                     hex_digits[20:]))


@dataclass(frozen=True, slots=True)
class Source:
    """Where a model object was defined, so later stages can still point at the line."""

    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")


@dataclass(frozen=True, slots=True)
class Text:
    """Human-readable text in several languages; `same` marks a proper name."""

    values: tuple[tuple[str, str], ...]
    fallback: str
    same: bool = False
    key: str = field(default="", compare=False)  # the field it was read from, e.g. "title"
    source: Source | None = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return bool(self.values)

    def has(self, locale: str) -> bool:
        return any(code == locale for code, _ in self.values)

    def lang(self, locale: str) -> str:
        """The language the text is actually in when shown on a `locale` page."""
        return locale if self.has(locale) else self.fallback

    def get(self, locale: str) -> str:
        # Called for every text of every page: scanning two or three pairs beats a dict.
        for code, value in self.values:
            if code == locale:
                return value
        for code, value in self.values:
            if code == self.fallback:
                return value
        return ""

    def __str__(self) -> str:  # pragma: no cover - guards against a template forgetting |t
        raise TypeError("Text must be shown with the |t or |md filter, which marks its language")


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: Text
    honorific: Text | None
    role: Text | None
    affiliation: Text | None
    # Where it was written is not part of what it is: an edit above it leaves it unchanged.
    source: Source = field(compare=False)


@dataclass(frozen=True, slots=True)
class Item:
    """A sub-item of a session: a talk, a discussion point, a national programme."""

    title: Text
    description: Text | None
    speakers: tuple[Person, ...]
    items: tuple["Item", ...]


@dataclass(frozen=True, slots=True)
class Session:
    """One time slot of the agenda: a numbered session, a break, a meal."""

    id: str
    kind: str
    number: str | None
    start: datetime
    end: datetime
    title: Text | None
    description: Text | None
    speakers: tuple[Person, ...]
    items: tuple[Item, ...]
    continues: str | None
    room: Text | None
    language: str | None
    interpretation: tuple[str, ...]
    sequence: int
    source: Source = field(compare=False)  # as for Person
    cancelled: bool = False  # `status: cancelled`: kept everywhere, shown as cancelled
    note: Text | None = None  # shown with the session, e.g. why it was cancelled

    @property
    def duration(self) -> timedelta:
        # Through UTC: Python subtracts two times of the same zone by their clock faces, which
        # is an hour off for a session that spans a daylight-saving change.
        return self.end.astimezone(timezone.utc) - self.start.astimezone(timezone.utc)

    @property
    def is_free_time(self) -> bool:
        """Breaks, meals and receptions: shown everywhere, but never block a calendar."""
        return self.kind != "session"

    @property
    def is_pause(self) -> bool:
        """A break or a meal: in the agenda and the day's calendar, never offered on its own."""
        return self.kind in ("break", "meal")

    @property
    def has_page(self) -> bool:
        return bool(self.description or self.speakers or self.items)


@dataclass(frozen=True)
class Day:
    number: int
    date: date
    title: Text | None
    sessions: tuple[Session, ...]

    @property
    def id(self) -> str:
        return f"day-{self.number}"

    @property
    def start(self) -> datetime:
        return self.sessions[0].start

    @cached_property  # pages ask on every render; a congress day has hundreds of slots
    def end(self) -> datetime:
        return max(s.end for s in self.sessions)


@dataclass(frozen=True)
class Venue:
    name: Text
    street: Text
    locality: Text
    region: Text | None
    postal_code: str | None
    country: str
    geo: tuple[float, float] | None
    directions: Text | None = None  # Markdown: how to get there
    accessibility: Text | None = None  # Markdown: step-free access, lifts, toilets…

    @property
    def map_url(self) -> str:
        """OpenStreetMap, a plain link (no embedded map, no request from the page): a marker at
        `geo`, or else a search for the street address and city."""
        if self.geo:
            lat, lon = (f"{value:.6f}".rstrip("0").rstrip(".") for value in self.geo)
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        first = self.locality.fallback
        query = ", ".join((self.street.get(first), self.locality.get(first)))
        return f"https://www.openstreetmap.org/search?query={quote_plus(query)}"


@dataclass(frozen=True)
class Contact:
    person: Person | None
    phone: str | None  # as the organiser writes it, in international form: +1 514 350-4323
    email: str | None
    phone_uri: str | None = None  # the number for a link: tel:+15143504323


LARGE_PROGRAMME = 60  # slots: see Event.is_large


@dataclass(frozen=True)
class Event:
    id: str
    title: Text
    short_title: Text
    organizer_name: Text
    organizer_url: str | None
    timezone: str
    description: Text
    venue: Venue
    online_url: str | None  # where the register action leads
    online_platform: Text | None  # what online participants join with
    online_note: Text | None
    interpretation: tuple[str, ...]  # languages the meeting is interpreted into
    contact: Contact
    updated: date | None
    days: tuple[Day, ...]

    # Cached: every page asks, and a congress has thousands of sessions (the cost must stay
    # linear in their number). The model is immutable, so the caches never go stale.
    @cached_property
    def sessions(self) -> tuple[Session, ...]:
        return tuple(s for day in self.days for s in day.sessions)

    @cached_property
    def _by_id(self) -> dict[str, tuple[Session, Day]]:
        return {s.id: (s, day) for day in self.days for s in day.sessions}

    @property
    def offset_changes(self) -> tuple[Day, ...]:
        """The first day, and each day whose UTC offset differs from the day before's (a
        meeting over a daylight-saving change)."""
        return tuple(day for index, day in enumerate(self.days) if index == 0
                     or day.start.utcoffset() != self.days[index - 1].start.utcoffset())

    @property
    def is_large(self) -> bool:
        """A programme of more than LARGE_PROGRAMME slots: its home page lists the days, not
        every session, and each session carries its own structured data, so that the home
        page stays small (under 100 kB) whatever the programme's size."""
        return len(self.sessions) > LARGE_PROGRAMME

    @property
    def start(self) -> datetime:
        return self.days[0].start

    @property
    def end(self) -> datetime:
        return self.days[-1].end

    def uid(self, *names: str) -> str:
        """A UUID that names one thing of this event (a session id, a person…) for ever."""
        return name_uuid("/".join((self.id, *names)))

    def session(self, session_id: str) -> Session:
        return self._by_id[session_id][0]

    def day_of(self, session: Session) -> Day:
        return self._by_id[session.id][1]

    @cached_property
    def _parts(self) -> dict[str, tuple[Session, ...]]:
        def first_part(session: Session) -> Session:
            while session.continues:  # validation has ruled out loops
                session = self.session(session.continues)
            return session

        groups: dict[str, list[Session]] = {}
        for session in self.sessions:
            if session.continues:
                origin = first_part(session)
                groups.setdefault(origin.id, [origin]).append(session)
        return {part.id: tuple(sorted(group, key=lambda s: s.start))
                for group in groups.values() for part in group}

    def parts(self, session: Session) -> tuple[Session, ...]:
        """A session split by a break: its first part and each continuation, in time order,
        whichever part is asked about; () for a session in one piece."""
        return self._parts.get(session.id, ())


@dataclass(frozen=True)
class Page:
    """A prose page from content/<locale>/<slug>.md."""

    slug: str
    locale: str
    title: str
    description: str
    menu: int | None
    body: str  # Markdown source; rendered by the render stage
    source: Source = field(compare=False)  # as for Person
    shows: str | None = None  # what of agenda.yaml it shows too (content.SHOWS)


@dataclass(frozen=True, slots=True)
class HouseStyle:
    """How one language of the site writes dates and times (site.formats): the CLDR locale its
    formats come from, and its clock (None: the language's house default, see formats)."""

    language: str  # the site's locale code: fr, pt-BR
    cldr: str  # fr_CA, es_MX
    clock: int | None = None  # 12 or 24


@dataclass(frozen=True)
class Site:
    locales: tuple[str, ...]
    base_url: str | None
    event: Event
    pages: tuple[Page, ...]
    warnings: tuple = field(default=(), compare=False)
    versions: tuple = ()  # the published versions of the schedule (versions.Version)
    brand: Brand | None = None  # the organiser's logo, accent colour and fonts
    # (locale, unit id) of the machine translations not yet reviewed (units.py): their pages
    # tell visitors so, with a link to the original.
    unreviewed: frozenset = field(default=frozenset(), compare=False)
    styles: tuple[HouseStyle, ...] = ()  # those the organiser chose, by language

    @property
    def default_locale(self) -> str:
        return self.locales[0]

    def style(self, locale: str) -> HouseStyle:
        """The language's chosen style, or its own CLDR locale with the house clock."""
        return next((s for s in self.styles if s.language == locale),
                    HouseStyle(locale, locale.replace("-", "_")))

    def pages_in(self, locale: str) -> tuple[Page, ...]:
        return tuple(p for p in self.pages if p.locale == locale)


def markdown_texts(event: Event) -> Iterator[Text]:
    """The texts of the agenda written in Markdown (the others are shown as they are): the
    event's description and online note, the venue's directions and accessibility, and the
    sessions' and their items' descriptions."""
    yield from (text for text in (event.description, event.online_note, event.venue.directions,
                                  event.venue.accessibility) if text)
    pending = [item for session in event.sessions for item in session.items]
    yield from (session.description for session in event.sessions if session.description)
    while pending:
        item = pending.pop()
        if item.description:
            yield item.description
        pending += item.items


def texts_of(value) -> tuple[Text, ...]:
    """Every Text inside a model object, once (a person is shared by sessions), in file order."""
    found: dict = {}
    _collect_texts(value, found, set())
    return tuple(sorted(found.values(), key=lambda t: (
        (t.source.file, t.source.line, t.source.column) if t.source else ("", 0, 0), t.key)))


def field_names(kind: type) -> tuple[str, ...]:
    return tuple(part.name for part in fields(kind))


def _collect_texts(value, found: dict, seen: set[int]) -> None:
    if isinstance(value, Text):
        found.setdefault((value.source, value.key), value)
    elif is_dataclass(value):
        if id(value) in seen:  # a speaker of many sessions is walked once
            return
        seen.add(id(value))
        for name in field_names(type(value)):
            _collect_texts(getattr(value, name), found, seen)
    elif isinstance(value, tuple):
        for item in value:
            _collect_texts(item, found, seen)
