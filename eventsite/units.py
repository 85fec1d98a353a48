"""The site's translatable texts as translation units, and the record of what each translation
was made from (translations.lock).

A unit is one text of the agenda given per language, or one field or Markdown block of a
content page, named by its place (`sessions/session-4/title`, `pages/venue/body/3`), with
the text in the site's first language (the source), the current translation and a note of
context for the translator. The lock file keeps, per language and unit, a fingerprint of the
source each translation was made from and whether it is reviewed, so that a later change of
the source marks the translation stale. This module reads no exchange format (see
translate.py); the build uses it to warn about stale translations.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Report
from .model import Event, Item, Person, Session, Site, Source, markdown_texts

LOCK = "translations.lock"
GLOSSARY = "glossary.csv"
REVIEWED = "translated"
MACHINE = "machine"  # machine-translated, not yet reviewed: pages show a notice
LOCK_HEADER = (
    "# translations.lock: the source text each translation was made from (a fingerprint), and\n"
    "# whether it was reviewed. Written by `python build.py translate import` and `translate\n"
    "# baseline`; keep it in git. One line per translation: locale unit fingerprint state.\n")


@dataclass(frozen=True)
class Unit:
    """One translatable text of the site, as seen from one target language."""

    id: str
    source: str  # in the site's first language
    target: str | None  # the current translation, None when there is none
    note: str
    where: Source  # where the target is (or goes), for messages
    markdown: bool  # inline Markdown is carried as placeholders

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.source)

    @property
    def words(self) -> int:
        return len(self.source.split())


def fingerprint(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Record:
    fingerprint: str
    state: str  # REVIEWED or MACHINE


Lock = dict[tuple[str, str], Record]  # (locale, unit id) → record


def read_lock(site_dir: Path) -> Lock:
    path = site_dir / LOCK
    if not path.is_file():
        return {}
    lock = {}
    for line in path.read_text("utf-8").splitlines():
        fields = line.split()
        if len(fields) == 4 and not line.startswith("#"):
            locale, unit_id, print_, state = fields
            lock[(locale, unit_id)] = Record(print_, state)
    return lock


def lock_text(lock: Lock) -> str:
    """Sorted, one line per translation, so that its diff shows what changed."""
    lines = [f"{locale} {unit_id} {record.fingerprint} {record.state}\n"
             for (locale, unit_id), record in sorted(lock.items())]
    return LOCK_HEADER + "".join(lines)


def status(unit: Unit, locale: str, lock: Lock) -> str:
    """missing, stale (the source changed since the recorded translation), machine (not yet
    reviewed) or done. A translation the lock does not know was not made through this
    workflow: it counts as done until `translate baseline` records it."""
    if unit.target is None:
        return "missing"
    record = lock.get((locale, unit.id))
    if record is None:
        return "done"
    if record.fingerprint != unit.fingerprint:
        return "stale"
    return "machine" if record.state == MACHINE else "done"


# ---------------------------------------------------------------- glossary

@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str


def read_glossary(site_dir: Path, source_locale: str, locale: str) -> tuple[Term, ...]:
    """The site's official terms (glossary.csv: a column per locale, then `note`)."""
    path = site_dir / GLOSSARY
    if not path.is_file():
        return ()
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(Term(row[source_locale].strip(), (row.get(locale) or "").strip(),
                      (row.get("note") or "").strip())
                 for row in rows if row.get(source_locale, "").strip())


def terms_in(text: str, glossary: tuple[Term, ...]) -> tuple[Term, ...]:
    return tuple(term for term in glossary
                 if re.search(rf"(?<!\w){re.escape(term.source)}(?!\w)", text, re.I))


# ---------------------------------------------------------------- the site's fields → units

def units_of(site: Site, locale: str, glossary: tuple[Term, ...] = ()) -> tuple[Unit, ...]:
    """Every translatable text of the site for `locale`, agenda first (in file order), then the
    pages by name. Fields given as one string for every language (names) are left out."""
    source_locale = site.default_locale
    markdown = {id(text) for text in markdown_texts(site.event)}
    units = []
    for unit_id, text, context in agenda_texts(site.event, source_locale):
        if text.same or not text.has(source_locale):
            continue
        source = text.get(source_locale)
        units.append(Unit(unit_id, source, text.get(locale) if text.has(locale) else None,
                          _note(context, source, glossary), text.source, id(text) in markdown))
    for slug in sorted({page.slug for page in site.pages}):
        units += page_units(site, slug, locale, glossary)
    return tuple(units)


def agenda_texts(event: Event, locale: str):
    """(unit id, Text, context) for every text field of the agenda."""
    yield "event/title", event.title, "the meeting's title"
    if event.short_title is not event.title:
        yield "event/short_title", event.short_title, "the meeting's short title (page titles)"
    yield "event/organizer/name", event.organizer_name, "the organiser's name"
    yield "event/description", event.description, "the meeting's description (home page)"
    venue = event.venue
    for name in ("name", "street", "locality", "region"):
        text = getattr(venue, name)
        if text:
            yield f"event/venue/{name}", text, f"the venue's {name}"
    if event.online_note:
        yield "event/online/note", event.online_note, "the note on online participation"
    people = {}
    for session in event.sessions:
        for person in session.speakers:
            people.setdefault(person.id, person)
    if event.contact.person:
        people.setdefault(event.contact.person.id, event.contact.person)
    for person in sorted(people.values(), key=lambda p: (p.source.file, p.source.line)):
        yield from _person_texts(person, locale)
    for day in event.days:
        if day.title:
            yield f"days/{day.id}/title", day.title, f"the title of day {day.number}"
        for session in day.sessions:
            yield from _session_texts(session, locale)


