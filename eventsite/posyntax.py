"""Check a gettext .po file's syntax line by line, as GNU msgfmt does.

Babel's reader is lenient: an unclosed quote or a stray word is silently read as part of a
translation, so a broken catalog would still "work". This finds the first such mistake and
names its line, before Babel reads the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Problem, closest

KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
_ESCAPE = r"""\\(?:[abfnrtv\\"'?]|[0-7]{1,3}|x[0-9a-fA-F]+)"""
_STRING = re.compile(rf'"((?:[^"\\]|{_ESCAPE})*)"')
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=\s|\"|$)\s*")


class PoSyntaxError(Exception):
    """The first syntax mistake in a .po file: (line, column, message)."""


@dataclass
class _Entry:
    """The message being read: which parts it has so far, and where it started."""

    line: int = 0
    parts: dict[str, str] = field(default_factory=dict)

    def key(self) -> tuple[str | None, str]:
        return self.parts.get("msgctxt"), self.parts["msgid"]


def first_syntax_problem(text: str, file: str) -> Problem | None:
    """The first line of `text` that msgfmt would refuse, or None when the syntax is sound."""
    try:
        _check(text.split("\n"))
    except PoSyntaxError as exc:
        line, column, message = exc.args
        return Problem(file, line, message, column)
    return None


def _check(lines: list[str]) -> None:
    entry, seen, last = _Entry(), {}, None  # last: the part a continuation line extends
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            last = None
            continue
        indent = len(line) - len(line.lstrip())
        if stripped.startswith('"'):
            if last is None:
                raise PoSyntaxError(number, indent + 1, "this quoted text follows no msgid or "
                                    "msgstr. Join it to the text above, or remove the blank line.")
            entry.parts[last] += _string(stripped, number, indent)
            continue
        keyword = _KEYWORD.match(stripped)
        if not keyword:
            raise PoSyntaxError(number, indent + 1, _unknown_keyword(stripped))
        name = keyword[1]
        value = _string(stripped[keyword.end():], number, indent + keyword.end())
        entry = _add_part(entry, name, value, number, seen)
        last = name
    _finish(entry, seen)


def _add_part(entry: _Entry, name: str, value: str, number: int, seen: dict) -> _Entry:
    """Add one keyword line to the message, starting a new message where one begins."""
    if name == "msgctxt" or (name == "msgid" and set(entry.parts) != {"msgctxt"}):
        _finish(entry, seen)
        entry = _Entry(number)
    elif "msgid" not in entry.parts and name != "msgid":
        raise PoSyntaxError(number, 1, f"{name} comes before any msgid. Put the msgid line "
                            "first.")
    elif name in entry.parts:
        raise PoSyntaxError(number, 1, f"{name} appears twice in this message. Remove one, or "
                            "separate the messages with a blank line.")
    elif name == "msgid_plural" and any(part.startswith("msgstr") for part in entry.parts):
        raise PoSyntaxError(number, 1, "msgid_plural comes after msgstr. Put it right after "
                            "the msgid.")
    plural = "msgid_plural" in entry.parts
    if name == "msgstr" and plural or name.startswith("msgstr[") and not plural:
        wanted = "msgstr[0], msgstr[1]" if plural else "msgstr"
        raise PoSyntaxError(number, 1, f"this message needs {wanted} here, not {name}. Use "
                            f"{wanted}.")
    entry.parts[name] = value
    return entry


def _finish(entry: _Entry, seen: dict) -> None:
    if not entry.parts:
        return
    if "msgid" not in entry.parts:
        raise PoSyntaxError(entry.line, 1, "this msgctxt has no msgid after it. Add the msgid "
                            "and msgstr lines.")
    if not any(part.startswith("msgstr") for part in entry.parts):
        raise PoSyntaxError(entry.line, 1, 'this msgid has no msgstr after it. Add a line '
                            'msgstr "" below it.')
    key = entry.key()
    if key in seen:
        raise PoSyntaxError(entry.line, 1, f"this message is also on line {seen[key]}. Keep "
                            "one of them.")
    seen[key] = entry.line


def _string(rest: str, number: int, offset: int) -> str:
    """The content of the one quoted string that must make up `rest`."""
    if not rest.startswith('"'):
        raise PoSyntaxError(number, offset + 1, "the text must be in double quotes. Write "
                            'it as "…".')
    match = _STRING.match(rest)
    if match and match.end() == len(rest.rstrip()):
        return match[1]
    escape = re.search(r"\\(?![abfnrtv\\\"'?0-7x])", rest)
    if escape and (not match or escape.start() < match.end()):
        raise PoSyntaxError(number, offset + escape.start() + 1, f"\\{rest[escape.end():][:1]} is "
                            "not an escape code. Write \\\\ for a backslash.")
    if not match:
        raise PoSyntaxError(number, offset + 1, "the quote opened here is not closed on this "
                            'line. End the line with ", or write \\" for a quote inside.')
    after = len(rest) - len(rest[match.end():].lstrip())
    raise PoSyntaxError(number, offset + after + 1, "there is text after the closing "
                        'quote. Put it inside the quotes, and write \\" for a quote inside.')


def _unknown_keyword(stripped: str) -> str:
    word = stripped.split()[0].split('"')[0]
    close = closest(word, KEYWORDS)
    hint = f"Did you mean {close}?" if close else "Lines start with msgid, msgstr, \" or #."
    return f'"{word}" is not a .po keyword. {hint}'
