"""Gettext catalogs compiled in memory, checked against the UI strings the templates use."""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import babel
import jinja2
from babel.support import NullTranslations, Translations
from jinja2 import Environment, Template, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from .errors import Problem, Report, SiteError
from .model import Source
from .placeholders import UNTRANSLATED_CLOSE, UNTRANSLATED_OPEN, UNTRANSLATED_SEP
from .yamlfile import read_text

if TYPE_CHECKING:  # Babel's catalog tools are imported only when a catalog must be compiled
    from babel.messages.catalog import Catalog

DOMAIN = "messages"
TEMPLATE_KINDS = ("*.html", "*.xml", "*.txt")


@dataclass(frozen=True)
class UiMessage:
    """One UI string a template uses: its msgid (a tuple for plurals), context and place."""

    id: str | tuple[str, ...]
    context: str | None
    source: Source

    @property
    def text(self) -> str:
        return self.id if isinstance(self.id, str) else self.id[0]


@dataclass(frozen=True)
class UiGap:
    """A UI string a locale lacks, and the warning that says where and why."""

    text: str
    problem: Problem


@dataclass(frozen=True)
class UiCatalog:
    """A locale's compiled UI translations, and which of the templates' strings it lacks."""

    locale: str
    translations: NullTranslations
    used: int  # how many distinct UI strings the templates use
    gaps: tuple[UiGap, ...]
    warnings: tuple[Problem, ...]  # one per gap, or a single one when there is no catalog


def catalog_path(locales_dir: Path, locale: str) -> Path:
    return locales_dir / locale.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_messages(template_dirs: list[Path], cache_dir: Path | None = None
                      ) -> tuple[UiMessage, ...]:
    """Each UI string the templates use, once, where it is first used; a site's own templates
    hide the repository's of the same name, as they do when rendering.

    Extracting them lexes every template, a fifth of a small site's build: the result is kept
    in `cache_dir` (the build's cache folder) under a hash of the templates' names and
    contents and of the extractor's versions, so it is never out of date."""
    chosen: dict[str, Path] = {}
    for folder in template_dirs:
        for pattern in TEMPLATE_KINDS:
            for path in sorted(folder.rglob(pattern)):
                chosen.setdefault(path.relative_to(folder).as_posix(), path)
    digest = hashlib.sha256(f"{babel.__version__}\0{jinja2.__version__}\0".encode())
    for name, path in sorted(chosen.items()):
        digest.update(f"{name}\0{len(data := path.read_bytes())}\0".encode() + data)
    kept = cache_dir / f"messages-{digest.hexdigest()}.json" if cache_dir else None
    try:
        return tuple(UiMessage(tuple(m) if isinstance(m, list) else m, context, Source(f, line))
                     for m, context, f, line in json.loads(kept.read_text("utf-8")))
    except (AttributeError, OSError, ValueError, TypeError):
        pass  # not kept yet, or unreadable: extract
    messages = extract_messages(chosen)
    if kept:
        try:
            for older in kept.parent.glob("messages-*.json"):  # keep the folder small
                older.unlink()
            kept.write_text(json.dumps([(m.id, m.context, m.source.file, m.source.line)
                                        for m in messages]), "utf-8")
        except OSError:
            pass  # a cache that cannot be written only costs time
    return messages


def extract_messages(templates: dict[str, Path]) -> tuple[UiMessage, ...]:
    """Babel's extraction of the UI strings of the templates (by name)."""
    from babel.messages.extract import extract_from_file

    options = {"extensions": "jinja2.ext.i18n"}
    found: dict[tuple, UiMessage] = {}
    for name, path in sorted(templates.items()):
        for line, message, _, context in extract_from_file("jinja2", path, options=options):
            ui = UiMessage(message, context, Source(f"templates/{name}", line))
            found.setdefault((ui.text, context), ui)
    return tuple(found.values())


def load_catalog(candidates: list[tuple[Path, str]], locale: str, source_locale: str,
                 messages: tuple[UiMessage, ...], report: Report) -> UiCatalog:
    """Check and compile a locale's catalogs in memory (no stale .mo). `candidates` are its
    .po files (path, and its name in messages), the site's before the repository's: those
    that exist are merged, a site's entry replacing the repository's of the same message."""
    files = [(path, file) for path, file in candidates if path.is_file()]
    if locale == source_locale and not files:
        return UiCatalog(locale, NullTranslations(), len(messages), (), ())
    if not files:
        absent = Problem(candidates[0][1], 0, f"there is no {locale} catalog, so the interface "
                         f"is shown in {source_locale}. Run `make update` and translate it.")
        gaps = tuple(UiGap(m.text, Problem(m.source.file, m.source.line, absent.message))
                     for m in messages)
        return UiCatalog(locale, _SourceText(source_locale), len(messages), gaps, (absent,))
    compiled, gaps, errors = compile_catalog(files, locale, source_locale, messages)
    report.errors.extend(errors)
    translations = Translations(io.BytesIO(compiled), domain=DOMAIN)
    if locale != source_locale:
        translations.add_fallback(_SourceText(source_locale))
    return UiCatalog(locale, translations, len(messages), gaps, tuple(g.problem for g in gaps))


