"""Dates, times, durations and names as CLDR writes them in each locale (via Babel), in
each language's house style (a HouseStyle: which CLDR locale, which clock).

Each is a pure function of hashable values. The templates' filters memoise them (`memoised`, in
render.make_environment): a programme has hundreds of sessions but a few dozen distinct start
times, and Babel takes tens of microseconds per call.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import (format_date, format_datetime, format_interval,
                         get_timezone_location, match_skeleton, parse_pattern)
from babel.numbers import format_decimal
from babel.units import format_unit

from .model import HouseStyle


def memoised(function):
    """A memoised copy of a formatter, which lives as long as whoever made it. The key includes
    each argument's zone: an instant in Mexico City equals the same instant in Paris, but is
    written differently."""
    @lru_cache(maxsize=4096)
    def keyed(zones: tuple, args: tuple, options: tuple):
        return function(*args, **dict(options))

    @wraps(function)
    def call(*args, **options):
        zones = tuple(getattr(arg, "tzinfo", None) for arg in args)
        return keyed(zones, args, tuple(sorted(options.items())))
    return call


@lru_cache(maxsize=None)  # a code names the same CLDR data for ever
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


# Each language's house style where it differs from CLDR (terminology.md, "Typography and
# formats"). Everything else comes from the CLDR locale the organiser chose for the language.
TWENTY_FOUR_HOUR_LANGUAGES = ("fr", "es")  # government usage; CLDR gives es_MX a 12-hour clock
NO_BREAK = "\u00a0"  # keeps "9 h 20" and "1 h 40 min" on one line
NARROW_NO_BREAK = "\u202f"


def cldr_of(style: HouseStyle) -> Locale:
    return babel_locale(style.cldr)


def clock_of(style: HouseStyle) -> int:
    """12 or 24: the organiser's choice, else 24 in French and Spanish government usage, else
    the CLDR locale's own habit."""
    if style.clock:
        return style.clock
    cldr = cldr_of(style)
    if cldr.language in TWENTY_FOUR_HOUR_LANGUAGES:
        return 24
    return 12 if "h" in cldr.time_formats["short"].pattern else 24


def full_date(day: date, style: HouseStyle) -> str:
    """'mercredi 26 février 2025', 'miércoles 26 de febrero de 2025'.

    Spanish without CLDR's comma after the weekday ('miércoles, 26 de…'): the date is also
    used within sentences ('Continúa el jueves 27 de febrero…'), where a reviser strikes it."""
    cldr = cldr_of(style)
    pattern = cldr.date_formats["full"].pattern
    if cldr.language == "es":
        pattern = pattern.replace("EEEE, ", "EEEE ")
    return format_date(day, pattern, locale=cldr)


def time_pattern(style: HouseStyle, minute: int) -> str:
    """The CLDR pattern of a time of day in the house style."""
    cldr, clock = cldr_of(style), clock_of(style)
    if cldr.language == "fr" and clock == 24:
        # Canadian government and CEC usage: "9 h", "9 h 20" (CLDR fr_CA writes "09 h 00",
        # fr "09:00"): no leading zero, no bare " 00".
        return f"H{NO_BREAK}'h'" + (f"{NO_BREAK}mm" if minute else "")
    short = cldr.time_formats["short"].pattern
    if ("H" in short) != (clock == 24):  # the locale's habit is the other clock
        short = cldr.datetime_skeletons["Hm" if clock == 24 else "hm"].pattern
    if cldr.language == "es" and clock == 24:
        return short.replace("HH", "H")  # "9:00", as es writes it (es_MX's 24-hour form: "09:00")
    return short


def short_time(moment: datetime, style: HouseStyle) -> str:
    """'9:00 AM' / '9:00' / '9 h 20': the house style's clock, on one line (en_GB's pattern
    has a breaking space before 'am')."""
    return format_datetime(moment, time_pattern(style, moment.minute), tzinfo=moment.tzinfo,
                           locale=cldr_of(style)).replace(" ", NO_BREAK)


def time_range(start: datetime, end: datetime, style: HouseStyle) -> str:
    """'9 h – 9 h 20', '9:00 – 9:20', '9:00 AM – 9:20 AM': each end written whole, so that it
    reads like the times around it (CLDR's '9:00 – 9:20 AM' leaves a time without its AM)."""
    return interval(short_time(start, style), short_time(end, style), style)


def interval(first: str, second: str, style: HouseStyle) -> str:
    """Join two formatted values with the locale's CLDR interval pattern ('{0} – {1}'), the
    space before the dash made unbreakable: a line never starts with '– 9 h 20'."""
    pattern = cldr_of(style).interval_formats.get(None, "{0}–{1}")
    pattern = pattern.replace(" –", NO_BREAK + "–").replace("\u2009–", NARROW_NO_BREAK + "–")
    return pattern.replace("{0}", first, 1).replace("{1}", second, 1)


