"""Reload agenda.yaml after an edit by reading again only the sessions whose lines changed.

The dev server's: a congress's agenda takes most of a second to read whole, one session a
millisecond. The edit is located by the lines the old and new text do not share at their
start and end. When those lie within the sessions of one day's list, only those sessions'
lines are parsed, at their place in the file (so every line number is the whole file's),
read into Sessions and put in place of the old ones; the checks that look across sessions
(unique ids, overlaps, `continues`, page links) are made again. What this cannot prove to
give what a full load gives is left to a full load: anchors or aliases in the lines, an edit
outside the sessions or that changes how they are laid out, lines added or removed when
more than days follows them, and any mistake (the full load names them all, in its order).
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .agenda import DAY_FIELDS, Registry, check_continuations, in_time_order, read_session
from .content import check_page_links
from .errors import Problem, Report, SiteError
from .fields import Context, Fields
from .load import AGENDA, Loaded, load
from .model import Day, Item, Session, Site, Source, Text, field_names, texts_of
from .yamlfile import MarkedList, MarkedMap, read_text, read_yaml


@dataclass(frozen=True)
class SessionList:
    """Where one day's sessions are written (0-based lines): the column of their dashes, the
    line of each dash, and the line after the last session."""

    column: int
    dashes: tuple[int, ...]
    end: int

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The lines of the first to the last session (by index), the last line excluded."""
        return self.dashes[first], (self.dashes[last + 1] if last + 1 < len(self.dashes)
                                    else self.end)

    def moved(self, lines: int) -> SessionList:
        if not lines:
            return self
        return SessionList(self.column, tuple(d + lines for d in self.dashes), self.end + lines)


@dataclass(frozen=True)
class Agenda:
    """A loaded agenda and where its sessions are written."""

    text: str
    site: Site
    people: Registry
    lists: tuple[SessionList | None, ...]  # each day's; None: not a block list of dashes
    days_last: bool  # nothing follows the days: only their lines move when a session grows


class AgendaReloader:
    """Loads a site, then reloads it after edits to agenda.yaml alone, keeping the last
    agenda that loaded without mistakes."""

    def __init__(self, site_dir: Path):
        self.site_dir = site_dir
        self.agenda: Agenda | None = None

    def load(self) -> Site:
        """A full load (load_site)."""
        self.agenda = indexed(load(self.site_dir))
        return self.agenda.site

    def reload(self) -> Site:
        """The site after an edit to agenda.yaml alone since the last load, reading again only
        the sessions it changed when that is safe."""
        path = self.site_dir / AGENDA
        if self.agenda is None or not path.is_file():
            return self.load()
        agenda = reread(self.agenda, read_text(path, AGENDA))
        if agenda is None:
            return self.load()
        self.agenda = agenda
        return agenda.site


def indexed(loaded: Loaded) -> Agenda:
    lines = loaded.text.split("\n")
    keys = loaded.tree.key_marks
    return Agenda(loaded.text, loaded.site, loaded.people,
                  tuple(session_list(day["sessions"], lines) for day in loaded.tree["days"]),
                  keys["days"][0] == max(line for line, _ in keys.values()))


def session_list(sessions: MarkedList, lines: list[str]) -> SessionList | None:
    column = sessions.column - 1
    dashes = [dash_above(lines, line - 1, column) for line, _ in sessions.item_marks]
    if None in dashes:
        return None
    end = next((number for number in range(dashes[-1] + 1, len(lines))
                if is_outside(lines[number], column)), len(lines))
    return SessionList(column, tuple(dashes), end)


def is_dash(line: str, column: int) -> bool:
    """Whether the line starts an item of a block list whose dashes are at `column`."""
    return line[:column] == " " * column and line[column:column + 2] in ("-", "- ")


