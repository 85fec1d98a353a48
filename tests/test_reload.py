"""The dev server's agenda reload: reading only the edited sessions gives what a full load gives."""

from __future__ import annotations

import random
import re

import pytest

import eventsite.load as loading
from bench.generate import write_site
from conftest import SAMPLE_AGENDA
from eventsite import reload
from eventsite.errors import SiteError
from eventsite.load import load
from eventsite.model import texts_of
from eventsite.reload import AgendaReloader, indexed, reread


@pytest.fixture(scope="module")
def congress(tmp_path_factory):
    """A 60-session congress (3 days), loaded and indexed for reloading."""
    site = write_site(60, tmp_path_factory.mktemp("congress") / "site")
    return site, indexed(load(site))


def full_load(site, text: str):
    """What a full load of `text` as the site's agenda gives: the agenda, or the mistakes."""
    (site / "agenda.yaml").write_text(text, encoding="utf-8")
    try:
        return indexed(load(site))
    except SiteError as exc:
        return exc


def located(agenda) -> tuple:
    """The site with every line it holds, which == leaves out."""
    event = agenda.site.event
    return (agenda.site, [str(w) for w in agenda.site.warnings],
            [s.source for s in event.sessions],
            [(t.source, t.key) for t in texts_of(event)], agenda.lists)


def assert_reread_like_full_load(site, agenda, text: str) -> bool:
    """Reread `text` and compare with a full load; whether it was read incrementally."""
    incremental = reread(agenda, text)
    full = full_load(site, text)
    if isinstance(full, SiteError):
        assert incremental is None, [str(p) for p in full.problems]
        return False
    if incremental is not None:
        assert located(incremental) == located(full)
    return incremental is not None


def session_lines(agenda, rng: random.Random) -> tuple[int, int]:
    """The lines of a random session."""
    listing = rng.choice(agenda.lists)
    index = rng.randrange(len(listing.dashes))
    return listing.span(index, index)


def line_edits(line: str, rng: random.Random) -> str | None:
    content = line.lstrip(" ")
    indent = len(line) - len(content)
    return rng.choice([
        None,  # delete the line
        line + " revised",
        f"{line}\n{line}",
        line.replace("0", "1"),
        line.replace("person-", "person-1"),
        " " * max(0, indent - 2) + content,
        "  " + line,
        line.replace(": ", ": &mark ", 1),
        line.replace("s-", "s-1", 1),
        line + "\n" + " " * indent + "# a comment",
    ])


def test_random_edits_to_one_session_read_again_give_what_a_full_load_gives(congress):
    site, agenda = congress
    rng = random.Random(7)
    lines = agenda.text.split("\n")
    incremental = 0
    for _ in range(150):
        start, end = session_lines(agenda, rng)
        number = rng.randrange(start, end)
        edited = line_edits(lines[number], rng)
        text = "\n".join(lines[:number] + ([] if edited is None else [edited])
                         + lines[number + 1:])
        incremental += assert_reread_like_full_load(site, agenda, text)
    assert incremental > 60  # most edits that load are read incrementally


def test_successive_edits_keep_the_index_right(congress):
    site, agenda = congress
    rng = random.Random(11)
    for _ in range(25):
        lines = agenda.text.split("\n")
        start, end = session_lines(agenda, rng)
        wrapped = [n for n in range(start, end) if lines[n].startswith("        ")]
        number = rng.choice(wrapped)  # a line of a description: written 0-2 times more
        lines[number:number] = [lines[number] + " again"] * rng.randint(0, 2)
        lines[number] += " revised"
        text = "\n".join(lines)
        assert assert_reread_like_full_load(site, agenda, text)
        agenda = reread(agenda, text)


def session_block(text: str, session: str) -> tuple[int, int]:
    """Where a session's lines of the generated agenda start and end, as text offsets."""
    start = text.index(f"  - id: {session}\n")
    return start, text.index("\n  - ", start + 1) + 1


