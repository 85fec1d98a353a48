"""schema.org Event as JSON-LD, for search engines' event results (home page of each locale).

Google's event rich results require `name`, `startDate` with a UTC offset and `location` as a
Place with a PostalAddress, and recommend `endDate`, `description`, `eventStatus`, `organizer`
and performers; schema.org adds a VirtualLocation and MixedEventAttendanceMode for a meeting
that is both in a room and online. The sessions follow as `subEvent`s.
"""

from __future__ import annotations

from functools import partial

from jinja2.utils import htmlsafe_json_dumps

from .changes import kept
from .formats import iso_seconds
from .markup import markdown_to_text
from .model import Session, Site, Venue
from .plaintext import Gettext, person_line, session_title
from .write import Parts, interleaved

SCHEMA = "https://schema.org/"


def place(venue: Venue, locale: str) -> dict:
    address = {
        "@type": "PostalAddress", "streetAddress": venue.street.get(locale),
        "addressLocality": venue.locality.get(locale),
        "addressRegion": venue.region.get(locale) if venue.region else None,
        "postalCode": venue.postal_code, "addressCountry": venue.country,
    }
    found = {"@type": "Place", "name": venue.name.get(locale), "address": without_empty(address)}
    if venue.geo:
        found["geo"] = {"@type": "GeoCoordinates", "latitude": venue.geo[0],
                        "longitude": venue.geo[1]}
    return found


def attendance(site: Site, locale: str) -> dict:
    """Where and how: in the room only, or in the room and online."""
    event = site.event
    locations = [place(event.venue, locale)]
    mode = "OfflineEventAttendanceMode"
    if event.online_url:
        locations.append({"@type": "VirtualLocation", "url": event.online_url})
        mode = "MixedEventAttendanceMode"
    return {"eventAttendanceMode": SCHEMA + mode, "eventStatus": SCHEMA + "EventScheduled",
            "location": locations}


def sub_event(site: Site, session: Session, locale: str, gettext: Gettext,
              where: dict) -> dict:
    """A session as a subEvent; `where` is the meeting's attendance(), the same for all."""
    found = {
        "@type": "Event", "name": session_title(session, locale, gettext),
        "startDate": iso_seconds(session.start), "endDate": iso_seconds(session.end),
        "description": markdown_to_text(session.description.get(locale), paragraphs=True)
        if session.description else None,
        "performer": [{"@type": "Person", "name": person_line(p, locale)}
                      for p in session.speakers] or None,
        "url": f"{site.base_url}{locale}/agenda/{session.id}/"
        if site.base_url and session.has_page else None,
        "inLanguage": session.language,
    }
    return without_empty({**found, **where})


def event_jsonld(site: Site, locale: str, gettext: Gettext, memo: dict | None = None) -> Parts:
    """The meeting as one schema.org Event whose sessions (not breaks) are its subEvents, as
    UTF-8 JSON safe inside <script> (what Jinja's `tojson` writes). `memo` keeps each
    subEvent's JSON for the next build, as render.fragments explains: the dev server joins
    them again rather than serialise a congress's thousands of sessions at every edit."""
    event = site.event
    # One place for every subEvent: a congress's 10,000 sessions need not hold 10,000 copies.
    where = attendance(site, locale)
    organizer = {"@type": "Organization", "name": event.organizer_name.get(locale),
                 "url": event.organizer_url}

    def entry(session: Session) -> bytes:
        return json_text(sub_event(site, session, locale, gettext, where)).encode("utf-8")
    sub_events = [kept(memo, ("jsonld", locale, s.id), partial(entry, s))
                  for s in event.sessions if not s.is_pause]
    found = without_empty({
        "@context": "https://schema.org", "@type": "Event", "name": event.title.get(locale),
        "description": markdown_to_text(event.description.get(locale), paragraphs=True),
        "startDate": iso_seconds(event.start), "endDate": iso_seconds(event.end),
        **where,
        "organizer": without_empty(organizer),
        "inLanguage": locale,  # site locales are BCP 47 codes, as schema.org expects
        "url": f"{site.base_url}{locale}/" if site.base_url else None,
        "subEvent": SUB_EVENTS if sub_events else None,
    })
    # Keys are sorted: only "url", a URL, follows the placeholder, so its last occurrence
    # is the one to replace.
    before, _, after = json_text(found).rpartition(json_text(SUB_EVENTS))
    if not sub_events:
        return Parts((after.encode("utf-8"),))
    return Parts((f"{before}[".encode("utf-8"), *interleaved(sub_events, b", "),
                  f"]{after}".encode("utf-8")))


SUB_EVENTS = "\0subEvent"  # where the subEvents' own JSON goes


def json_text(value: object) -> str:
    """JSON as `tojson` writes it: keys sorted, and <, >, & and ' escaped for a <script>."""
    return htmlsafe_json_dumps(value, sort_keys=True)


def without_empty(found: dict) -> dict:
    """Leave out what the agenda does not say, rather than publish nulls."""
    return {key: value for key, value in found.items() if value not in (None, [], "")}
