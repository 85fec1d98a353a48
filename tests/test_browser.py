"""The real site in headless Chromium: accessibility (axe-core), reflow, requests, the visitor's
own time, now/next on the agenda, the language switcher and the keyboard.

Playwright drives Debian's /usr/bin/chromium (it never downloads a browser). One browser for
the module; the site is served from a thread on 127.0.0.1 with a free port.
"""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import REPOSITORY

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking switches Chromium tries Google's hosts at start; the machine is offline.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
AXE = REPOSITORY / "tests" / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# 09:25 in Mexico City on the first day: session 2 (09:20-11:00) is on, the break is next.
DURING_THE_EVENT = "2025-02-26T09:25:00-06:00"
VISITOR_TIME_ON = "localStorage.setItem('visitor-time', 'on')"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(real_dist):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(real_dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); "
                    ".ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """A page in a fresh context (time zone, colour scheme, JavaScript…), closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def plain(text: str) -> str:
    """Text with CLDR's thin and narrow no-break spaces as plain spaces, for comparing."""
    return " ".join(text.replace("\u2009", " ").replace("\u202f", " ").split())


def site_paths(dist: Path) -> list[str]:
    """Every page's address below the site root, as a visitor types it."""
    paths = []
    for page in sorted(dist.rglob("*.html")):
        relative = page.relative_to(dist).as_posix()
        paths.append(relative.removesuffix("index.html"))
    return paths


@dataclass
class Visit:
    """What one page did in the browser."""

    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    axe_light: list[str] = field(default_factory=list)
    axe_dark: list[str] = field(default_factory=list)
    overflow_at_320: int = 0


def axe_violations(page) -> list[str]:
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})", AXE_TAGS)
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"]]


