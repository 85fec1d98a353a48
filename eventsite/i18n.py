"""Gettext catalogs compiled in memory, and one Jinja environment per locale."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import NullTranslations, Translations

from .errors import Problem, Report, SiteError

DOMAIN = "messages"


def catalog_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(locales_dir: Path, locale: str, source_locale: str, report: Report,
                      label: str) -> NullTranslations:
    """Compile locales/<locale>/LC_MESSAGES/messages.po in memory, so no stale .mo can exist."""
    path = catalog_path(locales_dir, locale)
    file = f"{label}/{path.relative_to(locales_dir).as_posix()}"
    if not path.is_file():
        if locale != source_locale:
            report.warn(file, 0, f"no catalog for {locale}: the interface stays in "
                        f"{source_locale}. Run `make update` and translate it.")
        return NullTranslations()
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=locale.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise SiteError([Problem(file, getattr(exc, "lineno", 0) or 0,
                                 f"{exc}. Fix the catalog (msgfmt --check shows details).")])
    for message, errors in catalog.check():
        for error in errors:
            report.error(file, message.lineno, f'the translation of "{message.id}" is wrong: '
                         f"{error}. Use the same %(placeholders)s as the original.")
    for message in catalog:
        if message.id and not message.string and locale != source_locale:
            report.warn(file, message.lineno, f'"{message.id}" is not translated into '
                        f"{locale}; it is shown in {source_locale}.")
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
