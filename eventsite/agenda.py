"""Load agenda.yaml into the Event model, collecting every mistake with its line."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from .errors import Report, SiteError, closest
from .fields import Context, Fields, describe
from .model import (Contact, Day, Event, HouseStyle, Item, Person, Session, Source,
                    Venue)

if TYPE_CHECKING:
    from .load import ReadYaml

SITE_FIELDS = ("locales", "base_url", "formats", "brand")  # brand: read by brand.read_brand
FORMAT_FIELDS = ("locale", "clock")
EVENT_FIELDS = ("id", "title", "short_title", "organizer", "timezone", "description", "venue",
                "online", "interpretation", "contact", "updated")
VENUE_FIELDS = ("name", "street", "locality", "region", "postal_code", "country", "geo",
                "directions", "accessibility")
ONLINE_FIELDS = ("url", "url_placeholder", "platform", "note")
PERSON_FIELDS = ("id", "name", "honorific", "role", "affiliation")
DAY_FIELDS = ("date", "title", "sessions")
SESSION_FIELDS = ("id", "kind", "status", "note", "number", "start", "end", "title", "continues",
                  "description",
                  "speakers", "items", "room", "language", "interpretation", "sequence")
ITEM_FIELDS = ("title", "description", "speakers", "items")
TOP_FIELDS = ("site", "event", "people", "days")
KINDS = ("session", "break", "meal", "social")
LOCALE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
DAY_ID = re.compile(r"^day-\d+$")  # the agenda's own anchors and per-day calendar files
UTC = ZoneInfo("UTC")


def read_site(root, file: str, report: Report
              ) -> tuple[tuple[str, ...], str | None, tuple[HouseStyle, ...]]:
    """The site's locales (checked against CLDR; the first is the default), base URL and the
    house styles chosen for its languages.

    Read before everything else, as text fields need the locales; a missing or misplaced
    `site` is reported with the other top-level fields by read_event."""
    site = Fields(root.get("site"), "site", SITE_FIELDS, Context(file, report, ("en",)))
    codes = site.sequence("locales", required=True)
    if isinstance(site.map.get("locales"), list) and not codes:
        site.error("locales", 'site.locales is empty. List the languages of the site, the '
                   "default first, e.g. [en, es, fr].")
    errors_before, locales = len(report.errors), []
    for index, code in enumerate(codes):
        line, column = codes.item_marks[index]
        if code in locales:
            report.error(file, line, f'"{code}" is listed twice in site.locales. Remove one.',
                         column)
        elif is_locale_code(code):
            locales.append(code)
        else:
            report.error(file, line, f'"{code}" is not a language code Babel knows. Use a '
                         "code such as en, es, fr or pt-BR.", column)
    base_url = site.url("base_url")
    if base_url and not (base_url.startswith("http") and base_url.endswith("/")):
        site.error("base_url", f'"base_url" is "{base_url}". Write the full http(s) address '
                   "the site is published at, ending with /.")
        base_url = None
    # No locales when they could not all be read: checking text against a partial list would
    # report every translation of a mistyped code as a second mistake.
    complete = len(report.errors) == errors_before
    styles = read_formats(site, tuple(locales), complete)
    return (tuple(locales) if complete else ()), base_url, styles


def read_formats(site: Fields, locales: tuple[str, ...], complete: bool
                 ) -> tuple[HouseStyle, ...]:
    """site.formats: per language, the CLDR locale of its dates and times and its clock."""
    chosen = site.mapping("formats")
    if not chosen:
        return ()
    styles = []
    for language, value in chosen.items():
        line, column = chosen.key_marks[language]
        if language not in locales:
            if complete:
                site.ctx.report.error(site.ctx.file, line, f'"{language}" in site.formats is '
                                      f"not a language of this site ({', '.join(locales)}). "
                                      "Fix the code or add it to site.locales.", column)
            continue
        style = Fields(value, f"site.formats.{language}", FORMAT_FIELDS, site.ctx, (line, column))
        cldr = style.string("locale")
        if cldr and not is_formats_locale(cldr, language):
            base = language.split("-")[0]
            variants = [code for code in locale_identifiers() if code.split("_")[0] == base]
            close = closest(cldr.replace("-", "_"), variants)
            examples = ", ".join(sorted(variants, key=lambda code: (
                code[len(base) + 1:] not in ("CA", "MX", "US", "FR", "ES"), code))[:3])
            hint = f"Did you mean {close}?" if close else f"Use one of {language}'s, such as " \
                f"{examples}."
            style.error("locale", f'"{cldr}" is not a CLDR locale of {language} that Babel '
                        f"knows. {hint}")
            cldr = None
        clock = style.raw("clock", False)
        if clock is not None and (isinstance(clock, bool) or clock not in (12, 24)):
            style.error("clock", f'"clock" is {describe(clock)}. Write 24 (9:00, 14:30) or 12 '
                        "(9:00 AM, 2:30 PM).")
            clock = None
        styles.append(HouseStyle(language, (cldr or language).replace("-", "_"), clock))
    return tuple(styles)


def is_formats_locale(code: str, language: str) -> bool:
    """A CLDR locale of the language: fr_CA for fr, es_MX for es (es for es-MX too)."""
    if not isinstance(code, str):
        return False
    try:
        return Locale.parse(code.replace("-", "_")).language == language.split("-")[0]
    except (ValueError, UnknownLocaleError):
        return False


def is_locale_code(code) -> bool:
    """A BCP 47 code CLDR knows, written so it is also a safe folder name (en, pt-BR)."""
    if not isinstance(code, str) or not LOCALE_CODE.match(code):
        return False
    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return False
    return True


def read_event(root, ctx: Context, site_dir: Path, read: ReadYaml) -> Event | None:
    """Build the Event from the top-level mapping (None only when errors were reported).
    `read` parses the files that `days` includes (below `site_dir`)."""
    top = Fields(root, "agenda.yaml", TOP_FIELDS, ctx)
    top.mapping("site", required=True)
    event = Fields(top.mapping("event", required=True), "event", EVENT_FIELDS, ctx)
    people = read_people(top, ctx)
    zone = read_timezone(event, ctx)
    days = read_days(top, people, zone, ctx, Includes(site_dir, read))
    organizer = Fields(event.mapping("organizer", required=True), "event.organizer",
                       ("name", "url"), ctx)
    online = Fields(event.mapping("online"), "event.online", ONLINE_FIELDS, ctx)
    title = event.text("title", required=True)
    values = dict(
        id=read_event_id(event), title=title,
        short_title=event.text("short_title") or title,
        organizer_name=organizer.text("name", required=True), organizer_url=organizer.url("url"),
        timezone=zone.key if zone else None,
        description=event.text("description", required=True),
        venue=read_venue(event, ctx), online_url=read_registration_url(online),
        online_platform=online.text("platform"), online_note=online.text("note"),
        interpretation=read_languages(event, ctx), contact=read_contact(event, people, ctx),
        updated=event.date("updated", required=False), days=days,
    )
    if ctx.report.errors:
        return None
    return Event(**values)


def read_registration_url(online: Fields) -> str | None:
    """The register action's address. Marked `url_placeholder: true` while it is a stand-in
    for the address the organiser has yet to give: a warning, so `--strict` (before
    publishing) refuses the site until the real address replaces it."""
    url = online.url("url")
    if online.flag("url_placeholder"):
        if url:
            online.warn("url_placeholder", f"the registration link {url} is marked as a "
                        "placeholder. Replace online.url with the registration address, then "
                        "remove url_placeholder: true.")
        elif "url" not in online.map:
            online.error("url_placeholder", "url_placeholder: true marks online.url as a "
                         "placeholder, but there is no url. Add the url, or remove the line.")
    return url


def read_event_id(event: Fields) -> str | None:
    event_id = event.slug("id")
    if event_id and len(event_id) < 4:
        event.error("id", f'"{event_id}" is too short: conference apps reading schedule.json '
                    "need at least 4 characters. Use a longer id, e.g. meeting-2025.")
    return event_id


def read_timezone(event: Fields, ctx: Context) -> ZoneInfo | None:
    name = event.string("timezone", required=True)
    if name is None:
        return None
    try:
        if not in_tz_database(name):
            raise ZoneInfoNotFoundError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        close = closest(name, sorted(available_timezones()))
        hint = (f"Did you mean {close}?" if close else "Use the name of the venue's zone, "
                "such as America/Mexico_City or Europe/Paris.")
        event.error("timezone", f'"{name}" is not a time zone of the tz database. {hint}')
        return None


def in_tz_database(name: str) -> bool:
    """Whether zoneinfo.available_timezones() lists `name`, found without listing them all
    (it opens each of 600 files: 30 ms, a tenth of a small site's build). As it does: a TZif
    file below one of zoneinfo's search folders, or a zone of the tzdata package."""
    if name == "posixrules" or not name or name.startswith("/") or ".." in name.split("/"):
        return False
    for folder in TZPATH:
        try:
            with open(os.path.join(folder, name), "rb") as file:
                if file.read(4) == b"TZif":
                    return True
        except OSError:
            pass  # not there, or a folder
    try:
        from importlib import resources
        return name in resources.files("tzdata").joinpath("zones").read_text("utf-8").split()
    except (ImportError, OSError):
        return False


def read_venue(event: Fields, ctx: Context) -> Venue:
    venue = Fields(event.mapping("venue", required=True), "event.venue", VENUE_FIELDS, ctx)
    country = venue.string("country", required=True)
    if country and (country.upper() != country or country not in Locale("en").territories):
        venue.error("country", f'"{country}" is not a two-letter country code. Use an ISO 3166 '
                    "code in capitals, such as MX, CA or US.")
    geo = None
    if venue.map.get("geo") is not None:
        point = Fields(venue.mapping("geo"), "event.venue.geo", ("lat", "lon"), ctx)
        lat, lon = point.number("lat", -90, 90), point.number("lon", -180, 180)
        if lat is not None and lon is not None:
            geo = (lat, lon)
    postal = venue.raw("postal_code", False)
    if postal is not None and not isinstance(postal, str):
        venue.error("postal_code", f'"postal_code" must be in quotes (write "{postal}"), or '
                    "YAML may change it: 06000 would be read as a number.")
    return Venue(name=venue.text("name", required=True), street=venue.text("street", True),
                 locality=venue.text("locality", True), region=venue.text("region"),
                 postal_code=postal if isinstance(postal, str) else None,
                 country=country or "", geo=geo, directions=venue.text("directions"),
                 accessibility=venue.text("accessibility"))


def read_contact(event: Fields, people: dict, ctx: Context) -> Contact:
    contact = Fields(event.mapping("contact"), "event.contact", ("person", "phone", "email"), ctx)
    person_id = contact.string("person")
    if person_id and person_id not in people and people.complete:
        contact.error("person", f'"{person_id}" is not the id of anyone under "people". Add the '
                      "person there or fix the id.")
    email = contact.string("email")
    if email and not EMAIL.match(email):
        contact.error("email", f'"{email}" is not an e-mail address. Write it as name@example.org.')
    phone = contact.string("phone")
    return Contact(person=people.get(person_id), phone=phone, email=email,
                   phone_uri=phone and phone_uri(phone, contact))


def phone_uri(phone: str, contact: Fields) -> str | None:
    """The tel: link of a number in international form (E.164 by libphonenumber): the
    audience calls from several countries, so the country code cannot be left implied."""
    import phonenumbers  # only for a site that gives a phone number

    if not phone.lstrip().startswith("+"):
        contact.error("phone", f'"{phone}" has no country code: visitors call from several '
                      "countries. Write it in international form, + and the country code "
                      "first, e.g. +1 514 350-4323.")
        return None
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        contact.error("phone", f'"{phone}" is not a phone number that can be called. Check '
                      "the country code and the digits, e.g. +1 514 350-4323.")
        return None
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Registry(dict):
    """People or sessions by id. `complete` is False when an id could not be read: an unknown
    id used elsewhere is then most likely that one, and is not reported as a second mistake."""

    complete = True


def read_people(top: Fields, ctx: Context) -> Registry:
    people = Registry()
    entries = top.sequence("people")
    for index in range(len(entries)):
        person = top.item_fields("people", index, "a person", PERSON_FIELDS)
        key = person.slug("id")
        if key is None:
            people.complete = False
            continue
        if key in people:
            person.error("id", f'two people have the id "{key}" (the other is on line '
                         f"{people[key].source.line}). Give each a unique id.")
            continue
        people[key] = Person(
            id=key, name=person.text("name", required=True),
            honorific=person.text("honorific"), role=person.text("role"),
            affiliation=person.text("affiliation"),
            source=Source(ctx.file, *person.map.where("id")))
    return people


@dataclass(frozen=True)
class Includes:
    """Files that `days` includes: a large programme may keep each day in a file of its own
    (`- include: days/day-1.yaml`), so that the dev server re-reads only the day edited."""

    site_dir: Path
    read: ReadYaml

    def day(self, entry: Fields, ctx: Context) -> tuple[Fields, Context] | None:
        """The included day's fields, read with a context naming its file; None when the
        include is wrong (reported)."""
        name = entry.string("include")
        if name is None:
            return None
        if len(entry.map) > 1:
            entry.error("include", "a day that includes a file has no other fields here. Move "
                        "them into the included file.")
            return None
        path = (self.site_dir / name).resolve()
        if (not name.endswith((".yaml", ".yml")) or Path(name).is_absolute()
                or self.site_dir.resolve() not in path.parents):
            entry.error("include", f'"{name}" is not a YAML file inside the site folder. Give '
                        "its path from the folder of agenda.yaml, e.g. days/day-1.yaml.")
            return None
        if not path.is_file():
            entry.error("include", f'there is no file "{name}" to include. Create it, or fix '
                        "the path (it is read from the folder of agenda.yaml).")
            return None
        file = Path(name).as_posix()
        try:
            tree = self.read(path, file)
        except SiteError as exc:
            ctx.report.errors.extend(exc.problems)
            return None
        included = Context(file, ctx.report, ctx.locales, ctx.check_locales)
        return Fields(tree, "an included day", DAY_FIELDS, included, (1, 1)), included


def read_days(top: Fields, people: dict, zone: ZoneInfo | None, ctx: Context,
              includes: Includes) -> tuple[Day, ...]:
    days, seen_ids, dates = [], Registry(), {}
    entries = top.sequence("days", required=True)
    if top.ok and "days" in top.map and not entries:
        top.error("days", '"days" is empty. Add the event\'s days and their sessions.')
    for index in range(len(entries)):
        day = top.item_fields("days", index, "a day", (*DAY_FIELDS, "include"))
        day_ctx = ctx
        if "include" in day.map:
            found = includes.day(day, ctx)
            if found is None:
                continue
            day, day_ctx = found
        on = check_date_order(day, dates)
        listed = day.sequence("sessions", required=True)
        if day.ok and "sessions" in day.map and not listed:
            day.error("sessions", "this day has no sessions. Add them, or remove the day.")
        sessions = in_time_order([read_session(day, i, on, people, zone, seen_ids, day_ctx)
                                  for i in range(len(listed))], day_ctx)
        if on and sessions:
            days.append(Day(number=len(days) + 1, date=on, title=day.text("title"),
                            sessions=sessions))
    check_continuations(days, seen_ids, ctx)
    return tuple(days)


def check_date_order(day: Fields, dates: dict) -> date | None:
    """The day's date, refused when another day has it or it comes before the day above."""
    on = day.date("date")
    if on is None:
        return None
    if on in dates:
        day.error("date", f"{on} is also the date of the day on line {dates[on]}. Put all of a "
                  "day's sessions under one date.")
        return None
    if dates and on < max(dates):
        day.error("date", f"{on} comes before the day above it ({max(dates)}). List the days in "
                  "date order.")
    dates[on] = day.map.line
    return on


def read_session(day: Fields, index: int, on, people: dict, zone, seen_ids: dict, ctx: Context):
    slot = day.item_fields("sessions", index, "a session", SESSION_FIELDS)
    session_id = read_session_id(slot, seen_ids)
    kind = read_kind(slot)
    title = slot.text("title", required=(kind == "session"))
    start, end = slot.time("start"), slot.time("end")
    start_at, end_at = localise(slot, on, start, end, zone)
    values = dict(
        id=session_id, kind=kind, number=read_number(slot),
        start=start_at, end=end_at, title=title, description=slot.text("description"),
        speakers=read_speakers(slot, people), items=read_items(slot, people, ctx),
        continues=slot.slug("continues", required=False), room=slot.text("room"),
        language=read_language(slot, "language", ctx),
        interpretation=read_languages(slot, ctx), sequence=slot.integer("sequence", 0),
        cancelled=read_status(slot) == "cancelled", note=slot.text("note"),
        source=Source(ctx.file, *slot.map.where("id")))
    if None in (session_id, start_at, end_at):
        return None
    return Session(**values)


def read_session_id(slot: Fields, seen_ids: Registry) -> str | None:
    """The slot's id, registered; None when it is malformed, reserved or taken (the slot is
    then left out, so a copy-pasted twin is not also reported as overlapping)."""
    session_id = slot.slug("id")
    if session_id and DAY_ID.match(session_id):
        slot.error("id", f'"{session_id}" is reserved for the agenda\'s days (their anchors and '
                   "calendar files). Choose another id.")
    elif session_id in seen_ids:
        slot.error("id", f'two sessions have the id "{session_id}" (the other is on line '
                   f"{seen_ids[session_id]}). Give each session a unique id.")
    elif session_id:
        seen_ids[session_id] = slot.map.line
        return session_id
    else:
        seen_ids.complete = False
    return None


def read_kind(slot: Fields) -> str | None:
    """session (the default), break, meal or social; None when mistyped."""
    kind = slot.string("kind") if slot.map.get("kind") is not None else "session"
    if kind is not None and kind not in KINDS:
        close = closest(kind, KINDS)
        slot.error("kind", f'"kind" is "{kind}". ' + (f'Did you mean "{close}"?' if close else
                                                       f'Use one of: {", ".join(KINDS)}.'))
        return None
    return kind


STATUSES = ("scheduled", "cancelled")


def read_status(slot: Fields) -> str | None:
    """scheduled (the default) or cancelled: a cancelled session stays in the agenda, the
    calendars (which then remove it) and the feeds, marked as cancelled."""
    status = slot.string("status") if slot.map.get("status") is not None else "scheduled"
    if status is not None and status not in STATUSES:
        close = closest(status, STATUSES)
        slot.error("status", f'"status" is "{status}". ' + (
            f'Did you mean "{close}"?' if close else "Use scheduled or cancelled."))
        return None
    return status


def read_number(slot: Fields) -> str | None:
    """The printed session number: 3, "3a" or "IV"; YAML may hand over an int."""
    number = slot.raw("number", False)
    if number is None or (isinstance(number, (int, str)) and not isinstance(number, bool)):
        return None if number is None else str(number).strip() or None
    slot.error("number", f'"number" must be a number or a short label such as "3a", not '
               f"{describe(number)}.")
    return None


def localise(slot: Fields, on, start, end, zone):
    """Attach the event's zone; refuse times that do not exist or run backwards."""
    if None in (on, start, end, zone):
        return None, None
    start_at = datetime.combine(on, start, zone)
    end_at = datetime.combine(on, end, zone)
    for key, moment in (("start", start_at), ("end", end_at)):
        round_trip = moment.astimezone(UTC).astimezone(zone)
        if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
            slot.error(key, f"{moment:%H:%M} on {on} does not exist in {zone.key} (the clocks "
                       "change then). Move the session to a time that exists.")
            return None, None
    if end_at <= start_at:
        slot.error("end", backwards_message(start, end))
        return None, None
    return start_at, end_at


def backwards_message(start: time, end: time) -> str:
    """Why an end at or before the start is wrong: a swap, or a slot that runs past midnight."""
    if start.hour >= 12 > end.hour:
        return (f"the session runs past midnight ({start:%H:%M} to {end:%H:%M}); a session "
                "must end on its own day. End it by 23:59 and continue it under the next date.")
    return (f"the session ends at {end:%H:%M}, not after it starts ({start:%H:%M}). Swap start "
            "and end, or fix the time.")


def in_time_order(sessions: list[Session | None], ctx: Context) -> tuple[Session, ...]:
    """A day's sessions that could be read, by start and end (the file's order when equal),
    checked for overlaps."""
    ordered = tuple(sorted((s for s in sessions if s), key=lambda s: (s.start, s.end)))
    check_overlaps(ordered, ctx)
    return ordered


def check_overlaps(sessions: tuple[Session, ...], ctx: Context) -> None:
    """Slots of one day in the same room must not overlap; a slot without a room (breaks too)
    is in the event's main room. A slot is reported once, against the first it overlaps."""
    latest: dict[str, Session] = {}  # room → the slot ending last among those seen so far
    # A cancelled session frees its room for another.
    for session in (s for s in sessions if not s.cancelled):  # sorted by start
        room = session.room.get(ctx.locales[0]) if session.room else ""
        before = latest.get(room)
        if before and session.start < before.end:
            where = f'in room "{room}"' if room else "in the main room"
            ctx.report.error(session.source.file, session.source.line, (
                f'session "{session.id}" ({session.start:%H:%M}–{session.end:%H:%M}) overlaps '
                f'"{before.id}" ({before.start:%H:%M}–{before.end:%H:%M}, line '
                f"{before.source.line}) {where}. Fix the times, or give them different rooms."),
                session.source.column)
            continue  # reported: later slots are checked against the others only
        if not before or session.end > before.end:
            latest[room] = session


def read_speakers(entry: Fields, people: dict) -> tuple[Person, ...]:
    found = []
    ids = entry.sequence("speakers")
    for index, person_id in enumerate(ids):
        if isinstance(person_id, str) and person_id in people:
            found.append(people[person_id])
        elif people.complete:
            entry.item_error("speakers", index, f"speaker {describe(person_id)} is not defined "
                             'under "people". Add the person there or fix the id.')
    return tuple(found)


MAX_ITEM_DEPTH = 6  # sub-items of sub-items…: a printed program reads well with two or three


def read_items(entry: Fields, people: dict, ctx: Context, depth: int = 1) -> tuple[Item, ...]:
    if depth > MAX_ITEM_DEPTH and entry.sequence("items"):
        entry.error("items", f"sub-items are nested more than {MAX_ITEM_DEPTH} deep here. "
                    "Flatten them: a program reads best with two or three levels.")
        return ()
    items = []
    for index in range(len(entry.sequence("items"))):
        item = entry.item_fields("items", index, "an item", ITEM_FIELDS)
        title = item.text("title", required=True)
        if title:
            items.append(Item(title=title, description=item.text("description"),
                              speakers=read_speakers(item, people),
                              items=read_items(item, people, ctx, depth + 1)))
    return tuple(items)


def read_language(entry: Fields, key: str, ctx: Context) -> str | None:
    code = entry.string(key)
    if code and ctx.check_locales and code not in ctx.locales:
        entry.error(key, f'"{code}" is not a language of this site ({", ".join(ctx.locales)}). '
                    "Use one of those codes.")
        return None
    return code


def read_languages(entry: Fields, ctx: Context) -> tuple[str, ...]:
    codes = entry.sequence("interpretation")
    for index, code in enumerate(codes):
        if ctx.check_locales and code not in ctx.locales:
            entry.item_error("interpretation", index, f"{describe(code)} is not a language of "
                             f'this site ({", ".join(ctx.locales)}). Use one of those codes.')
    return tuple(c for c in codes if c in ctx.locales)


def check_continuations(days, seen_ids: Registry, ctx: Context) -> None:
    """Each `continues` names another session, and following them never comes back."""
    by_id = {session.id: session for day in days for session in day.sessions}
    for session in by_id.values():
        if not session.continues:
            continue
        if session.continues not in seen_ids:
            if seen_ids.complete:
                ctx.report.error(session.source.file, session.source.line,
                                 f'session "{session.id}" continues "{session.continues}", '
                                 "which is not a session id. Fix the id.", session.source.column)
            continue
        chain, current = [session.id], by_id.get(session.continues)
        while current is not None and current.id not in chain:
            chain.append(current.id)
            current = by_id.get(current.continues) if current.continues else None
        if current is None:
            continue
        loop = chain[chain.index(current.id):]
        if loop[0] != session.id:
            continue  # a session leading into a loop: the loop's own sessions report it
        if len(loop) == 1:
            problem = (f'session "{session.id}" continues itself. Name the session it '
                       "continues, or remove continues:.")
        elif session.id != min(loop):
            continue  # one message for each loop
        else:
            problem = (f'sessions {" → ".join(loop + [session.id])} continue one another in a '
                       "loop. Remove continues: from one of them.")
        ctx.report.error(session.source.file, session.source.line, problem,
                         session.source.column)