EDGE_CASES = {
    "a session added after another": lambda t: t.replace(
        t[slice(*session_block(t, "s-3"))],
        t[slice(*session_block(t, "s-3"))] + t[slice(*session_block(t, "s-3"))]
        .replace("id: s-3", "id: s-3b").replace("Room 1", "Room 9")),
    "a session removed": lambda t: t.replace(t[slice(*session_block(t, "s-4"))], ""),
    "an id another session continues": lambda t: t.replace(
        "  - id: s-9\n", "  - id: s-9\n    continues: s-8\n").replace("id: s-8\n", "id: s-8b\n"),
    "a session continuing another": lambda t: t.replace(
        "  - id: s-9\n", "  - id: s-9\n    continues: s-8\n"),
    "a duplicate id": lambda t: t.replace("id: s-8\n", "id: s-7\n"),
    "an overlap": lambda t: t.replace("Room 1\n      es: Sala 1\n      fr: Salle 1\n    title:\n"
                                      "      en: 'Session 2:", "Room 2\n      es: Sala 1\n      "
                                      "fr: Salle 1\n    title:\n      en: 'Session 2:", 1),
    "an unknown speaker": lambda t: t.replace("  speakers:\n    - person-", "  speakers:\n    - "
                                              "nobody-", 1),
    "a missing translation": lambda t: re.sub(r"\n      es: 'Sesión 5:[^\n]*", "", t),
    "a broken page link": lambda t: t.replace("'Session 5:", "'[Session](nowhere.md) 5:"),
    "a page link": lambda t: t.replace("'Session 5:", "'[Session](index.md) 5:"),
    "a tab": lambda t: t.replace("    number: 5\n", "    number: 5\n\tx: 1\n"),
    "an unclosed quote": lambda t: t.replace("'Session 5:", "'Session 5:'x"),
    "a day's date": lambda t: t.replace("date: '2027-03-02'", "date: '2027-03-04'"),
    "the event's title": lambda t: t.replace("en: Synthetic Congress", "en: Congress"),
    "the sessions key": lambda t: t.replace("  sessions:\n  - id: s-1\n", "  sessions:\n"
                                            "  - id: s-0\n    start: 07:00\n    end: 07:30\n"
                                            "    title: Early\n  - id: s-1\n"),
    "an anchor and its alias": lambda t: t.replace("    number: 5\n", "    number: &five 5\n")
    .replace("    number: 6\n", "    number: *five\n"),
    "a time past midnight": lambda t: t.replace("end: 09:15", "end: 00:15", 1),
    "a dash on its own line": lambda t: t.replace("  - id: s-5\n", "  -\n    id: s-5\n"),
    "nothing": lambda t: t,
}


@pytest.mark.parametrize("case", EDGE_CASES)
def test_edge_cases_give_what_a_full_load_gives(congress, case):
    site, agenda = congress
    text = EDGE_CASES[case](agenda.text)
    assert text != agenda.text or case == "nothing"
    assert_reread_like_full_load(site, agenda, text)


def test_what_is_read_incrementally_and_what_falls_back(congress):
    site, agenda = congress
    outcome = {case: assert_reread_like_full_load(site, agenda, EDGE_CASES[case](agenda.text))
               for case in EDGE_CASES}
    assert [case for case, incremental in outcome.items() if incremental] == [
        "a session added after another", "a session removed", "a session continuing another",
        "a missing translation", "a page link", "the sessions key", "a dash on its own line",
        "nothing"]


def test_the_sample_agenda_s_indented_lists_and_flow_mappings(sample_site):
    site = sample_site()
    agenda = indexed(load(site))
    text = SAMPLE_AGENDA.replace("title: {en: Opening,", "title: {en: Welcome,")
    assert assert_reread_like_full_load(site, agenda, text)
    text = SAMPLE_AGENDA.replace("        speakers: [ana]\n", "")
    assert assert_reread_like_full_load(site, agenda, text)


def loaded_reloader(congress) -> AgendaReloader:
    """A reloader that has read the congress's agenda once, as the dev server's first build."""
    site, agenda = congress
    (site / "agenda.yaml").write_text(agenda.text, encoding="utf-8")
    reloader = AgendaReloader(site)
    reloader.load()
    return reloader


def test_an_edit_reads_only_the_session_edited(congress, monkeypatch):
    site, agenda = congress
    reloader = loaded_reloader(congress)
    read: list[int] = []
    real = reload.read_session
    monkeypatch.setattr(reload, "read_session", lambda *args: read.append(1) or real(*args))
    parsed: list[str] = []
    parse = reload.read_yaml
    monkeypatch.setattr(reload, "read_yaml", lambda text, file: parsed.append(text.lstrip("\n"))
                        or parse(text, file))
    (site / "agenda.yaml").write_text(agenda.text.replace("Session 7:", "Session 7 moved:"),
                                      encoding="utf-8")
    edited = reloader.reload()
    assert len(read) == 1 and len(parsed) == 1 and parsed[0].startswith("  - id: s-7\n")
    assert "Session 7 moved" in edited.event.session("s-7").title.get("en")


def test_an_edit_outside_the_sessions_loads_the_whole_file(congress, monkeypatch):
    site, agenda = congress
    reloader = loaded_reloader(congress)
    parsed: list[str] = []
    parse = loading.read_yaml
    monkeypatch.setattr(loading, "read_yaml",
                        lambda text, file: parsed.append(text) or parse(text, file))
    edited = agenda.text.replace("en: Synthetic Congress", "en: Congress of Tests")
    (site / "agenda.yaml").write_text(edited, encoding="utf-8")
    assert reloader.reload().event.title.get("en") == "Congress of Tests"
    assert parsed == [edited] and reloader.agenda.text == edited
