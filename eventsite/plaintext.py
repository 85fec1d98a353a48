"""The agenda in plain text, one locale at a time: what calendars, links and feeds say.

The HTML templates show the same facts with markup; these functions are their plain-text
counterparts for places that take no HTML (calendar files, calendar links, JSON).
`gettext` is the locale's catalog lookup, so labels read exactly as on the pages.
"""

from __future__ import annotations

from typing import Callable

from . import formats
from .markup import markdown_to_text
from .model import Day, Event, Item, Person, Session, Venue

Gettext = Callable[[str], str]


def slot_name(session: Session, locale: str, gettext: Gettext) -> str:
    """The title; an untitled break or meal is called by its kind, as on the agenda."""
    if session.title:
        return session.title.get(locale)
    if session.kind == "break":
        return gettext("Break")
    if session.kind == "meal":
        return gettext("Meal")
    return gettext("Social event")


def session_title(event: Event, session: Session, locale: str, gettext: Gettext) -> str:
    """'3. Update on …': numbered as on the agenda; the continuation of a session split by a
    break carries its number and name, '4. Pollution prevention (continued)'."""
    origin = event.parts(session)[0] if session.continues else session
    named = session if session.title else origin
    name = slot_name(named, locale, gettext)
    if session.continues and named.title:
        name = gettext("%(title)s (continued)") % {"title": name}
    return f"{origin.number}. {name}" if origin.number else name


def day_name(day: Day, locale: str, gettext: Gettext) -> str:
    """The day's own title, or 'Day 1' in the locale."""
    if day.title:
        return day.title.get(locale)
    return gettext("Day %(number)s") % {"number": day.number}


def person_line(person: Person, locale: str) -> str:
    """'Ing. Sergio Hernández, Director General, Semarnat'."""
    name = person.name.get(locale)
    if person.honorific:
        name = f"{person.honorific.get(locale)} {name}"
    extra = [text.get(locale) for text in (person.role, person.affiliation) if text]
    return ", ".join([name, *extra])


def item_lines(items: tuple[Item, ...], locale: str, depth: int = 0) -> list[str]:
    """Sub-items as an indented list of dashes, their descriptions and speakers beneath."""
    lines = []
    indent = "  " * depth
    for item in items:
        lines.append(f"{indent}- {item.title.get(locale)}")
        if item.description:
            lines.append(f"{indent}  {markdown_to_text(item.description.get(locale))}")
        lines += [f"{indent}  {person_line(p, locale)}" for p in item.speakers]
        lines += item_lines(item.items, locale, depth + 1)
    return lines


def continuation(event: Event, session: Session, gettext: Gettext) -> str | None:
    """'Continuation of session 4.' for a slot that continues another one."""
    if not session.continues:
        return None
    origin = event.session(session.continues)
    if origin.number:
        return gettext("Continuation of session %(number)s.") % {"number": origin.number}
    return gettext("Continuation of the previous session.")


def session_facts(event: Event, session: Session, locale: str, gettext: Gettext) -> list[str]:
    """Continuation, room and languages: the agenda's small print, one line each."""
    lines = [note for note in [continuation(event, session, gettext)] if note]
    if session.note:
        lines.insert(0, session.note.get(locale))
    # Labels carry their colon, as on the pages: French puts a space before it. (No gettext
    # call inside an f-string: Babel's extractor would not see it.)
    if session.room:
        lines.append(" ".join((gettext("Room:"), session.room.get(locale))))
    if session.language:
        lines.append(" ".join((gettext("Floor language:"),
                               formats.language_name(session.language, locale))))
    if session.interpretation:
        names = ", ".join(formats.language_name(code, locale) for code in session.interpretation)
        lines.append(" ".join((gettext("Interpretation:"), names)))
    return lines


def session_details(event: Event, session: Session, locale: str, gettext: Gettext) -> str:
    """Everything the agenda says about a slot below its title, as paragraphs of plain text."""
    paragraphs = ["\n".join(session_facts(event, session, locale, gettext))]
    if session.speakers:
        paragraphs.append("\n".join([gettext("Speakers:")]
                                    + [f"- {person_line(p, locale)}" for p in session.speakers]))
    if session.description:
        paragraphs.append(markdown_to_text(session.description.get(locale), paragraphs=True))
    paragraphs.append("\n".join(item_lines(session.items, locale)))
    return "\n\n".join(p for p in paragraphs if p)


def venue_address(venue: Venue, locale: str) -> str:
    """'Hotel, Street 1, 06000 Mexico City, CDMX, Mexico': the order of the pages' address."""
    city = venue.locality.get(locale)
    if venue.postal_code:
        city = f"{venue.postal_code} {city}"
    parts = [venue.name.get(locale), venue.street.get(locale), city]
    if venue.region:
        parts.append(venue.region.get(locale))
    parts.append(formats.country_name(venue.country, locale))
    return ", ".join(parts)
