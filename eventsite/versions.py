"""Published versions of the schedule, and what changed from one to the next.

`python build.py publish` records the schedule as published in `published/versions.json`
beside agenda.yaml (organisers keep it in git with their sources): a version number, the
date (the only place the clock is read), an optional note per language and, for each
session, what attendees rely on: times, room, title, speakers, status. Builds compare those
snapshots by session id to say what changed, to mark sessions moved, new or cancelled, and
to give calendars their SEQUENCE.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from .errors import Problem, SiteError
from .model import Session, Site

VERSIONS = Path("published", "versions.json")


@dataclass(frozen=True)
class Snapshot:
    """A session as a version published it (its title and room in the site's first language)."""

    start: str  # ISO 8601 with the offset
    end: str
    room: str
    title: str
    speakers: tuple[str, ...]
    cancelled: bool


@dataclass(frozen=True)
class Version:
    number: int
    date: date
    note: tuple[tuple[str, str], ...]  # (locale, text)
    sessions: tuple[tuple[str, Snapshot], ...]  # (session id, snapshot), in agenda order

    @cached_property  # a badge or a SEQUENCE per session looks each one up
    def by_id(self) -> dict[str, Snapshot]:
        return dict(self.sessions)

    def snapshot(self, session_id: str) -> Snapshot | None:
        return self.by_id.get(session_id)

    def note_in(self, locale: str, fallback: str) -> tuple[str, str] | None:
        """The note in `locale`, else in `fallback`: (its language, its text)."""
        notes = dict(self.note)
        found = next((code for code in (locale, fallback) if notes.get(code)), None)
        return (found, notes[found]) if found else None


@dataclass(frozen=True)
class Change:
    """One session's change from a version to the next: new, cancelled, moved (its start or
    room), retimed (its end), renamed, speakers."""

    kind: str
    session_id: str
    before: Snapshot | None
    after: Snapshot


def snapshot(site: Site, session: Session) -> Snapshot:
    locale = site.default_locale
    return Snapshot(session.start.isoformat(timespec="minutes"),
                    session.end.isoformat(timespec="minutes"),
                    session.room.get(locale) if session.room else "",
                    session.title.get(locale) if session.title else "",
                    tuple(person.id for person in session.speakers), session.cancelled)


def current(site: Site) -> dict[str, Snapshot]:
    return {session.id: snapshot(site, session) for session in site.event.sessions}


def changes(before: dict[str, Snapshot], after: dict[str, Snapshot]) -> list[Change]:
    """What changed for each session from `before` to `after`, in `after`'s order."""
    found = []
    for session_id, now in after.items():
        then = before.get(session_id)
        if then is None:
            found.append(Change("new", session_id, None, now))
            continue
        if now.cancelled and not then.cancelled:
            found.append(Change("cancelled", session_id, then, now))
            continue
        if (now.start, now.room) != (then.start, then.room):
            found.append(Change("moved", session_id, then, now))
        elif now.end != then.end:
            found.append(Change("retimed", session_id, then, now))
        if now.title != then.title:
            found.append(Change("renamed", session_id, then, now))
        if now.speakers != then.speakers:
            found.append(Change("speakers", session_id, then, now))
    return found


def history(versions: tuple[Version, ...]) -> list[tuple[Version, list[Change]]]:
    """Each version after the first with what it changed, the newest first."""
    return [(later, changes(dict(earlier.sessions), dict(later.sessions)))
            for earlier, later in zip(versions, versions[1:])][::-1]


def badge(site: Site, session: Session) -> str | None:
    """What attendees who saw the first version should notice: cancelled, new or moved."""
    if not site.versions:
        return None
    if session.cancelled:
        return "cancelled"
    first, now = site.versions[0].snapshot(session.id), snapshot(site, session)
    if first is None:
        return "new"
    if (first.start, first.room) != (now.start, now.room):
        return "moved"
    return None


def sequence(site: Site, session: Session) -> int:
    """How many times the session's time, place or status changed in the published versions
    and since the last one: a calendar app takes a higher SEQUENCE as an update."""
    if not site.versions:
        return 0
    snapshots = [v.snapshot(session.id) for v in site.versions] + [snapshot(site, session)]
    return sum(1 for then, later in zip(snapshots, snapshots[1:]) if then and later and (
        (then.start, then.end, then.room, then.cancelled)
        != (later.start, later.end, later.room, later.cancelled)))


def last_changed(versions: tuple[Version, ...], session_id: str) -> date | None:
    """The date of the last version in which the session changed, or first appeared."""
    found = None
    for earlier, later in zip((None, *versions), versions):
        then = earlier.snapshot(session_id) if earlier else None
        if later.snapshot(session_id) is not None and then != later.snapshot(session_id):
            found = later.date
    return found


@dataclass(frozen=True)
class Published:
    """What the pages show of the published versions (templates receive it as `published`)."""

    site: Site

    @property
    def latest(self) -> Version | None:
        return self.site.versions[-1] if self.site.versions else None

    def badge(self, session: Session) -> str | None:
        return badge(self.site, session)

    def history(self) -> list[tuple[Version, list[Change]]]:
        return history(self.site.versions)

    def session(self, session_id: str) -> Session | None:
        return next((s for s in self.site.event.sessions if s.id == session_id), None)

    @staticmethod
    def moment(iso: str) -> datetime:
        return datetime.fromisoformat(iso)


def read_versions(site_dir: Path) -> tuple[Version, ...]:
    """published/versions.json, checked; () where nothing was published yet."""
    path = site_dir / VERSIONS
    if not path.is_file():
        return ()
    file = VERSIONS.as_posix()
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        versions = tuple(read_version(entry, number) for number, entry in
                         enumerate(data["versions"], 1))
    except json.JSONDecodeError as exc:
        raise SiteError([Problem(file, exc.lineno, f"this is not valid JSON ({exc.msg}). "
                                 "Restore the file from git: `python build.py publish` writes "
                                 "it.", exc.colno)]) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SiteError([Problem(file, 0, f"a version is not as `publish` wrote it ({exc}). "
                                 "Restore the file from git: edit it only with `python "
                                 "build.py publish`.")]) from None
    check_dates(versions)
    return versions


def read_version(entry: dict, expected: int) -> Version:
    if entry["version"] != expected:
        raise ValueError(f"version {entry['version']} where {expected} should be: versions go "
                         "up by one")
    sessions = tuple((key, Snapshot(**{**value, "speakers": tuple(value["speakers"])}))
                     for key, value in entry["sessions"].items())
    note = tuple(sorted((str(k), str(v)) for k, v in (entry.get("note") or {}).items()))
    return Version(expected, date.fromisoformat(entry["date"]), note, sessions)


def check_dates(versions: tuple[Version, ...]) -> None:
    for earlier, later in zip(versions, versions[1:]):
        if later.date < earlier.date:
            raise SiteError([Problem(VERSIONS.as_posix(), 0, f"version {later.number} is dated "
                                     f"{later.date}, before version {earlier.number} "
                                     f"({earlier.date}). Restore the file from git.")])


def publish(site: Site, versions: tuple[Version, ...], site_dir: Path, today: date,
            notes: dict[str, str]) -> Version:
    """Record the current schedule as the next version; refused when nothing changed."""
    now = current(site)
    if versions and dict(versions[-1].sessions) == now:
        raise SiteError([Problem(VERSIONS.as_posix(), 0, f"nothing changed since version "
                                 f"{versions[-1].number} ({versions[-1].date}), so there is "
                                 "nothing to publish.")])
    unknown = sorted(set(notes) - set(site.locales))
    if unknown:
        raise SiteError([Problem("publish", 0, f'"{unknown[0]}" is not a language of this site '
                                 f"({', '.join(site.locales)}). Give the note as LANG=TEXT.")])
    version = Version(len(versions) + 1, today, tuple(sorted(notes.items())),
                      tuple(now.items()))
    path = site_dir / VERSIONS
    path.parent.mkdir(exist_ok=True)
    entries = [{"version": v.number, "date": v.date.isoformat(), "note": dict(v.note),
                "sessions": {key: asdict(value) for key, value in v.sessions}}
               for v in (*versions, version)]
    path.write_text(json.dumps({"versions": entries}, ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return version


def today_at(timezone: str) -> date:
    """The date at the meeting's place: what `publish` records (the only use of the clock)."""
    return datetime.now(ZoneInfo(timezone)).date()
