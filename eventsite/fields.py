"""Typed, located access to one YAML mapping: every mistake becomes a Problem with its line."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from .errors import Report, closest
from .model import Source, Text
from .yamlfile import MarkedList, MarkedMap

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 60  # characters: file systems allow 255 bytes a name, and addresses should be short
FIRST_YEAR, LAST_YEAR = 1900, 2199  # a meeting's dates: beyond, date arithmetic overflows
URL = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|mailto:[^\s@]+@[^\s@]+)$")
TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


class Fields:
    """The known keys of one mapping; reads values by type and reports what is wrong."""

    def __init__(self, mapping, what: str, known: tuple[str, ...], ctx: "Context",
                 where: tuple[int, int] = (0, 0)):
        self.ctx = ctx
        self.what = what
        self.map = mapping if isinstance(mapping, MarkedMap) else MarkedMap()
        self.ok = isinstance(mapping, MarkedMap)
        self.misspelt: set[str] = set()  # known keys already reported as a typo of another key
        if mapping is None:  # an optional section left out: every field reads as absent
            return
        if not self.ok:
            ctx.report.error(ctx.file, getattr(mapping, "line", where[0]),
                             f"{what} must be a mapping of fields. Write one `field: value` per "
                             "line, indented under it.", getattr(mapping, "column", where[1]))
            return
        for key in mapping:
            if key not in known:
                self._unknown(key, known)

    def _unknown(self, key: str, known: tuple[str, ...]) -> None:
        line, column = self.map.key_marks[key]
        close = closest(key, known)
        self.misspelt.update([close] if close else [])
        hint = f'Did you mean "{close}"?' if close else f"Known fields: {', '.join(known)}."
        self.ctx.report.error(self.ctx.file, line, f'unknown field "{key}" in {self.what}. {hint}',
                              column)

    def error(self, key: str, message: str) -> None:
        line, column = self.map.where(key)
        self.ctx.report.error(self.ctx.file, line, message, column)

    def item_error(self, key: str, index: int, message: str) -> None:
        """Report a mistake in the index-th item of the list under `key`, at that item."""
        line, column = self.map[key].item_marks[index]
        self.ctx.report.error(self.ctx.file, line, message, column)

    def warn(self, key: str, message: str) -> None:
        line, column = self.map.where(key)
        self.ctx.report.warn(self.ctx.file, line, message, column)

    def raw(self, key: str, required: bool):
        value = self.map.get(key)
        if value is None and required and self.ok and key not in self.misspelt:
            article = "an" if key[0] in "aeio" else "a"  # "an id", "a url"
            self.error(key, f'{self.what} needs {article} "{key}" field. Add it.')
        return value

    def string(self, key: str, required: bool = False, pattern=None, hint: str = "") -> str | None:
        value = self.raw(key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, f'"{key}" must be text, not {_kind(value)}. Put the value in quotes.')
            return None
        value = value.strip()
        if not value:  # spaces alone are no text
            if required and self.ok:
                self.error(key, f'"{key}" is empty. Write it, or remove the line.')
            return None
        if pattern is not None and not pattern.match(value):
            self.error(key, f'"{key}" is "{value}". {hint}')
            return None
        return value

    def slug(self, key: str, required: bool = True) -> str | None:
        value = self.string(key, required, SLUG, "Use lowercase letters, digits and single "
                            "hyphens only (it becomes part of web addresses), e.g. session-1.")
        if value and len(value) > MAX_SLUG:
            self.error(key, f'"{key}" is {len(value)} characters long; it becomes part of file '
                       f"names and web addresses. Use at most {MAX_SLUG}.")
            return None
        return value

    def url(self, key: str, required: bool = False) -> str | None:
        return self.string(key, required, URL, "Write a full address starting with https://, "
                           "http:// or mailto:.")

    def integer(self, key: str, default: int) -> int:
        value = self.raw(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f'"{key}" must be a whole number, not {_kind(value)}.')
            return default
        return value

    def flag(self, key: str) -> bool:
        """A yes/no field, false when left out."""
        value = self.raw(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f'"{key}" must be true or false, not {_kind(value)}.')
            return False
        return value

    def number(self, key: str, low: float, high: float) -> float | None:
        """A number between `low` and `high`."""
        value = self.raw(key, True)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f'"{key}" must be a number such as 19.43, not {_kind(value)}.')
            return None
        if not low <= value <= high:
            self.error(key, f'"{key}" is {value}, outside {low:g} to {high:g}. Fix the number.')
            return None
        return float(value)

    def date(self, key: str, required: bool = True) -> date | None:
        value = self.raw(key, required)
        if isinstance(value, date) and not isinstance(value, datetime):
            return self.in_range(key, value)
        if value is None:
            return None
        try:
            value = date.fromisoformat(value.strip())
        except (AttributeError, ValueError):
            self.error(key, f'"{value}" is not a date that exists. Write it as YYYY-MM-DD, '
                       "e.g. 2025-02-26.")
            return None
        return self.in_range(key, value)

    def in_range(self, key: str, value: date) -> date | None:
        if FIRST_YEAR <= value.year <= LAST_YEAR:
            return value
        self.error(key, f'"{key}" is {value.isoformat()}, not a date between {FIRST_YEAR} and '
                   f"{LAST_YEAR}. Fix the year.")
        return None

    def time(self, key: str) -> time | None:
        value = self.raw(key, True)
        if value is None:
            return None
        match = TIME.match(str(value).strip()) if isinstance(value, str) else None
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.error(key, f'"{key}" is {describe(value)}, which is not a time of day. '
                       'Write it as "HH:MM" in 24-hour form, in quotes, e.g. "14:30".')
            return None
        return time(int(match[1]), int(match[2]))

    def text(self, key: str, required: bool = False) -> Text | None:
        value = self.raw(key, required)
        if value is None:
            return None
        return self.ctx.text(value, self, key)

    def mapping(self, key: str, required: bool = False):
        value = self.raw(key, required)
        if value is not None and not isinstance(value, MarkedMap):
            self.error(key, f'"{key}" must be a mapping of fields, not {_kind(value)}.')
            return None
        return value

    def sequence(self, key: str, required: bool = False) -> list:
        value = self.raw(key, required)
        if value is None:
            return []
        if not isinstance(value, MarkedList):
            self.error(key, f'"{key}" must be a list (one "- " item per line), not {_kind(value)}.')
            return []
        return value

    def item_fields(self, key: str, index: int, what: str, known: tuple[str, ...]) -> "Fields":
        """Fields of the index-th mapping in the list under `key`."""
        items = self.map[key]
        line, column = items.item_marks[index]
        if items[index] is None:
            self.ctx.report.error(self.ctx.file, line, f"this dash starts {what} with nothing in "
                                  "it. Fill in its fields, or remove the dash.", column)
        return Fields(items[index], what, known, self.ctx, (line, column))


class Context:
    """What every field reader shares: the file, the report, the site's locales."""

    def __init__(self, file: str, report: Report, locales: tuple[str, ...],
                 check_locales: bool = True):
        self.file = file
        self.report = report
        self.locales = locales
        self.check_locales = check_locales  # False when site.locales itself is wrong

    def text(self, value, fields: Fields, key: str) -> Text | None:
        """A text field: one string for every language (a name), or a mapping per language."""
        source = Source(self.file, *fields.map.where(key))
        if isinstance(value, str) and value.strip():
            return Text(tuple((loc, value.strip()) for loc in self.locales), self.locales[0],
                        same=True, key=key, source=source)
        if isinstance(value, (int, float)):
            fields.error(key, f'"{key}" is {_kind(value)}, not text. Put it in quotes if you '
                         "mean it as text.")
            return None
        if isinstance(value, str):  # spaces alone
            fields.error(key, f'"{key}" is empty. Write the text.')
            return None
        if not isinstance(value, MarkedMap) or not value:
            fields.error(key, f'"{key}" must be text, or a mapping of language to text '
                         f"({', '.join(self.locales)}), not {_kind(value)}. Write the text.")
            return None
        values = self._translations(value, key)
        if not values:
            return None
        present = {code for code, _ in values}
        fallback = next(loc for loc in self.locales if loc in present)
        for locale in self.locales:
            if locale not in present:
                fields.warn(key, f'"{key}" has no {locale} translation; the {fallback} text is '
                            f"shown instead. Add `{locale}: …` under it.")
        return Text(tuple(sorted(values, key=lambda v: self.locales.index(v[0]))), fallback,
                    key=key, source=source)

    def _translations(self, value: MarkedMap, key: str) -> list[tuple[str, str]]:
        """The (locale, text) pairs of a per-language mapping; reports bad codes and values."""
        values = []
        for locale, translated in value.items():
            line, column = value.key_marks[locale]
            if locale not in self.locales:
                if not self.check_locales:
                    continue
                self.report.error(self.file, line, f'"{locale}" is not a language of this site '
                                  f"({', '.join(self.locales)}). Fix the code or add it to "
                                  "site.locales.", column)
            elif not isinstance(translated, str) or not translated.strip():
                self.report.error(self.file, line, f'the {locale} text of "{key}" is '
                                  f"{_kind(translated)}. Write the text, in quotes.", column)
            else:
                values.append((locale, translated.strip()))
        return values


def _kind(value) -> str:
    if value is None or (isinstance(value, (dict, list)) and not value) or (
            isinstance(value, str) and not value.strip()):
        return "empty"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, MarkedList):
        return "a list"
    if isinstance(value, MarkedMap):
        return "a mapping"
    return f'"{value}"'


def describe(value) -> str:
    """A value as the organiser wrote it: "text" in quotes, else what kind of value it is."""
    return f'"{value}"' if isinstance(value, str) else _kind(value)
