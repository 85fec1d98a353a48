"""What an edit changed: the dev server re-renders only the output that shows it."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, TypeVar

from .model import Event, Site

Kept = TypeVar("Kept")


def outline(event: Event) -> tuple:
    """What every page shows of the sessions: the days, their spans (the event's dates, in
    every footer) and which sessions are where, in which order, with or without a page."""
    return tuple((day.number, day.date, day.title, day.start, day.end,
                  tuple((s.id, s.has_page) for s in day.sessions)) for day in event.days)


def changed_sessions(old: Site, new: Site) -> frozenset[str] | None:
    """The ids of the sessions whose output an edit from `old` to `new` changed, or None when
    it may have changed any page (the site, the event, the pages or the outline changed).

    A session continuing a changed one is changed too: its page names the session it
    continues."""
    if (old.locales, old.base_url, old.pages) != (new.locales, new.base_url, new.pages):
        return None
    if replace(old.event, days=()) != replace(new.event, days=()):
        return None
    if outline(old.event) != outline(new.event):
        return None
    changed = {before.id for before, after in zip(old.event.sessions, new.event.sessions)
               if before != after}
    return frozenset(changed | {s.id for s in new.event.sessions if s.continues in changed})


def kept(memo: dict | None, key: tuple, make: Callable[[], Kept]) -> Kept:
    """What make() returns, kept in `memo` for the next build (the dev server's), under a key
    whose last item is the id of the session it shows; without a memo, made afresh."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return memo[key]


def forget(memo: dict, sessions: frozenset[str]) -> None:
    """Drop what the memo keeps of these sessions (its keys end with a session's id)."""
    for key in [key for key in memo if key[-1] in sessions]:
        del memo[key]