# Month names spelt out: '26–27 February 2025', never 'Feb 26 – 27, 2025'.
DATE_RANGE_SKELETON = "yMMMMd"
_ABBREVIATED_MONTH = re.compile(r"(?<!M)MMM(?!M)")


def date_range(start: date, end: date, style: HouseStyle) -> str:
    """'26–27 février 2025', 'February 26 – March 1, 2025': CLDR's interval format.

    Babel picks the closest interval format (yMMMd where a locale has no yMMMMd) but, unlike
    TR35's matching, does not widen its fields to the skeleton's: done here, MMM → MMMM."""
    cldr = cldr_of(style)
    if start == end:  # a one-day meeting: CLDR's long date, the month spelt out too
        return format_date(start, "long", locale=cldr)
    skeleton = match_skeleton(DATE_RANGE_SKELETON, cldr.interval_formats)
    if not skeleton:
        return format_interval(start, end, DATE_RANGE_SKELETON, locale=cldr)
    patterns = cldr.interval_formats[skeleton]
    field = next((f for f, value in (("y", start.year != end.year),
                                      ("M", start.month != end.month), ("d", True))
                  if value and f in patterns), None)
    if field is None:
        return format_interval(start, end, DATE_RANGE_SKELETON, locale=cldr)
    return "".join(parse_pattern(_widened(pattern)).apply(day, cldr)
                   for pattern, day in zip(patterns[field], (start, end)))


def _widened(pattern: str) -> str:
    """MMM → MMMM outside the pattern's quoted literals ("d 'de' MMM")."""
    parts = pattern.split("'")
    return "'".join(_ABBREVIATED_MONTH.sub("MMMM", part) if index % 2 == 0 else part
                    for index, part in enumerate(parts))


def duration(span: timedelta, style: HouseStyle) -> str:
    """'20 min', '1 h 40 min' ('1 h 40' in French): CLDR's short units, never rounded as
    format_timedelta would, on one line. Narrow units read as something else ('20m', metres)."""
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    if cldr_of(style).language == "fr" and hours and minutes:
        # Canadian government usage: the minutes after hours carry no unit, "1 h 40", "2 h 05".
        written = f"{unit(hours, 'duration-hour', style)} {minutes:02d}"
    else:
        parts = [unit(hours, "duration-hour", style)] if hours else []
        if minutes or not hours:
            parts.append(unit(minutes, "duration-minute", style))
        written = parts[0] if len(parts) == 1 else joined_units(parts, style)
    return written.replace(" ", NO_BREAK).replace(NARROW_NO_BREAK, NO_BREAK)


# Where the house style's unit differs from CLDR's short one ("1 hr", "20 mins" in en_GB):
# the international symbols h and min of ISO 80000-3, as terminology.md writes English.
UNIT_SYMBOLS = {"en": {"duration-hour": "{0} h", "duration-minute": "{0} min"}}


def unit(value: int, name: str, style: HouseStyle) -> str:
    """A value with its unit, as short as the locale has it ('40 min', '1 h', '1 Std.').

    Read from CLDR's unit patterns directly: Babel's format_unit does not fall back to the
    'other' form where a length lacks the value's plural form, and writes '1 horas' in es."""
    cldr = cldr_of(style)
    number = format_decimal(value, locale=cldr)
    symbol = UNIT_SYMBOLS.get(cldr.language, {}).get(name)
    if symbol:
        return symbol.format(number)
    patterns = cldr._data["unit_patterns"].get(name, {})
    for length in ("short", "narrow", "long"):
        forms = patterns.get(length, {})
        pattern = forms.get(cldr.plural_form(value)) or forms.get("other")
        if pattern:
            return pattern.format(number)
    return format_unit(value, name, length="long", locale=cldr)


def joined_units(parts: list[str], style: HouseStyle) -> str:
    """Two values with units as the locale joins them ('1 h 40 min', '1小时40分钟'), by its
    list pattern for two (Babel's format_list fails where a style lacks the others). The
    narrow list pattern first: the short one of en and es has a comma, '1 hr, 40 min'."""
    patterns = cldr_of(style).list_patterns
    for list_style in ("unit-narrow", "unit-short", "unit"):
        pattern = patterns.get(list_style, {}).get("2")
        if pattern:
            return pattern.format(*parts)
    return " ".join(parts)


# Where CLDR's exemplar city, a name as a heading gives it, takes an article in running text
# (terminology.md: "la Ciudad de México", "hora de la Ciudad de México").
CITY_IN_RUNNING_TEXT = {("es", "Ciudad de México"): "la Ciudad de México"}
# French "à" joins the article of a city's name: "au Caire", "aux Sables-d’Olonne", never
# "à Le Caire" (site.js applies these to the visitor's "16 h à %(city)s").
CONTRACTIONS = {"fr": {"à Le ": "au ", "à Les ": "aux ", "à le ": "au ", "à les ": "aux "}}


