"""The render stage: pure functions from the Site model to {output path: text}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from traceback import walk_tb
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator

from babel.support import NullTranslations
from jinja2 import (Environment, FileSystemLoader, StrictUndefined, Template,
                    TemplateSyntaxError, pass_context)
from jinja2.runtime import Context
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup, escape

from . import calendars, formats, jsonld
from .changes import kept
from .css import css_content, css_counter, css_string
from .errors import Problem, SiteError
from .i18n import install_translations
from .markup import markdown_to_html, markdown_to_text
from .model import Page, Session, Site, Text
from .write import interleaved

if TYPE_CHECKING:
    from .pdf import PdfInfo


@dataclass(frozen=True)
class Route:
    """One page that exists in every locale: `path` below /<locale>/, e.g. 'agenda/'."""

    path: str
    template: str
    session: Session | None = None
    slug: str | None = None

    def output(self, locale: str) -> str:
        return f"{locale}/{self.path}index.html"

    def root(self) -> str:
        """Relative path from this page back to the site root."""
        return "../" * (self.path.count("/") + 1)


PROGRAM = Route("program/", "program.html")
SESSION_LISTS = ("home.html", "agenda.html", "program.html")  # pages that show every session


@dataclass(frozen=True)
class StreamedPage:
    """A page that shows every session: tens of megabytes at a congress. Its template is
    rendered with what shows every session (`fragments()`, the JSON-LD) standing as tokens
    (`splice`); the sessions' fragments are then rendered one by one as the page is written,
    or taken, as bytes, from what the dev server keeps. The process never holds the page
    whole, nor encodes megabytes again."""

    template: Template
    context: dict

    def chunks(self) -> Iterator[bytes]:
        """The page's bytes, piece by piece: those of the page rendered whole."""
        try:
            blocks: list[Iterable[bytes]] = []
            pieces = SPLICE.split(self.template.render({**self.context, "spliced": blocks}))
            if pieces[1::2] != [str(number) for number in range(len(blocks))]:
                # A template that did more with fragments() than show it: render it whole.
                yield self.template.render(self.context).encode("utf-8")
                return
            for text, block in zip(pieces[::2], [*blocks, None]):
                yield text.encode("utf-8")
                if block is not None:
                    yield from block
        except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
            raise_template_problem(exc)

    def write_to(self, handle: BinaryIO) -> None:
        for chunk in self.chunks():
            handle.write(chunk)

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())


@dataclass(frozen=True)
class Fragments:
    """What one `fragments(name, sessions)` call shows: template `name` rendered for each
    session, as the page would, joined by line breaks; as bytes, kept in `memo` when the dev
    server gives one (see `fragments`)."""

    template: Template
    shared: dict  # the calling page's variables
    sessions: tuple[Session, ...]
    key: tuple  # of the memo, without the session's id
    memo: dict | None

    def __iter__(self) -> Iterator[bytes]:
        """The fragments' bytes, rendered only when asked for: as the page is written."""
        return interleaved((kept(self.memo, (*self.key, session.id),
                                 partial(self.render, session))
                            for session in self.sessions), b"\n")

    def render(self, session: Session) -> bytes:
        return self.template.render({**self.shared, "session": session}).encode("utf-8")


SPLICE = re.compile("\ue010([0-9]+)\ue011")  # fragments() while its page is rendered


def site_routes(site: Site) -> tuple[Route, ...]:
    """Every localised page of the site, in a stable order."""
    routes = [Route("", "home.html", slug="index"), Route("agenda/", "agenda.html"), PROGRAM]
    routes += [Route(f"agenda/{s.id}/", "session.html", session=s)
               for s in site.event.sessions if s.has_page]
    slugs = sorted({p.slug for p in site.pages} - {"index"})
    routes += [Route(f"{slug}/", "page.html", slug=slug) for slug in slugs]
    return tuple(routes)


def find_page(site: Site, slug: str | None, locale: str) -> Page | None:
    """The page in `locale`, or its counterpart in the first locale that has one."""
    by_locale = {p.locale: p for p in site.pages if p.slug == slug}
    return by_locale.get(locale) or next((by_locale[loc] for loc in site.locales
                                          if loc in by_locale), None)


class CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates, shared by every locale's environment and kept between builds.

    Compiling the templates is most of a small site's build: in memory, each is compiled once
    for all locales; on disk (Jinja's private per-user temporary folder, keyed by the
    template's source), a new process need not compile them again."""

    def __init__(self):
        self.memory: dict[tuple[str, str], object] = {}
        try:
            super().__init__()
        except (RuntimeError, OSError):  # no private temporary folder: keep them in memory
            self.directory = None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.memory.get((bucket.key, bucket.checksum))
        if code is None and self.directory:
            super().load_bytecode(bucket)
            code = bucket.code
        bucket.code = code
        if code is not None:
            self.memory[(bucket.key, bucket.checksum)] = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[(bucket.key, bucket.checksum)] = bucket.code
        if self.directory:
            super().dump_bytecode(bucket)


COMPILED_TEMPLATES = CompiledTemplates()


def make_environment(template_dirs: list[Path], locale: str, translations: NullTranslations,
                     asset_url: Callable[[str], str], memo: dict | None = None) -> Environment:
    """A Jinja environment for one locale: autoescaped, strict, with CLDR formatting filters.

    `asset_url("site.css")` gives the fingerprinted path below the site root. `memo` keeps
    each session's fragments (agenda entry, JSON-LD…) for the next build; see `fragments`.
    """
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      bytecode_cache=COMPILED_TEMPLATES,
                      # Templates do not change during a build (the dev server makes new
                      # environments for each): no stat() of the file at every include.
                      auto_reload=False)
    install_translations(env, translations)
    env.filters.update(
        t=partial(localized, locale=locale),
        full_date=partial(formats.full_date, locale=locale),
        short_time=partial(formats.short_time, locale=locale),
        time_range=lambda s: formats.time_range(s.start, s.end, locale),
        date_range=lambda e: formats.date_range(e.start.date(), e.end.date(), locale),
        duration=partial(formats.duration, locale=locale),
        zone_city=partial(formats.zone_city, locale=locale),
        utc_offset=partial(formats.utc_offset, locale=locale),
        language_name=partial(formats.language_name, locale=locale),
        country_name=partial(formats.country_name, locale=locale),
        iso=formats.iso_datetime,
        offset_minutes=formats.offset_minutes,
        time_span=partial(time_span, locale=locale),
        plain=lambda text: markdown_to_text(text.get(locale)),
        file_size=partial(formats.file_size, locale=locale),
        css_string=css_string, css_content=css_content,
    )
    gettext = translations.gettext
    env.globals.update(
        locale=locale, language_name=formats.language_name, css_counter=css_counter,
        asset=asset_url,
        add_to_calendar=partial(calendars.add_to_calendar, locale=locale, gettext=gettext),
        calendar_downloads=partial(calendars.calendar_downloads, locale=locale, gettext=gettext),
        event_jsonld=pass_context(lambda context, site: splice(context, jsonld.event_jsonld(
            site, locale, gettext, memo))),
        fragments=fragments(memo),
    )
    return env


def fragments(memo: dict | None) -> Callable:
    """`fragments(name, sessions)` for the templates: template `name` rendered for each of
    the sessions, as the page that calls it would, and joined (see Fragments).

    The pages that list every session (agenda, program, home) are made of these, so that
    the dev server, keeping `memo` from one build to the next, re-renders only the sessions
    an edit changed and splices the rest in as bytes. Keys end with the session's id, and
    the dev server forgets a session's entries when it changes (changes.forget), and all of
    them when anything else changes: a fragment also shows the event, the site and the
    templates. Without a memo (a one-off build), nothing is kept."""
    @pass_context
    def join(context: Context, name: str, sessions: Iterable[Session]) -> Markup:
        block = Fragments(context.environment.get_template(name),
                          {**context.get_all(), "spliced": None},  # fragments hold no tokens
                          tuple(sessions), ("fragment", name, context["locale"], context["root"]),
                          memo)
        return splice(context, block)
    return join


@pass_context
def splice(context: Context, block: Iterable[bytes]) -> Markup:
    """`block` shown by the page being rendered: while a StreamedPage renders its template,
    a token that it replaces with the bytes; elsewhere, their text."""
    spliced = context.get("spliced")
    if spliced is None:
        return Markup(b"".join(block).decode("utf-8"))
    spliced.append(block)
    return Markup(f"\ue010{len(spliced) - 1}\ue011")


def localized(text: Text | None, locale: str) -> Markup:
    """The text in `locale`; a fallback in another language carries its own lang attribute."""
    if not text:
        return Markup("")
    value = escape(text.get(locale))
    if text.has(locale):
        return value
    return Markup(f'<span lang="{text.lang(locale)}">{value}</span>')


def time_span(session: Session, locale: str) -> Markup:
    """'9:00 AM – 9:20 AM' with each end machine-readable in a <time> element."""
    return time_span_between(session.start, session.end, locale)


@formats.cached  # a congress's thousands of sessions share a few dozen slots
def time_span_between(start: datetime, end: datetime, locale: str) -> Markup:
    ends = [Markup('<time datetime="{}">{}</time>').format(
        formats.iso_datetime(moment), formats.short_time(moment, locale))
        for moment in (start, end)]
    return Markup(formats.interval(ends[0], ends[1], locale))


def markdown_block(text: Text | None, locale: str, root: str) -> Markup:
    """Organiser Markdown as HTML, wrapped with `lang` when it is a fallback."""
    if not text:
        return Markup("")
    html = markdown_to_html(text.get(locale), root, locale)
    if text.has(locale):
        return Markup(html)
    return Markup(f'<div lang="{text.lang(locale)}">{html}</div>')


