"""dist/schedule.json: the agenda in the frab/c3voc schedule format that conference apps read.

Giggity, ConfClerk, EventFahrplan and similar apps load this format (its JSON Schema is
https://c3voc.de/schedule/schema.json). Where each field comes from is documented in
docs/calendars-and-feeds.md. Texts are in the site's first locale: the format has one language.
"""

from __future__ import annotations

import json
import math
from xml.etree.ElementTree import Element, SubElement, indent, tostring
from datetime import datetime, timedelta

from .formats import iso_seconds
from .markup import markdown_to_text
from .model import Day, Person, Session, Site
from .plaintext import Gettext, continuation, item_lines, slot_name

SCHEMA_ID = "https://c3voc.de/schedule/schema.json"
GENERATOR = {"name": "eventsite", "version": "0.1.0"}


def hours_minutes(span: timedelta) -> str:
    """'01:40', the format's durations."""
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    return f"{hours:02d}:{minutes:02d}"


def timeslot(site: Site) -> str:
    """The largest grid every start and end falls on: apps draw the timetable with it."""
    minutes = [m.hour * 60 + m.minute for s in site.event.sessions for m in (s.start, s.end)]
    return hours_minutes(timedelta(minutes=math.gcd(*minutes) or 60))


def room_name(site: Site, session: Session, locale: str) -> str:
    """The session's room, or the venue for a meeting held in one room."""
    return (session.room or site.event.venue.name).get(locale)


def session_address(site: Site, session: Session, locale: str) -> str:
    """Absolute with a base URL; otherwise relative to where schedule.json is served."""
    path = (f"{locale}/agenda/{session.id}/" if session.has_page
            else f"{locale}/agenda/#{session.id}")
    return f"{site.base_url or ''}{path}"


def schedule_person(site: Site, person: Person, locale: str) -> dict:
    about = ", ".join(text.get(locale) for text in (person.role, person.affiliation) if text)
    return {"name": person.name.get(locale), "guid": site.event.uid("person", person.id),
            "biography": about or None}


def schedule_event(site: Site, session: Session, locale: str, gettext: Gettext) -> dict:
    event = site.event
    guid = event.uid(session.id)
    return {
        "guid": guid,
        "id": int(guid.replace("-", "")[:7], 16) + 1,  # deprecated integer id, stable like guid
        "date": iso_seconds(session.start), "start": f"{session.start:%H:%M}",
        "end": iso_seconds(session.end), "duration": hours_minutes(session.duration),
        "room": room_name(site, session, locale), "slug": f"{event.id}-{session.id}",
        "url": session_address(site, session, locale),
        "title": slot_name(session, locale, gettext),
        "subtitle": continuation(event, session, gettext),
        "track": None, "type": session.kind, "language": session.language,
        "abstract": markdown_to_text(session.description.get(locale), paragraphs=True)
        if session.description else None,
        "description": "\n".join(item_lines(session.items, locale)) or None,
        "persons": [schedule_person(site, p, locale) for p in session.speakers],
        "links": [],
    }


def schedule_day(site: Site, day: Day, locale: str, gettext: Gettext) -> dict:
    """A day, its sessions by room."""
    rooms: dict[str, list[dict]] = {}
    for session in day.sessions:
        rooms.setdefault(room_name(site, session, locale), []).append(
            schedule_event(site, session, locale, gettext))
    return {"index": day.number, "date": day.date.isoformat(),
            "day_start": iso_seconds(day.start), "day_end": iso_seconds(day.end),
            "rooms": rooms}


def schedule_document(site: Site, gettext: Gettext, stamp: datetime) -> dict:
    """The whole agenda, breaks and meals included, in the first locale: what schedule.json
    and schedule.xml say."""
    event, locale = site.event, site.default_locale
    names = dict.fromkeys(room_name(site, s, locale) for s in event.sessions)
    conference = {
        "acronym": event.id.replace("-", "_"),  # the format's pattern allows no hyphen here
        "title": event.title.get(locale),
        "description": markdown_to_text(event.description.get(locale), paragraphs=True),
        "start": event.start.date().isoformat(), "end": event.end.date().isoformat(),
        "daysCount": len(event.days), "timeslot_duration": timeslot(site),
        "time_zone_name": event.timezone,
        **({"url": f"{site.base_url}{locale}/"} if site.base_url else {}),
        "rooms": [{"name": name, "guid": event.uid("room", name)} for name in names],
        "days": [schedule_day(site, day, locale, gettext) for day in event.days],
    }
    latest = site.versions[-1] if site.versions else None
    schedule = {"version": f"{latest.number} ({latest.date})" if latest
                else f"{stamp:%Y-%m-%d %H:%M}",
                **({"base_url": site.base_url} if site.base_url else {}),
                "conference": conference}
    return {"$schema": SCHEMA_ID, "generator": GENERATOR, "schedule": schedule}


def build_schedule(document: dict) -> bytes:
    """schedule.json from the schedule_document. Compact: a large programme's schedule is
    megabytes, and apps do not read the layout."""
    return (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")


def build_schedule_xml(site: Site, whole: dict) -> bytes:
    """schedule.xml, frab's format (its XML Schema is https://c3voc.de/schedule/schema.xsd),
    from the same schedule_document as schedule.json: Giggity and ConfClerk read only this."""
    document = whole["schedule"]
    conference = document["conference"]
    root = Element("schedule")
    SubElement(root, "generator", {"name": GENERATOR["name"], "version": GENERATOR["version"]})
    if site.base_url:
        text(root, "url", f"{site.base_url}schedule.xml")
    text(root, "version", document["version"])
    head = SubElement(root, "conference")
    for key in ("title", "acronym", "start", "end"):
        text(head, key, conference[key])
    text(head, "days", conference["daysCount"])
    text(head, "timeslot_duration", conference["timeslot_duration"])
    if site.base_url:
        text(head, "base_url", site.base_url)
        text(head, "url", conference["url"])
    text(head, "time_zone_name", conference["time_zone_name"])
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = SubElement(root, "day", {
            "index": str(day["index"]), "date": day["date"], "start": day["day_start"],
            "end": day["day_end"]})
        for name, events in day["rooms"].items():
            room = SubElement(day_element, "room", {"name": name, "guid": guids[name]})
            for found in events:
                xml_event(room, found, bool(site.base_url))
    indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8") + b"\n"


def xml_event(room: Element, found: dict, absolute: bool) -> None:
    """One session as an <event>: the schema's required fields, and those the agenda has."""
    element = SubElement(room, "event", {"guid": found["guid"], "id": str(found["id"])})
    for key in ("room", "title", "subtitle", "type", "date", "start", "duration", "abstract",
                "track", "language", "description"):
        if found[key] is not None or key in ("abstract", "track"):
            text(element, key, found[key] or "")
    if absolute:  # the schema wants full http(s) addresses here
        text(element, "url", found["url"])
    persons = SubElement(element, "persons")
    for person in found["persons"]:
        text(persons, "person", person["name"]).set("guid", person["guid"])


def text(parent: Element, tag: str, value: object) -> Element:
    """A child element holding `value` as text."""
    child = SubElement(parent, tag)
    child.text = str(value)
    return child
