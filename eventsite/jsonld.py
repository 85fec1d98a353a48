"""schema.org Event as JSON-LD, for search engines' event results.

Google's event rich results require `name`, `startDate` with a UTC offset and `location` as a
Place with a PostalAddress, and recommend `endDate`, `description`, `eventStatus`, `organizer`
and performers; schema.org adds a VirtualLocation and MixedEventAttendanceMode for a meeting
that is both in a room and online. The sessions follow as `subEvent`s on the home page, or,
for a large programme, each on its own page.
"""

from __future__ import annotations

from datetime import datetime

from .formats import iso_seconds
from .markup import markdown_to_text
from .model import Session, Site, Venue
from .plaintext import Gettext, person_line, session_title
from .versions import Published

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
        "@type": "Event", "name": session_title(site.event, session, locale, gettext),
        "startDate": iso_seconds(session.start), "endDate": iso_seconds(session.end),
        "description": markdown_to_text(session.description.get(locale), paragraphs=True)
        if session.description else None,
        "performer": [{"@type": "Person", "name": person_line(p, locale)}
                      for p in session.speakers] or None,
        "url": f"{site.base_url}{locale}/agenda/{session.id}/"
        if site.base_url and session.has_page else None,
        "inLanguage": session.language,
    }
    if session.cancelled:
        where = {**where, "eventStatus": SCHEMA + "EventCancelled"}
    elif Published(site).badge(session) == "moved":
        first = site.versions[0].snapshot(session.id)
        found["previousStartDate"] = datetime.fromisoformat(first.start).isoformat(
            timespec="seconds")
        where = {**where, "eventStatus": SCHEMA + "EventRescheduled"}
    return without_empty({**found, **where})


def event_jsonld(site: Site, locale: str, gettext: Gettext) -> dict:
    """The meeting as one schema.org Event; its sessions (not breaks) are its subEvents,
    unless the programme is large (Event.is_large)."""
    event = site.event
    where = attendance(site, locale)
    organizer = {"@type": "Organization", "name": event.organizer_name.get(locale),
                 "url": event.organizer_url}
    sub_events = [sub_event(site, s, locale, gettext, where) for s in event.sessions
                  if not s.is_pause] if not event.is_large else []
    return without_empty({
        "@context": "https://schema.org", "@type": "Event", "name": event.title.get(locale),
        "description": markdown_to_text(event.description.get(locale), paragraphs=True),
        "startDate": iso_seconds(event.start), "endDate": iso_seconds(event.end),
        **where,
        "organizer": without_empty(organizer),
        "inLanguage": locale,  # site locales are BCP 47 codes, as schema.org expects
        "url": f"{site.base_url}{locale}/" if site.base_url else None,
        "subEvent": sub_events,
    })


def session_jsonld(site: Site, session: Session, locale: str, gettext: Gettext) -> dict | None:
    """A session's own Event for its page in a large programme, part of the meeting
    (superEvent); its description is the page itself. None when the home page lists it
    already, or for a break."""
    event = site.event
    if session.is_pause or not event.is_large:
        return None
    meeting = without_empty({"@type": "Event", "name": event.title.get(locale),
                             "url": f"{site.base_url}{locale}/" if site.base_url else None})
    found = sub_event(site, session, locale, gettext, attendance(site, locale))
    found.pop("description", None)
    return {"@context": "https://schema.org", **found, "superEvent": meeting}


def without_empty(found: dict) -> dict:
    """Leave out what the agenda does not say, rather than publish nulls."""
    return {key: value for key, value in found.items() if value not in (None, [], "")}