def menu_pages(site: Site, locale: str) -> list[Page]:
    """The prose pages of the navigation, in their menu order."""
    pages = (find_page(site, slug, locale) for slug in sorted({p.slug for p in site.pages}))
    return sorted((p for p in pages if p and p.menu is not None), key=lambda p: (p.menu, p.slug))


def page_context(site: Site, route: Route, locale: str, menu: list[Page] | None = None) -> dict:
    """What every page's template receives; `menu` saves recomputing the navigation per page."""
    root = route.root()
    page = find_page(site, route.slug, locale)
    return dict(
        site=site, event=site.event, route=route, root=root, session=route.session,
        page=page,
        page_html=Markup(markdown_to_html(page.body, root, locale)) if page else Markup(""),
        md=partial(markdown_block, locale=locale, root=root),
        menu=menu if menu is not None else menu_pages(site, locale),
        canonical=f"{site.base_url}{locale}/{route.path}" if site.base_url else None,
    )


def render_route(env: Environment, site: Site, route: Route, locale: str,
                 pdf: PdfInfo | None = None, menu: list[Page] | None = None
                 ) -> str | StreamedPage:
    """One page of the site in one locale; `pdf` is the locale's program PDF, if one was made.
    The pages that show every session are rendered as they are written (StreamedPage)."""
    context = {**page_context(site, route, locale, menu), "program_pdf": pdf}
    if route == PROGRAM:  # the same page as the one printed (render_program)
        context["program_pdf_file"] = pdf.file if pdf else None
    template = env.get_template(route.template)
    if route.template in SESSION_LISTS:
        return StreamedPage(template, context)
    return template.render(context)


def render_program(env: Environment, site: Site, locale: str, pdf_file: str | None) -> str:
    """The print program page. The PDF is printed from it, so it may name the PDF but never
    state its size or page count: those are only known once the page exists."""
    try:
        return env.get_template(PROGRAM.template).render(page_context(site, PROGRAM, locale),
                                                         program_pdf_file=pdf_file)
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)


def render_pages(site: Site, env: Environment, locale: str, routes: tuple[Route, ...],
                 pdf: PdfInfo | None = None) -> dict[str, str | StreamedPage]:
    """The pages of `routes` in one locale, as {path relative to dist/: text or a page
    rendered while written}."""
    menu = menu_pages(site, locale)
    try:
        return {route.output(locale): render_route(env, site, route, locale, pdf, menu)
                for route in routes}
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)


def render_neutral(site: Site, envs: dict[str, Environment], routes) -> dict[str, str]:
    """Files that belong to no single language: the chooser, 404, robots.txt, sitemap.xml."""
    try:
        return _render_neutral(site, envs, routes)
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)


def _render_neutral(site: Site, envs: dict[str, Environment], routes) -> dict[str, str]:
    common = dict(site=site, event=site.event, routes=routes, root="")
    parts = {locale: {name: Markup(envs[locale].get_template(f"_{name}_part.html").render(
        common, locale=locale)) for name in ("chooser", "404")} for locale in site.locales}
    neutral = envs[site.default_locale]
    out = {"index.html": neutral.get_template("chooser.html").render(common, parts=parts),
           "404.html": neutral.get_template("404.html").render(common, parts=parts),
           "robots.txt": neutral.get_template("robots.txt").render(common)}
    if site.base_url:
        out["sitemap.xml"] = neutral.get_template("sitemap.xml").render(common)
    return out


def raise_template_problem(exc: Exception):
    """A located SiteError for a mistake in a template; any other error goes on as it is."""
    problem = None if isinstance(exc, SiteError) else template_problem(exc)
    if problem is None:
        raise exc
    raise SiteError([problem]) from None


def template_problem(exc: Exception) -> Problem | None:
    """Jinja's own file and line for a template mistake; None when no template is to blame.

    A syntax error knows its place. An error while rendering (an undefined variable, a filter
    given the wrong value) does not, but Jinja rewrites the traceback so that each template
    frame carries the template's file and line: the innermost one is where it went wrong."""
    if isinstance(exc, TemplateSyntaxError):
        file = f"templates/{exc.name}" if exc.name else _template_file(exc.filename)
        line = exc.lineno
    else:
        frames = [(frame.f_code.co_filename, line) for frame, line in walk_tb(exc.__traceback__)
                  if "__jinja_exception__" in frame.f_globals]
        if not frames:
            return None
        file, line = _template_file(frames[-1][0]), frames[-1][1]
    message = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).rstrip(".")
    return Problem(file, line, f"{message}. Fix the template.")


def _template_file(path: str | None) -> str:
    """templates/<name> for a template's file, whichever layer's templates/ it came from."""
    parts = Path(path or "?").parts
    below = parts[len(parts) - parts[::-1].index("templates"):] if "templates" in parts else ()
    return "/".join(("templates",) + (below or parts[-1:]))
