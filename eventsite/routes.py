"""The site as a table of routes: every output path mapped to a function that returns its bytes.

`build` renders every route and writes the files; `serve` renders a route when the browser
asks for it. Both read the same table, made from the same model, so what the dev server shows
is what a build writes. A path that two routes would write is a located error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial
from urllib.parse import urlsplit
from typing import TYPE_CHECKING, Callable

from . import calendars, formats, jsonld
from .errors import Problem, SiteError
from .model import Session
from .pdf import OFFLINE_ROOT, Pdf, PdfInfo, PrintPage, print_program, program_pdf_name
from .render import (AGENDA, PROGRAM, PageRoute, find_page, page_routes, render_neutral,
                     render_page)
from .schedule import build_schedule, build_schedule_xml, schedule_document
from .write import Render

if TYPE_CHECKING:
    from .build import Plan

# The Atom feed of the published versions, /<locale>/changes.atom (rendered like a page).
FEED = PageRoute("", "changes.atom")
# What site.js needs for the visitor's own time and now/next, /<locale>/times.json.
TIMES = PageRoute("", "times.json")


@dataclass(frozen=True)
class Route:
    path: str  # below dist/
    render: Render
    origin: str  # what makes it, for the message when two routes want one path


@dataclass
class Outputs:
    """What several routes share, made once per plan when first asked for: each locale's
    program PDF (its page count and size are on the pages that link it) and calendars (each
    session's VEVENT is in three files). The plan is immutable and a new one is made when a
    source changes, so what is kept here is never out of date."""

    plan: Plan
    _pdfs: dict[str, Pdf] = field(default_factory=dict)
    _calendars: dict[str, calendars.LocaleCalendars] = field(default_factory=dict)

    def pdf(self, locale: str) -> Pdf:
        if locale not in self._pdfs:
            plan = self.plan
            page = PrintPage(self.program_html(locale), plan.site.base_url or OFFLINE_ROOT,
                             f"{locale}/{PROGRAM.path}")
            self._pdfs[locale] = print_program(page, dict(plan.assets.files),
                                               self.pdf_name(locale), plan.stamp)
        return self._pdfs[locale]

    def pdf_name(self, locale: str) -> str:
        return program_pdf_name(self.plan.site.event.id, locale)

    def pdf_info(self, locale: str) -> PdfInfo | None:
        return self.pdf(locale).info if self.plan.pdf else None

    @cached_property
    def schedule(self) -> dict:
        """What schedule.json and schedule.xml both say."""
        plan = self.plan
        return schedule_document(plan.site, plan.gettext(plan.site.default_locale), plan.stamp)

    def schedule_json(self) -> bytes:
        return build_schedule(self.schedule)

    def schedule_xml(self) -> bytes:
        return build_schedule_xml(self.plan.site, self.schedule)

    @cached_property
    def schedule_qr(self) -> str | None:
        """A QR code of schedule.xml's address, for a schedule app on a phone."""
        return qr_code(self.plan.site.base_url, "schedule.xml")

    @cached_property
    def vtimezone(self) -> bytes:
        """Tens of milliseconds to make: once for every locale."""
        return calendars.meeting_timezone(self.plan.site)

    def calendars(self, locale: str) -> calendars.LocaleCalendars:
        if locale not in self._calendars:
            plan = self.plan
            self._calendars[locale] = calendars.LocaleCalendars(
                plan.site, locale, plan.gettext(locale), plan.stamp, self.vtimezone)
        return self._calendars[locale]

    def calendar_file(self, locale: str, file: calendars.CalendarFile) -> bytes:
        return self.calendars(locale).file_bytes(file)

    def session_calendar(self, locale: str, session: Session) -> bytes:
        file = calendars.session_file(self.plan.site, session, locale, self.plan.gettext(locale))
        return self.calendar_file(locale, file)

    def program_html(self, locale: str) -> str:
        """The program page, as served and as printed. It names its PDF but cannot state the
        PDF's size or page count: the PDF is printed from this very page."""
        plan = self.plan
        return render_page(plan.envs[locale], plan.site, PROGRAM, locale,
                           program_pdf=None,
                           program_pdf_file=self.pdf_name(locale) if plan.pdf else None,
                           agenda_qr=qr_code(plan.site.base_url, f"{locale}/{AGENDA.path}"))

    def page_html(self, route: PageRoute, locale: str) -> str:
        if route == PROGRAM:
            return self.program_html(locale)
        plan, site = self.plan, self.plan.site
        gettext = plan.gettext(locale)
        session = route.session
        return render_page(
            plan.envs[locale], site, route, locale,
            program_pdf=self.pdf_info(locale),
            calendar_files=partial(calendars.calendar_downloads, site, locale, gettext),
            subscriptions=partial(calendars.subscriptions, site, locale, gettext),
            add_to_calendar_links=partial(calendars.add_to_calendar, site, locale=locale,
                                          gettext=gettext),
            schedule_qr=self.schedule_qr if route.template == "agenda.html" else None,
            event_jsonld=jsonld.event_jsonld(site, locale, gettext)
            if route.template == "home.html" else None,
            session_jsonld=jsonld.session_jsonld(site, session, locale, gettext)
            if session else None)

    def feed(self, locale: str) -> str:
        """The Atom feed of the published versions in one language."""
        plan = self.plan
        return render_page(plan.envs[locale], plan.site, FEED, locale)

    def times(self, locale: str) -> str:
        plan = self.plan
        return render_page(plan.envs[locale], plan.site, TIMES, locale,
                           clock=formats.visitor_clock(plan.site.style(locale)),
                           cities=formats.exemplar_cities(plan.site.style(locale).cldr))

    def neutral(self, template: str) -> str:
        plan = self.plan
        return render_neutral(plan.envs, plan.site, template, routes=page_routes(plan.site),
                              sub_path=urlsplit(plan.site.base_url or "/").path)


def qr_code(base_url: str | None, path: str) -> str | None:
    """A QR code of the address of `path` below the site, as an SVG data: URI; None without a
    base URL (a code must hold a full address). segno writes the same SVG for the same text."""
    if not base_url:
        return None
    import segno

    return segno.make(f"{base_url}{path}", error="m").svg_data_uri(scale=3, light="white")


# What web hosts read from the site's folder (docs/hosting.md), by the template that writes it.
HOST_FILES = {".htaccess": "htaccess.txt", "_headers": "netlify-headers.txt",
              "_redirects": "netlify-redirects.txt"}


def encoded(make: Callable[[], str]) -> bytes:
    return make().encode("utf-8")


def site_routes(plan: Plan) -> dict[str, Route]:
    """Every file of the site, by its path below the output folder."""
    outputs = Outputs(plan)
    site = plan.site
    found = [Route(path, partial(bytes, content), f"assets/{name}")
             for name, path in plan.assets.names.items()
             for content in [plan.assets.files[path]]]
    neutral = {"index.html": "chooser.html", "404.html": "404.html", "robots.txt": "robots.txt",
               **HOST_FILES}
    if site.base_url:
        neutral["sitemap.xml"] = "sitemap.xml"
    found += [Route(path, partial(encoded, partial(outputs.neutral, template)),
                    f"templates/{template}") for path, template in neutral.items()]
    found += [Route("schedule.json", outputs.schedule_json, "schedule.json"),
              Route("schedule.xml", outputs.schedule_xml, "schedule.xml")]
    pages = page_routes(site)
    for locale in site.locales:
        found += [Route(route.output(locale),
                        partial(encoded, partial(outputs.page_html, route, locale)),
                        page_origin(site, route, locale))
                  for route in pages]
        found += [Route(file.path, partial(outputs.calendar_file, locale, file),
                        f"the calendar {file.path}")
                  for file in calendars.calendar_downloads(site, locale, plan.gettext(locale))]
        found += [Route(calendars.session_file_path(session, locale),
                        partial(outputs.session_calendar, locale, session),
                        f"the calendar of {session.id}")
                  for session in site.event.sessions if not session.is_pause]
        found.append(Route(f"{locale}/times.json",
                           partial(encoded, partial(outputs.times, locale)),
                           "templates/times.json"))
        if site.versions:
            found.append(Route(f"{locale}/changes.atom",
                               partial(encoded, partial(outputs.feed, locale)),
                               "templates/changes.atom"))
        if plan.pdf:
            found.append(Route(f"{locale}/{PROGRAM.path}{outputs.pdf_name(locale)}",
                               lambda locale=locale: outputs.pdf(locale).data,
                               f"the {locale} program PDF"))
    return route_table(found)


def page_origin(site, route: PageRoute, locale: str) -> str:
    """What makes a page: its content file (or the one shown in its place), or a template."""
    page = find_page(site, route.slug, locale) if route.template == "page.html" else None
    return page.source.file if page else f"templates/{route.template}"


def route_table(routes: list[Route]) -> dict[str, Route]:
    """The routes by path; two that would write one path are an error naming both."""
    table: dict[str, Route] = {}
    clashes: dict[tuple[str, str], str] = {}  # one message for a clash in every locale
    for route in routes:
        other = table.get(route.path)
        if other is None:
            table[route.path] = route
        else:
            clashes.setdefault((route.origin, other.origin), route.path)
    if clashes:
        raise SiteError([Problem(origin, 0, f"this would be published as {path}, which {other} "
                                 "already makes. Rename one of them.")
                         for (origin, other), path in clashes.items()])
    return table