def compile_catalog(files: list[tuple[Path, str]], locale: str, source_locale: str,
                    messages: tuple[UiMessage, ...]
                    ) -> tuple[bytes, tuple[UiGap, ...], list[Problem]]:
    """The merged catalogs as .mo bytes, the UI strings they lack, and their mistakes."""
    from babel.messages.mofile import write_mo

    catalogs = [(read_catalog(path, file, locale), file) for path, file in files]
    errors = [problem for catalog, file in catalogs for problem in catalog_mistakes(catalog, file)]
    merged, base_file = catalogs[-1]
    origin: dict = {}  # message key → the file its entry comes from, where not the base
    for catalog, file in reversed(catalogs[:-1]):
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and all(strings) and not message.fuzzy:
                merged.delete(message.id, message.context)  # setting would keep its string
                merged[message.id] = message
                origin[(text_of(message.id), message.context)] = file
    gaps = tuple(untranslated(messages, merged, locale, base_file, source_locale, origin)) \
        if locale != source_locale else ()
    compiled = io.BytesIO()
    write_mo(compiled, merged)
    return compiled.getvalue(), gaps, errors


def catalog_mistakes(catalog: Catalog, file: str) -> list[Problem]:
    """Placeholders that differ from the original's, and HTML it does not have."""
    errors = [Problem(file, message.lineno, f'the translation of "{message.id}" is wrong: '
                      f"{error}. Use the same %(placeholders)s as the original.")
              for message, found in catalog.check() for error in found]
    errors += [Problem(file, message.lineno, f'the translation of "{text_of(message.id)}" '
                       f"adds HTML its original does not have ({tag}). Translations are text: "
                       "remove it, or write < as &lt;.")
               for message in catalog if message.id
               for tag in [added_markup(message.id, message.string)] if tag]
    return errors


# A tag, or a "<" that could start one.
_TAG = re.compile(r"<[^>]*>?")


def text_of(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def added_markup(original: str | tuple[str, ...], translation: str | tuple[str, ...]
                 ) -> str | None:
    """The first tag of a translation that its original does not have, written the same way.

    Templates insert UI strings as HTML, since a few originals hold markup (a sentence with a
    link in it); catalog strings are otherwise text. So a translation may contain exactly the
    tags of its original and nothing else: a translator's <script>, <img onerror> or
    javascript: link is refused, with its line, rather than published."""
    originals = [original] if isinstance(original, str) else list(original)
    translations = [translation] if isinstance(translation, str) else list(translation)
    allowed = {tag for text in originals for tag in _TAG.findall(text)}
    for text in translations:
        for tag in _TAG.findall(text or ""):
            if tag not in allowed:
                return tag
    return None


def read_catalog(path: Path, file: str, locale: str) -> Catalog:
    """The .po file as a Babel catalog, refused with its line when msgfmt would refuse it."""
    from babel.messages.pofile import PoFileError, read_po

    from .posyntax import first_syntax_problem

    text = read_text(path, file)
    problem = first_syntax_problem(text, file) or plural_forms_problem(text, file)
    if problem:
        raise SiteError([problem])
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=locale.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        raise SiteError([Problem(file, getattr(exc, "lineno", 0) or 0,
                                 f"{exc}. Fix the catalog (msgfmt --check shows details).")]) \
            from None


_PLURAL_FORMS = re.compile(r'^"Plural-Forms:([^"\\]*)', re.M)
_PLURAL_RULE = re.compile(r"^\s*nplurals\s*=\s*([1-9])\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$")


def plural_forms_problem(text: str, file: str) -> Problem | None:
    """The catalog's Plural-Forms header, checked as gettext compiles it: a malformed one
    fell through to Babel's default, or to a traceback."""
    header = _PLURAL_FORMS.search(text)
    if header is None:
        return None
    line = text.count("\n", 0, header.start()) + 1
    rule = _PLURAL_RULE.match(header[1])
    try:
        if rule is None:
            raise ValueError(header[1].strip())
        import gettext

        plural = gettext.c2py(rule[2])
        if any(plural(n) >= int(rule[1]) for n in range(1000)):
            raise ValueError(f"it chooses a form beyond the {rule[1]} it declares")
    except (ValueError, RecursionError) as exc:
        return Problem(file, line, f'the Plural-Forms header is not one gettext can use ({exc}). '
                       "Write it as the language's rule, e.g. nplurals=2; plural=(n > 1); for "
                       "French.", 2)
    return None


def untranslated(messages: tuple[UiMessage, ...], catalog: Catalog, locale: str,
                 base_file: str, source_locale: str, origin: dict | None = None):
    """Each UI string the catalog lacks, leaves empty or marks fuzzy, with a located warning;
    `origin` names the file of an entry that is not from `base_file`."""
    shown = f"it is shown in {source_locale}"
    for message in messages:
        entry = catalog.get(message.text, message.context)
        text = message.text
        file = (origin or {}).get((text, message.context), base_file)
        if entry is None:
            yield UiGap(text, Problem(message.source.file, message.source.line, f'"{text}" is '
                                      f"not in {file}, so {shown}. Run `make update`, then "
                                      "translate it."))
        elif entry.fuzzy:
            yield UiGap(text, Problem(file, entry.lineno, f'the {locale} translation of "{text}" '
                                      f"is marked fuzzy (unchecked), so {shown}. Check it and "
                                      "remove the flag."))
        elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)):
            yield UiGap(text, Problem(file, entry.lineno, f'"{text}" is not translated into '
                                      f"{locale}, so {shown}. Fill in its msgstr."))