def is_outside(line: str, column: int) -> bool:
    """Whether the line is no part of the item above it, in a list whose dashes are at
    `column`: written at or left of the dashes, and neither blank nor a comment."""
    content = line.lstrip(" ")
    return bool(content) and not content.startswith("#") and len(line) - len(content) <= column


def dash_above(lines: list[str], number: int, column: int) -> int | None:
    """The line of the dash of the item whose value starts on line `number`: that line, or
    the one the dash stands alone on above it."""
    for above in range(number, -1, -1):
        if is_dash(lines[above], column):
            return above
        if above < number and is_outside(lines[above], column):
            return None
    return None


def reread(agenda: Agenda, text: str) -> Agenda | None:
    """The agenda after an edit to its text, reading again only the sessions the edit
    changed; None when that cannot be shown to give what a full load gives."""
    if text == agenda.text:
        return agenda
    first, last, last_new, first_offset = changed_lines(agenda.text, text)
    lines = last_new - last  # added by the edit (removed when negative)
    found = sessions_around(agenda.lists, first, last)
    if found is None or (lines and not agenda.days_last):
        return None
    day, first_index, last_index = found
    listing = agenda.lists[day]
    start, end = listing.span(first_index, last_index)
    start_offset = line_start(agenda.text, start, first, first_offset)
    before = agenda.text[start_offset:line_start(agenda.text, end, first, first_offset)]
    after = text[start_offset:line_start(text, end + lines, first, first_offset)]
    written = after.split("\n")
    if (not is_dash(written[0], listing.column)
            or any(is_outside(line, listing.column) and not is_dash(line, listing.column)
                   for line in written)
            or has_anchors(before) or has_anchors(after)):
        return None
    try:  # the lines before pad it, so that each line has its number in the file
        tree = read_yaml("\n" * start + after, AGENDA)
    except SiteError:
        return None
    if not isinstance(tree, MarkedList) or tree.column != listing.column + 1:
        return None
    dashes = [dash_above(written, line - 1 - start, listing.column) for line, _ in tree.item_marks]
    if None in dashes:
        return None
    site = reread_sessions(agenda, day, first_index, last_index, tree, (start, end), lines)
    if site is None:
        return None
    edited = SessionList(listing.column, (
        *listing.dashes[:first_index], *(start + dash for dash in dashes),
        *(dash + lines for dash in listing.dashes[last_index + 1:])), listing.end + lines)
    return Agenda(text, site, agenda.people, (
        *agenda.lists[:day], edited,
        *(other and other.moved(lines) for other in agenda.lists[day + 1:])), agenda.days_last)


def reread_sessions(agenda: Agenda, day: int, first: int, last: int, tree: MarkedList,
                    span: tuple[int, int], lines: int) -> Site | None:
    """The site with the first to last sessions (in file order) of a day, written on the
    lines of `span`, read from `tree`, and what is below them moved by `lines`; None on any
    mistake."""
    start, end = span
    site, event = agenda.site, agenda.site.event
    report = Report()
    ctx = Context(AGENDA, report, site.locales)
    old_day = event.days[day]
    in_file = sorted(old_day.sessions, key=lambda s: s.source.line)
    replaced = {s.id for s in in_file[first:last + 1]}
    seen = Registry((s.id, s.source.line) for s in event.sessions if s.id not in replaced)
    day_map = MarkedMap()
    day_map.put("sessions", tree, (tree.line, tree.column), (tree.line, tree.column))
    listed = Fields(day_map, "a day", DAY_FIELDS, ctx)
    read = [read_session(listed, index, old_day.date, agenda.people,
                         ZoneInfo(event.timezone), seen, ctx) for index in range(len(tree))]
    if report.errors:
        return None
    sessions = in_time_order([*in_file[:first], *read,
                              *(moved(s, end, lines) for s in in_file[last + 1:])], ctx)
    days = (*event.days[:day], Day(old_day.number, old_day.date,
                                   moved(old_day.title, end, lines), sessions),
            *(moved(other, end, lines) for other in event.days[day + 1:]))
    check_continuations(days, seen, ctx)
    check_page_links(site.pages, texts_of(tuple(read)), report)
    if report.errors:
        return None
    warnings = [problem for problem in site.warnings if problem.file == AGENDA
                and not start < problem.line <= end]
    warnings = sorted([*(moved(problem, end, lines) for problem in warnings), *report.warnings],
                      key=lambda problem: problem.line)
    return replace(site, event=replace(event, days=days), warnings=(
        *warnings, *(problem for problem in site.warnings if problem.file != AGENDA)))