@pytest.fixture(scope="module")
def visits(browser, base_url, real_dist) -> dict[str, Visit]:
    """Every page visited once, in its fullest state: a visitor in Paris who asked for their
    own time, during the event (so now/next shows), at 320 px in light and 1280 px in dark.

    The context's language is German, which the site lacks, so the root page stays put.
    """
    context = browser.new_context(viewport={"width": 320, "height": 800},
                                  timezone_id="Europe/Paris", locale="de-DE")
    context.add_init_script(VISITOR_TIME_ON)
    context.add_init_script(path=str(AXE))
    context.clock.set_fixed_time(DURING_THE_EVENT)
    page = context.new_page()
    host = urlparse(base_url).netloc
    current: dict[str, Visit] = {}
    record = lambda: current["visit"]  # noqa: E731  (the listeners write to the page being visited)
    page.on("console", lambda m: m.type == "error" and record().errors.append(m.text))
    page.on("pageerror", lambda e: record().errors.append(str(e)))
    page.on("requestfailed", lambda r: record().errors.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and record().errors.append(f"{r.url}: {r.status}"))
    page.on("request", lambda r: urlparse(r.url).netloc != host
            and record().foreign_requests.append(r.url))
    found = {}
    for path in site_paths(real_dist):
        current["visit"] = found[path] = Visit()
        page.set_viewport_size({"width": 320, "height": 800})
        page.emulate_media(color_scheme="light")
        page.goto(base_url + path)
        found[path].overflow_at_320 = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        found[path].axe_light = axe_violations(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        page.emulate_media(color_scheme="dark")
        found[path].axe_dark = axe_violations(page)
    context.close()
    return found


def test_every_page_is_visited(visits, real_dist):
    assert len(visits) == len(list(real_dist.rglob("*.html"))) > 30
    assert "" in visits and "404.html" in visits and "fr/agenda/session-3/" in visits


def test_axe_finds_no_wcag_violation_on_any_page_in_the_light_scheme(visits):
    assert {path: v.axe_light for path, v in visits.items() if v.axe_light} == {}


def test_axe_finds_no_wcag_violation_on_any_page_in_the_dark_scheme(visits):
    assert {path: v.axe_dark for path, v in visits.items() if v.axe_dark} == {}


def test_no_page_logs_a_console_error_or_has_a_failed_request(visits):
    assert {path: v.errors for path, v in visits.items() if v.errors} == {}


def test_no_page_asks_another_host_for_anything(visits):
    assert {path: v.foreign_requests for path, v in visits.items() if v.foreign_requests} == {}


def test_no_page_scrolls_sideways_at_320_px(visits):
    assert {path: v.overflow_at_320 for path, v in visits.items() if v.overflow_at_320 > 0} == {}


def test_the_language_switcher_lands_on_the_same_page_in_the_other_language(new_page, base_url):
    page = new_page(locale="de-DE")
    page.goto(base_url + "en/agenda/session-3/")
    page.click("nav.languages >> text=Español")
    page.wait_for_url(base_url + "es/agenda/session-3/")
    assert page.get_attribute("html", "lang") == "es"
    page.click("nav.languages >> text=Français")
    page.wait_for_url(base_url + "fr/agenda/session-3/")
    assert page.get_attribute("nav.languages a[aria-current=page]", "hreflang") == "fr"
    page.goto(base_url)  # the root page now takes the visitor to the language they chose
    page.wait_for_url(base_url + "fr/")


@pytest.mark.parametrize("locale, event, visitor", [
    ("fr", "9 h – 9 h 20", "16:00 – 16:20"),
    ("es", "9:00 – 9:20", "16:00–16:20"),
    ("en", "9:00 am – 9:20 am", "4:00 – 4:20 PM"),
])
def test_a_visitor_in_paris_can_add_their_own_time_beside_the_event_time(
        new_page, base_url, locale, event, visitor):
    page = new_page(timezone_id="Europe/Paris")
    page.goto(f"{base_url}{locale}/agenda/")
    first = page.locator("#session-1 .slot-time")
    toggle = page.locator(".visitor-time-toggle")
    assert toggle.is_visible() and not toggle.is_checked()
    assert plain(first.locator(".event-time .time").inner_text()) == event
    assert not first.locator(".visitor-time").is_visible()
    toggle.check()
    shown = first.locator(".visitor-time")
    assert plain(shown.locator(".time").inner_text()) == visitor
    assert shown.locator(".zone-label").inner_text() == {
        "en": "your time (Paris)", "es": "su hora (Paris)", "fr": "votre heure (Paris)"}[locale]
    text = plain(first.inner_text())
    assert text.index(event) < text.index(visitor)  # the event's time comes first
    page.reload()  # the choice is remembered
    assert page.locator(".visitor-time-toggle").is_checked()
    assert page.locator("#session-1 .visitor-time").is_visible()


def test_a_time_past_the_visitors_midnight_shows_the_weekday(new_page, base_url):
    page = new_page(timezone_id="Asia/Tokyo")
    page.add_init_script(VISITOR_TIME_ON)
    page.goto(base_url + "en/agenda/")
    # 09:00 on Wednesday in Mexico City is midnight going into Thursday in Tokyo.
    assert plain(page.inner_text("#session-1 .visitor-time .time")) == "Thu, 12:00 – 12:20 AM"
    assert page.inner_text("#session-1 .visitor-time .zone-label") == "your time (Tokyo)"


@pytest.mark.parametrize("zone", ["America/Mexico_City", "America/Chicago"])
def test_a_visitor_on_the_events_utc_offset_is_offered_nothing(new_page, base_url, zone):
    page = new_page(timezone_id=zone)  # Chicago is on UTC-6 in February, like Mexico City
    page.add_init_script(VISITOR_TIME_ON)
    page.goto(base_url + "en/agenda/")
    assert not page.locator(".visitor-time-offer").is_visible()
    assert not page.locator(".visitor-time").first.is_visible()


def test_without_javascript_the_event_time_is_shown_labelled_and_nothing_is_offered(
        new_page, base_url):
    page = new_page(java_script_enabled=False, timezone_id="Europe/Paris")
    page.goto(base_url + "es/agenda/")
    first = page.locator("#session-1 .slot-time")
    assert plain(first.locator(".event-time").inner_text()) == "9:00 – 9:20"
    assert plain(page.inner_text(".timezone-note")) == \
        "Los horarios se indican en hora de la Ciudad de México (UTC−6)."
    assert not page.locator(".visitor-time-offer").is_visible()


def now_and_next(page) -> dict[str, str]:
    return {element.get_attribute("id"): element.locator(".slot-status").inner_text()
            for element in page.locator(".slot:has(.slot-status)").all()}


def test_during_the_event_the_agenda_marks_the_session_now_and_the_next_one(new_page, base_url):
    page = new_page(timezone_id="Europe/Paris")
    page.clock.set_fixed_time(DURING_THE_EVENT)
    page.goto(base_url + "fr/agenda/")
    assert now_and_next(page) == {"session-2": "En cours", "break-1": "À suivre"}
    assert page.get_attribute("#session-2", "aria-current") == "time"
    page.clock.set_fixed_time("2025-02-26T17:30:00-06:00")  # evening: tomorrow's first is next
    page.reload()
    assert now_and_next(page) == {"session-5": "À suivre"}


@pytest.mark.parametrize("moment", ["2025-01-15T09:00:00-06:00", "2025-02-27T12:15:00-06:00"])
def test_outside_the_event_the_agenda_marks_nothing(new_page, base_url, moment):
    page = new_page()
    page.clock.set_fixed_time(moment)
    page.goto(base_url + "en/agenda/")
    assert now_and_next(page) == {}


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["en/agenda/", "fr/agenda/session-3/", "es/"])
def test_nothing_on_the_page_moves_when_the_script_adds_times_and_badges(
        new_page, base_url, path, width):
    page = new_page(timezone_id="Europe/Paris", viewport={"width": width, "height": 900})
    page.add_init_script(VISITOR_TIME_ON)
    page.clock.set_fixed_time(DURING_THE_EVENT)
    page.goto(base_url + path)
    assert page.locator(".visitor-time").first.inner_text()  # the script did fill it in
    shift = page.evaluate("""() => new Promise(done => {
        // Buffered entries arrive at once if there are any; none within 200 ms means none.
        new PerformanceObserver(list => done(list.getEntries().reduce((sum, e) => sum + e.value, 0)))
          .observe({type: "layout-shift", buffered: true});
        setTimeout(() => done(0), 200);
      })""")
    assert shift == 0


