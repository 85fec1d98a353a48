"""Dates, times, durations and names as CLDR writes them in each locale (via Babel).

Each is a pure function of hashable values. The templates' filters memoise them (`memoised`, in
render.make_environment): a programme has hundreds of sessions but a few dozen distinct start
times, and Babel takes tens of microseconds per call.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache, wraps
from zoneinfo import ZoneInfo

from babel import Locale
from babel.core import get_global
from babel.dates import format_date, format_interval, format_time, get_timezone_gmt
from babel.dates import get_timezone_location
from babel.units import format_unit


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


def full_date(day: date, locale: str) -> str:
    """'mercredi 26 février 2025'."""
    return format_date(day, "full", locale=babel_locale(locale))


def short_time(moment: datetime, locale: str) -> str:
    """'9:00 AM' in en, '09:00' in fr: the locale's own clock."""
    return format_time(moment, "short", tzinfo=moment.tzinfo, locale=babel_locale(locale))


def twelve_hour(locale: str) -> bool:
    """Whether the locale's own clock is the 12-hour one ('h:mm a')."""
    return "h" in babel_locale(locale).time_formats["short"].pattern


def time_range(start: datetime, end: datetime, locale: str) -> str:
    """'9:00 – 9:20 AM' / '9:00–9:20' / '09:00 – 09:20', with the locale's 12/24-hour habit."""
    skeleton = "hm" if twelve_hour(locale) else "Hm"
    return format_interval(start, end, skeleton, tzinfo=start.tzinfo, locale=babel_locale(locale))


def interval(first: str, second: str, locale: str) -> str:
    """Join two formatted values with the locale's CLDR interval pattern ('{0} – {1}')."""
    pattern = babel_locale(locale).interval_formats.get(None, "{0}–{1}")
    return pattern.replace("{0}", first, 1).replace("{1}", second, 1)


def date_range(start: date, end: date, locale: str) -> str:
    """'26–27 février 2025'."""
    return format_interval(start, end, "yMMMMd", locale=babel_locale(locale))


def duration(span: timedelta, locale: str) -> str:
    """'1 h 40 min' in the locale's units; never rounded like format_timedelta would."""
    hours, minutes = divmod(int(span.total_seconds()) // 60, 60)
    parts = [unit(hours, "duration-hour", locale)] if hours else []
    if minutes or not hours:
        parts.append(unit(minutes, "duration-minute", locale))
    return parts[0] if len(parts) == 1 else joined_units(parts, locale)


def unit(value: int, name: str, locale: str) -> str:
    """A value with its unit, as narrow as the locale has it: CLDR has no narrow duration
    units for de, pt, ru, ar or zh, where Babel writes '30 duration-minute'."""
    for length in ("narrow", "short", "long"):
        written = format_unit(value, name, length=length, locale=babel_locale(locale))
        if name not in written:
            return written
    return written


def joined_units(parts: list[str], locale: str) -> str:
    """Two values with units as the locale joins them ('1 h 40 min', '1小时40分钟'), by its
    list pattern for two (Babel's format_list fails where a style lacks the others)."""
    patterns = babel_locale(locale).list_patterns
    for style in ("unit-narrow", "unit-short", "unit"):
        pattern = patterns.get(style, {}).get("2")
        if pattern:
            return pattern.format(*parts)
    return " ".join(parts)


def zone_city(zone: str, locale: str) -> str:
    """The exemplar city of a zone in the locale: 'Ciudad de México'."""
    return get_timezone_location(ZoneInfo(zone), locale=babel_locale(locale), return_city=True)


@lru_cache(maxsize=None)  # a few hundred zones, the same for ever
def exemplar_cities(locale: str) -> dict[str, str]:
    """The cities CLDR names otherwise in the locale than the zone's own name does, by zone
    ('Europe/Paris': 'París' in es), under CLDR's name and the tz database's current one
    (Asia/Calcutta and Asia/Kolkata), as browsers report either. site.js names the visitor's
    city from this, since browsers have no city names, and any other zone's from its name
    ('America/Vancouver' → 'Vancouver'), as CLDR does."""
    named = {zone: info["city"] for zone, info in babel_locale(locale).time_zones.items()
             if "city" in info}
    for old, current in get_global("zone_aliases").items():
        if old in named or current in named:
            named[old] = named[current] = named.get(old) or named[current]
    return {zone: city for zone, city in sorted(named.items())
            if city != zone.rsplit("/", 1)[-1].replace("_", " ")}


def visitor_clock(locale: str) -> dict[str, object]:
    """How site.js writes the visitor's own times so that they read like the event's: the
    locale's 12- or 24-hour clock, the separator of its time ranges ('9:00 – 9:20'), and
    whether hours are written '16 h 20' (French house style, terminology.md)."""
    pattern = babel_locale(locale).interval_formats.get(None, "{0}–{1}")
    return {"hourCycle": "h12" if twelve_hour(locale) else "h23",
            "rangeSeparator": pattern.split("{0}", 1)[-1].split("{1}", 1)[0],
            "hourMark": babel_locale(locale).language == "fr"}


def utc_offset(moment: datetime, locale: str) -> str:
    """'GMT-06:00' or 'UTC−06:00', as the locale writes offsets."""
    return get_timezone_gmt(moment, locale=babel_locale(locale))


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
