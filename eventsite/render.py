"""The render stage: Jinja templates filled in from the model, one page at a time (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from traceback import walk_tb
from typing import Callable

from babel.support import NullTranslations
from jinja2 import (Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined,
                    TemplateNotFound, TemplateSyntaxError)
from markupsafe import Markup, escape

from . import formats
from .css import css_content, css_counter, css_string
from .errors import Problem, SiteError
from .i18n import install_translations
from .markup import markdown_to_html, markdown_to_text
from .model import HouseStyle, Page, Session, Site, Text
from .typography import french_typography
from .units import shows_unreviewed
from .versions import Published


@dataclass(frozen=True)
class PageRoute:
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


HOME = PageRoute("", "home.html", slug="index")
AGENDA = PageRoute("agenda/", "agenda.html")
PROGRAM = PageRoute("program/", "program.html")
CHANGES = PageRoute("changes/", "changes.html")  # with published versions only


def page_routes(site: Site) -> tuple[PageRoute, ...]:
    """Every localised page of the site, in a stable order."""
    routes = [HOME, AGENDA, PROGRAM]
    routes += [PageRoute(f"agenda/{s.id}/", "session.html", session=s)
               for s in site.event.sessions if s.has_page]
    routes += [CHANGES] if site.versions else []
    slugs = sorted({p.slug for p in site.pages} - {"index"})
    routes += [PageRoute(f"{slug}/", "page.html", slug=slug) for slug in slugs]
    return tuple(routes)


def find_page(site: Site, slug: str | None, locale: str) -> Page | None:
    """The page in `locale`, or its counterpart in the first locale that has one."""
    by_locale = {p.locale: p for p in site.pages if p.slug == slug}
    return by_locale.get(locale) or next((by_locale[loc] for loc in site.locales
                                          if loc in by_locale), None)


def compiled_templates(cache_dir: Path | None) -> FileSystemBytecodeCache | None:
    """Jinja's compiled templates, kept in `cache_dir`/templates: compiling is most of a small
    site's build, and the same templates compile to the same code in every locale and every
    build. Jinja keys each entry by the template's name and checks it against a hash of its
    source, so an edited template is compiled again; deleting the folder only costs time.
    None (compile every time) when the folder cannot be made."""
    if cache_dir is None:
        return None
    try:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(cache_dir / "templates"))


def make_environment(template_dirs: list[Path], style: HouseStyle, translations: NullTranslations,
                     asset_url: Callable[[str], str],
                     compiled: FileSystemBytecodeCache | None = None) -> Environment:
    """A Jinja environment for one locale (`style.language`): autoescaped, strict, with CLDR
    formatting filters in the language's house style.
    `asset_url("site.css")` gives the fingerprinted path below the site root; `compiled`, where
    compiled templates are kept (compiled_templates)."""
    env = Environment(loader=FileSystemLoader([str(d) for d in template_dirs]),
                      bytecode_cache=compiled,
                      autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                      # An environment lives as long as the sources it was made from (the dev
                      # server makes new ones after every save): no stat() at every include.
                      auto_reload=False)
    install_translations(env, translations)
    locale = style.language
    memo = formats.memoised  # for as long as this environment: one build, or one save
    span = memo(partial(time_span, style=style))
    env.filters.update(
        t=partial(localized, locale=locale),
        full_date=memo(partial(formats.full_date, style=style)),
        short_time=memo(partial(formats.short_time, style=style)),
        time_range=lambda s: formats.time_range(s.start, s.end, style),
        date_range=lambda e: formats.date_range(e.start.date(), e.end.date(), style),
        duration=memo(partial(formats.duration, style=style)),
        zone_city=memo(partial(formats.zone_city, style=style)),
        utc_offset=memo(formats.utc_offset),
        language_name=memo(partial(formats.language_name, locale=locale)),
        country_name=memo(partial(formats.country_name, locale=locale)),
        iso=formats.iso_datetime,
        offset_minutes=formats.offset_minutes,
        time_span=lambda s: span(s.start, s.end),
        plain=lambda text: markdown_to_text(text.get(locale)),
        file_size=partial(formats.file_size, locale=locale),
        css_string=css_string, css_content=css_content,
    )
    env.globals.update(locale=locale, own_language_name=formats.own_language_name,
                       css_counter=css_counter, asset=asset_url)
    return env


def check_templates(env: Environment) -> None:
    """Compile every template once, so that a syntax mistake in any of them is reported
    before a page is rendered (the dev server renders pages only when asked for them)."""
    try:
        for name in env.list_templates(extensions=("html", "xml", "txt")):
            env.get_template(name)
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)


def localized(text: Text | None, locale: str) -> Markup:
    """The text in `locale`; a fallback in another language carries its own lang attribute."""
    if not text:
        return Markup("")
    value = escape(text.get(locale))
    if text.has(locale):
        return value
    return Markup(f'<span lang="{text.lang(locale)}">{value}</span>')


def time_span(start: datetime, end: datetime, style: HouseStyle) -> Markup:
    """'9 h – 9 h 20' with each end machine-readable, with its offset, in a <time> element."""
    ends = [Markup('<time datetime="{}">{}</time>').format(
        formats.iso_datetime(moment), formats.short_time(moment, style))
        for moment in (start, end)]
    return Markup(formats.interval(ends[0], ends[1], style))


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


def render_page(env: Environment, site: Site, route: PageRoute, locale: str,
                **extra) -> str:
    """One page of the site in one locale. `extra` is what only some pages show: the program
    PDF's facts, structured data, calendar links (see routes.page_extras)."""
    root = route.root()
    page = find_page(site, route.slug, locale)
    context = dict(
        site=site, event=site.event, route=route, root=root, session=route.session,
        page=page,
        page_html=Markup(markdown_to_html(page.body, root, locale)) if page else Markup(""),
        md=partial(markdown_block, locale=locale, root=root),
        menu=menu_pages(site, locale),
        canonical=f"{site.base_url}{locale}/{route.path}" if site.base_url else None,
        published=Published(site),
        machine_translated=shows_unreviewed(site.unreviewed, locale, route.path, route.slug,
                                            route.session.id if route.session else None),
        **extra)
    return render_template(env, route.template, context)


def render_template(env: Environment, name: str, context: dict) -> str:
    """A template rendered; a mistake in it becomes a located SiteError."""
    try:
        rendered = env.get_template(name).render(context)
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)
    # The one place French typography is applied: to the French text of every page,
    # whoever wrote it (organiser, translator, CLDR).
    return french_typography(rendered) if name.endswith(".html") else rendered


def render_neutral(envs: dict[str, Environment], site: Site, name: str, **extra) -> str:
    """A file that belongs to no single language (the chooser, 404, robots.txt, sitemap.xml),
    in the first locale's environment, with each locale's part of it (`parts[locale]`, the
    macros of _macros.html in that locale)."""
    common = dict(site=site, event=site.event, root="", **extra)
    try:
        parts = {locale: envs[locale].get_template("_macros.html").make_module(common)
                 for locale in site.locales}
    except Exception as exc:  # noqa: BLE001 - re-raised unless a template is to blame
        raise_template_problem(exc)
    return render_template(envs[site.default_locale], name, {**common, "parts": parts})


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
    if isinstance(exc, TemplateNotFound):  # an OSError too: not to be taken for a full disk
        return Problem(f"templates/{exc.name}", 0, f'no template is called "{exc.name}". Add '
                       "it to templates/, or fix the name where it is used.")
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