# Untranslated UI text is shown in the source language, and pages must say so with `lang`.
# gettext cannot know whether its result lands in element text or in an attribute, so the
# fallback text is bracketed with private-use characters; once a template is rendered, the
# brackets become <span lang> in text and are dropped in attributes, <title> and the like,
# which cannot carry a language of their own.
_OPEN, _SEP, _CLOSE = UNTRANSLATED_OPEN, UNTRANSLATED_SEP, UNTRANSLATED_CLOSE
_PAIR = re.compile(f"{_OPEN}([^{_OPEN}-{_CLOSE}]*){_SEP}([^{_OPEN}-{_CLOSE}]*){_CLOSE}")
_MARKERS = re.compile(f"{_OPEN}[^{_OPEN}-{_CLOSE}]*{_SEP}|{_CLOSE}")
# As |tojson escapes them.
_JSON_MARKERS = re.compile(rf"\\u{ord(_OPEN):04x}[a-zA-Z-]*\\u{ord(_SEP):04x}|\\u{ord(_CLOSE):04x}")
_NOT_TEXT = re.compile(r"<!--.*?-->|<(title|script|style|textarea|option)\b.*?</\1\s*>|<[^>]*>",
                       re.S | re.I)


class Untranslated(str):
    """A UI string shown in `lang` because the page's catalog has no translation for it."""

    lang: str


class _SourceText(NullTranslations):
    """The last fallback of a catalog: the original text, flagged as untranslated."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def _flag(self, text: str) -> Untranslated:
        flagged = Untranslated(text)
        flagged.lang = self.lang
        return flagged

    def gettext(self, message):
        return self._flag(message)

    def ngettext(self, singular, plural, n):
        return self._flag(singular if n == 1 else plural)

    def pgettext(self, context, message):
        return self._flag(message)

    def npgettext(self, context, singular, plural, n):
        return self._flag(singular if n == 1 else plural)


def install_translations(env: Environment, translations: NullTranslations) -> None:
    """Newstyle gettext for the templates, marking untranslated strings with their language.

    What Jinja's own newstyle callables do (autoescaped translation, then `%` with the
    variables, always), with the translation of each message looked up once per build: a
    session page asks for some twenty UI strings, the same on every page."""

    def bracketing(function):
        @lru_cache(maxsize=None)
        def call(*args):
            text = function(*args)
            if isinstance(text, Untranslated):
                return f"{_OPEN}{text.lang}{_SEP}{text}{_CLOSE}"
            return text
        return call

    def newstyle(function, defaults):
        translate = bracketing(function)
        constant: dict = {}  # what a message without variables becomes, by its arguments

        @pass_context
        def gettext(context: Context, *args, **variables):
            escaping = context.eval_ctx.autoescape
            if not variables and escaping:
                if args not in constant:
                    constant[args] = Markup(translate(*args)) % defaults(*args)
                return constant[args]
            text = translate(*args)
            return (Markup(text) if escaping else text) % {**defaults(*args), **variables}
        return gettext

    env.newstyle_gettext = True  # type: ignore[attr-defined]
    gettext = newstyle(translations.gettext, lambda message: {})
    env.globals.update(
        _=gettext, gettext=gettext,
        ngettext=newstyle(translations.ngettext, lambda one, many, num: {"num": num}),
        pgettext=newstyle(translations.pgettext, lambda context, message: {"context": context}),
        npgettext=newstyle(translations.npgettext,
                           lambda context, one, many, num: {"context": context, "num": num}))
    env.template_class = _LangMarkingTemplate


class _LangMarkingTemplate(Template):
    def render(self, *args, **kwargs) -> str:
        return mark_untranslated(super().render(*args, **kwargs), self.name or "")


def mark_untranslated(output: str, name: str) -> str:
    """Turn the brackets around untranslated UI text into <span lang> where HTML allows it."""
    output = _JSON_MARKERS.sub("", output)
    if _OPEN not in output:
        return output
    if not name.endswith(".html"):
        return _MARKERS.sub("", output)
    pieces, position = [], 0
    for markup in _NOT_TEXT.finditer(output):
        pieces += [_spans(output[position:markup.start()]), _MARKERS.sub("", markup[0])]
        position = markup.end()
    pieces.append(_spans(output[position:]))
    return "".join(pieces)


def _spans(text: str) -> str:
    count = 1
    while count:  # innermost first: a translated string may contain another one
        text, count = _PAIR.subn(r'<span lang="\1">\2</span>', text)
    return _MARKERS.sub("", text)