def test_the_keyboard_reaches_the_skip_link_first_and_it_moves_to_the_main_content(
        new_page, base_url):
    page = new_page()
    page.goto(base_url + "fr/agenda/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0  # visible on screen when focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_time_zone_control_works_from_the_keyboard_with_a_visible_focus(new_page, base_url):
    page = new_page(timezone_id="Europe/Paris")
    page.goto(base_url + "en/agenda/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('visitor-time-toggle')"):
            break
    else:
        pytest.fail("Tab never reached the time-zone control")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Space")
    assert page.locator("#session-1 .visitor-time").is_visible()


def test_hostile_markdown_links_run_nothing_when_clicked(sample_site, browser, tmp_path):
    """The same links as test_markup's, on a page, clicked in Chromium: no dialog opens."""
    from eventsite.build import build_site
    from test_markup import HOSTILE

    body = "\n\n".join(HOSTILE)
    site = sample_site({f"content/{locale}/about.md": f"---\ntitle: About\ndescription: x\n"
                        f"menu: 2\n---\n{body}\n" for locale in ("en", "es", "fr")})
    build_site(site, tmp_path / "out")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path / "out")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        url = f"http://127.0.0.1:{server.server_address[1]}/en/about/"
        links = page.goto(url) and page.locator("main article a")
        assert links.count() >= 8
        for index in range(links.count()):
            page.goto(url)
            page.locator("main article a").nth(index).click(timeout=2000)
            page.wait_for_timeout(100)
        assert dialogs == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


class SubPathHandler(QuietHandler):
    """A site under /events/prtr/, answering a missing page with its 404.html, as a host
    configured by docs/hosting.md does."""

    PREFIX = "/events/prtr/"

    def send_head(self):
        if not self.path.startswith(self.PREFIX):
            self.path = "/__nowhere__"
        else:
            self.path = "/" + self.path[len(self.PREFIX):]
        if self.translate_path(self.path) and Path(self.translate_path(self.path)).exists():
            return super().send_head()
        page = Path(self.directory, "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return __import__("io").BytesIO(page)


def test_the_404_page_works_at_any_depth_under_a_sub_path(sample_site, browser, tmp_path):
    from eventsite.build import build_site

    build_site(sample_site(), tmp_path / "out")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SubPathHandler, directory=str(tmp_path / "out")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context()
    try:
        page = context.new_page()
        failed = []
        page.on("response", lambda answer: answer.status >= 400 and answer.url.endswith(
            (".css", ".js")) and failed.append(answer.url))
        answer = page.goto(f"{host}/events/prtr/en/agenda/nope/deeper/")
        assert answer.status == 404
        page.wait_for_function("document.querySelector('a[data-site-path]').getAttribute("
                               "'href').startsWith('/events/prtr/')")
        home = page.get_by_role("link", name="Go to the home page").first
        assert home.get_attribute("href") == "/events/prtr/en/"
        assert failed == []
        # Styled: the site's stylesheet applies (its wrap class centres the page).
        assert page.evaluate("getComputedStyle(document.querySelector('main')).marginLeft") \
            != "0px"
        home.click()
        page.wait_for_url(f"{host}/events/prtr/en/")
        assert page.title().startswith("Sample Meeting")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["en/agenda/", "fr/changes/", "es/agenda/talk/", "fr/"])
def test_the_schedule_change_features_have_no_wcag_violation(browser, changed_dist, path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(changed_dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 320, "height": 800})
    context.add_init_script(path=str(AXE))
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
        if page.locator("details.subscribe").count():
            page.click("details.subscribe summary")
        assert page.locator(".badge").count() or path in ("fr/", "fr/changes/")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        light = axe_violations(page)
        page.emulate_media(color_scheme="dark")
        page.set_viewport_size({"width": 1280, "height": 800})
        dark = axe_violations(page)
        assert (light, dark, overflow) == ([], [], 0)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