def moved(value, below: int, lines: int):
    """A day, session, text or problem with what is written below line `below` (1-based
    lines after it) moved down by `lines`; itself when nothing moved."""
    if not lines:
        return value
    if isinstance(value, Source):
        return Source(value.file, value.line + lines, value.column) if value.line > below else value
    if isinstance(value, Problem):
        return replace(value, line=value.line + lines) if value.line > below else value
    if isinstance(value, Text):  # its values are plain strings: only its source can move
        source = moved(value.source, below, lines)
        return value if source is value.source else replace(value, source=source)
    if isinstance(value, tuple):
        items = tuple(moved(item, below, lines) for item in value)
        return value if all(map(operator.is_, items, value)) else items
    if isinstance(value, (Day, Session, Item)):  # people are above the days: they stay
        changes = {name: new for name in field_names(type(value))
                   if (new := moved(getattr(value, name), below, lines))
                   is not getattr(value, name)}
        return replace(value, **changes) if changes else value
    return value


def changed_lines(old: str, new: str) -> tuple[int, int, int, int]:
    """Where two texts differ: the first line that differs (0-based, the same in both), the
    last line of the old text and of the new that differ, and where the first line starts."""
    same_start = shared_start(old, new)
    same_end = shared_end(old, new, min(len(old), len(new)) - same_start)
    return (old.count("\n", 0, same_start), old.count("\n", 0, len(old) - same_end),
            new.count("\n", 0, len(new) - same_end), old.rfind("\n", 0, same_start) + 1)


def shared_start(a: str, b: str) -> int:
    """How many characters two texts share at their start, compared in halving slices: the
    comparisons run at C speed, never a Python step per character."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def shared_end(a: str, b: str, most: int) -> int:
    """How many characters (at most `most`) two texts share at their end."""
    low, high = 0, most
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle:len(a) - low] == b[len(b) - middle:len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def sessions_around(lists: tuple[SessionList | None, ...], first: int, last: int
                    ) -> tuple[int, int, int] | None:
    """The day and the first and last session (by index in the file) whose lines hold lines
    first to last, or None when these are not all within one day's sessions. An edit on a
    session's first line may have ended the session above it: that one is read again too."""
    for day, listing in enumerate(lists):
        if listing and listing.dashes[0] <= first and last < listing.end:
            first_index = bisect.bisect_right(listing.dashes, first) - 1
            if first == listing.dashes[first_index] and first_index > 0:
                first_index -= 1
            return day, first_index, bisect.bisect_right(listing.dashes, last) - 1
    return None


def line_start(text: str, number: int, known: int, known_start: int) -> int:
    """Where line `number` starts, walking from line `known`, which starts at known_start (the
    lines between are few); the end of the text for a line beyond it."""
    offset = known_start
    for _ in range(known - number):
        offset = text.rfind("\n", 0, offset - 1) + 1
    for _ in range(number - known):
        offset = text.find("\n", offset) + 1
        if not offset:
            return len(text)
    return offset


_EVENTS = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def has_anchors(lines: str) -> bool:
    """Whether YAML lines define or use an anchor (a value shared with other lines)."""
    if "&" not in lines and "*" not in lines:
        return False
    try:
        return any(getattr(event, "anchor", None) for event in yaml.parse(lines, _EVENTS))
    except yaml.YAMLError:
        return True