def _person_texts(person: Person, locale: str):
    for name in ("name", "honorific", "role", "affiliation"):
        text = getattr(person, name)
        if text:
            yield f"people/{person.id}/{name}", text, f"the {name} of {person.name.get(locale)}"


def _session_texts(session: Session, locale: str):
    when = f"{session.start:%Y-%m-%d %H:%M}–{session.end:%H:%M}"
    speakers = ", ".join(p.name.get(locale) for p in session.speakers)
    context = f"session {session.id} ({when}" + (f"; speakers: {speakers}" if speakers else "")
    context += ")"
    for name in ("title", "description", "room", "note"):
        text = getattr(session, name)
        if text:
            yield f"sessions/{session.id}/{name}", text, f"the {name} of {context}"
    yield from _item_texts(session.items, f"sessions/{session.id}", context)


def _item_texts(items: tuple[Item, ...], prefix: str, context: str):
    for number, item in enumerate(items, 1):
        place = f"{prefix}/items/{number}"
        yield f"{place}/title", item.title, f"the title of item {number} of {context}"
        if item.description:
            yield (f"{place}/description", item.description,
                   f"the description of item {number} of {context}")
        yield from _item_texts(item.items, place, context)


def page_units(site: Site, slug: str, locale: str,
               glossary: tuple[Term, ...] = ()) -> tuple[Unit, ...]:
    """The title, description and each Markdown block of one content page."""
    pages = {page.locale: page for page in site.pages if page.slug == slug}
    source_page = pages.get(site.default_locale)
    if source_page is None:
        return ()
    target_page = pages.get(locale)
    where = Source(f"content/{locale}/{slug}.md", 1)
    context = f"the page content/{site.default_locale}/{slug}.md"
    units = [Unit(f"pages/{slug}/{name}", getattr(source_page, name),
                  getattr(target_page, name) if target_page else None,
                  _note(f"the {name} of {context}", getattr(source_page, name), glossary),
                  where, False)
             for name in ("title", "description")]
    blocks = body_blocks(source_page.body)
    targets = body_blocks(target_page.body, target_page.source.line) if target_page else []
    aligned = len(targets) == len(blocks)  # else which block translates which is unknown
    for number, (_, block) in enumerate(blocks, 1):
        line, target = targets[number - 1] if aligned else (1, None)
        units.append(Unit(f"pages/{slug}/body/{number}", block, target,
                          _note(f"block {number} of {len(blocks)} of {context}", block, glossary),
                          Source(where.file, line), True))
    return tuple(units)


def body_blocks(body: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The Markdown blocks of a page's body (separated by blank lines), with their lines."""
    blocks: list[tuple[int, list[str]]] = []
    previous_blank = True
    for line_number, line in enumerate(body.split("\n"), first_line):
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            blocks.append((line_number, []))
        blocks[-1][1].append(line)
        previous_blank = False
    return [(line_number, "\n".join(lines)) for line_number, lines in blocks]


def _note(context: str, source: str, glossary: tuple[Term, ...]) -> str:
    terms = terms_in(source, glossary)
    if not terms:
        return f"Context: {context}."
    official = "; ".join(f"{t.source} = {t.target}" if t.target else t.source for t in terms)
    return f"Context: {context}. Official term: see glossary ({official})."


# ---------------------------------------------------------------- the build's warnings

def warn_stale(site: Site, site_dir: Path, report: Report) -> frozenset[tuple[str, str]]:
    """Warn (an error with --strict) about every translation whose source changed since it was
    recorded; return the (locale, unit id) of the machine translations not yet reviewed."""
    lock = read_lock(site_dir)
    if not lock:
        return frozenset()
    unreviewed = set()
    for locale in site.locales[1:]:
        for unit in units_of(site, locale):
            state = status(unit, locale, lock)
            if state == "stale":
                report.warn(unit.where.file, unit.where.line,
                            f'the {locale} translation of {unit.id} was made from an earlier '
                            f"{site.default_locale} text, changed since. Update it (python "
                            f"build.py translate export --lang {locale} --only stale), then "
                            "import it, or record it as current with `python build.py translate "
                            f"baseline --lang {locale} {unit.id}`.", unit.where.column)
            elif state == "machine":
                unreviewed.add((locale, unit.id))
    return frozenset(unreviewed)


def shows_unreviewed(unreviewed: frozenset[tuple[str, str]], locale: str, path: str,
                     slug: str | None, session_id: str | None) -> bool:
    """Whether the page at `path` (below /<locale>/) shows a machine translation not yet
    reviewed: the event's, the people's and the days' texts are on every page of the agenda,
    a session's on its page, the agenda and the program, a content page's on that page."""
    for code, unit_id in unreviewed:
        if code != locale:
            continue
        kind, name = unit_id.split("/")[:2]
        if kind == "pages":
            if name == slug:
                return True
        elif kind == "sessions":
            if name == session_id or path in ("agenda/", "program/"):
                return True
        elif slug is None or slug == "index":
            return True
    return False