def zone_city(zone: str, style: HouseStyle) -> str:
    """The zone's city as the language writes it in a sentence: 'Mexico City', 'la Ciudad de
    México', 'Mexico' (CLDR's exemplar city)."""
    cldr = cldr_of(style)
    city = get_timezone_location(ZoneInfo(zone), locale=cldr, return_city=True)
    return CITY_IN_RUNNING_TEXT.get((cldr.language, city), city)


def utc_offset(moment: datetime) -> str:
    """'UTC−6', 'UTC+5:30', 'UTC': one form in every language, with a real minus sign (CLDR
    writes 'GMT-06:00' in en and es, 'UTC−06:00' in fr)."""
    minutes = offset_minutes(moment)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else "\u2212"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def exemplar_cities(cldr: str) -> dict[str, str]:
    """The cities CLDR names otherwise in the locale than the zone's own name does, by zone
    ('Europe/Paris': 'París' in es), under CLDR's name and the tz database's current one
    (Asia/Calcutta and Asia/Kolkata), as browsers report either. site.js names the visitor's
    city from this, since browsers have no city names, and any other zone's from its name
    ('America/Vancouver' → 'Vancouver'), as CLDR does."""
    named = {zone: _article_first(info["city"])
             for zone, info in babel_locale(cldr).time_zones.items() if "city" in info}
    for old, current in get_global("zone_aliases").items():
        if old in named or current in named:
            named[old] = named[current] = named.get(old) or named[current]
    return {zone: city for zone, city in sorted(named.items())
            if city != zone.rsplit("/", 1)[-1].replace("_", " ")}


# CLDR's French lists some names with their article last, as an index does: "Barbade (La)".
_ARTICLE_LAST = re.compile(r"^(?P<name>.+) \((?P<article>La|Le|Les)\)$")


def _article_first(city: str) -> str:
    """'Barbade (La)' → 'la Barbade', the name as a sentence says it ('16 h à la Barbade')."""
    inverted = _ARTICLE_LAST.match(city)
    return f"{inverted['article'].lower()} {inverted['name']}" if inverted else city


def visitor_clock(style: HouseStyle) -> dict[str, object]:
    """How site.js writes the visitor's own times so that they read like the event's: the
    language's CLDR locale for Intl (en-GB), the house style's 12- or 24-hour clock, whether
    its hours take a leading zero (Intl's es-MX writes "07:00", the pages "7:00"), the
    separator of its time ranges ('9:00 – 9:20'), whether hours are written '16 h 20'
    (French house style, terminology.md), and the language's contractions before a city."""
    clock = clock_of(style)
    separator = interval("{0}", "{1}", style).split("{0}", 1)[-1].split("{1}", 1)[0]
    pattern = time_pattern(style, minute=20)
    return {"locale": style.cldr.replace("_", "-"), "hourCycle": "h23" if clock == 24 else "h12",
            "hourPadded": "HH" in pattern or "hh" in pattern, "rangeSeparator": separator,
            "hourMark": cldr_of(style).language == "fr" and clock == 24,
            "contractions": CONTRACTIONS.get(cldr_of(style).language, {})}




def offset_minutes(moment: datetime) -> int:
    """The UTC offset in minutes (-360 for Mexico City), as JavaScript's Date compares it."""
    return int(moment.utcoffset().total_seconds() // 60)


def language_name(code: str, locale: str) -> str:
    """A language's name in the locale, from CLDR: 'Brazilian Portuguese', 'español de México';
    where CLDR names no regional variant, the language with its region: 'português (Brasil)'."""
    cldr, language = babel_locale(locale), babel_locale(code)
    return cldr.languages.get(str(language)) or language.get_display_name(cldr) or code


def own_language_name(code: str) -> str:
    """A language's name in itself, for a list of languages to choose from: its first letter
    upper-cased as the language does ('Español de México', 'Português (Brasil)', Turkish and
    Azerbaijani i → İ); the rest as CLDR writes it."""
    name = language_name(code, code)
    first = name[:1]
    if first == "i" and babel_locale(code).language in ("tr", "az"):
        return "İ" + name[1:]
    return first.upper() + name[1:]


def country_name(code: str, locale: str) -> str:
    return babel_locale(locale).territories.get(code, code)


def iso_datetime(moment: datetime) -> str:
    """Machine-readable time with its offset, minutes precision: 2025-02-26T09:00-06:00."""
    return moment.isoformat(timespec="minutes")


def file_size(size: int, locale: str) -> str:
    """'85 kB', '85 ko', '1.2 MB': CLDR's decimal units, as a download link states a size."""
    cldr = babel_locale(locale)
    kilobytes = max(1, round(size / 1000))
    if kilobytes < 1000:
        return format_unit(kilobytes, "digital-kilobyte", length="short", locale=cldr)
    return format_unit(round(size / 1_000_000, 1), "digital-megabyte", length="short",
                       locale=cldr)


def iso_seconds(moment: datetime) -> str:
    """'2025-02-26T09:00:00-06:00': what JSON consumers (search engines, apps) expect."""
    return moment.isoformat(timespec="seconds")
