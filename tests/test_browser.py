"""The real site in headless Chromium: accessibility (axe-core), reflow, requests, the visitor's
own time, now/next on the agenda, the language switcher and the keyboard.

Playwright drives Debian's /usr/bin/chromium (it never downloads a browser). One browser for
the module; the site is served from a thread on 127.0.0.1 with a free port.
"""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

from conftest import REPOSITORY

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking switches Chromium tries Google's hosts at start; the machine is offline.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
AXE = REPOSITORY / "tests" / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# 10:00 in Mexico City on the first day: session 2 (09:20-11:00) is on; a break (11:00-11:15)
# comes first, but the next session is session 3 (11:15).
DURING_THE_EVENT = "2025-02-26T10:00:00-06:00"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def served(directory: Path, handler: type = QuietHandler):
    """A built site served from a thread on a free port of 127.0.0.1: its address."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(real_dist):
    with served(real_dist) as url:
        yield url


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
    """Every page visited once, in its fullest state: a visitor in Paris, shown their own time,
    during the event (so now/next shows), at 320 px in light and 1280 px in dark.

    The context's language is German, which the site lacks, so the root page stays put.
    """
    context = browser.new_context(viewport={"width": 320, "height": 800},
                                  timezone_id="Europe/Paris", locale="de-DE")
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


def visitor_time(page, slot: str = "session-1") -> tuple[str, str, str]:
    """The visitor's own date (if shown), time and its label, of a slot on the agenda."""
    shown = page.locator(f"#{slot} .visitor-time")
    shown.locator(".zone-label").wait_for()  # filled in once times.json has come
    date = shown.locator(".date")
    return (plain(date.inner_text()) if date.count() else "",
            plain(shown.locator(".time").inner_text()), shown.locator(".zone-label").inner_text())


@pytest.mark.parametrize("zone, locale, date, time, label", [
    ("Europe/Paris", "en", "", "4:00 pm – 4:20 pm", "in Paris"),
    ("Europe/Paris", "es", "", "16:00 – 16:20", "en París"),
    ("Europe/Paris", "fr", "", "16 h – 16 h 20", "à Paris"),
    ("America/Vancouver", "en", "", "7:00 am – 7:20 am", "in Vancouver"),
    ("America/Vancouver", "es", "", "7:00 – 7:20", "en Vancouver"),
    ("America/Vancouver", "fr", "", "7 h – 7 h 20", "à Vancouver"),
    # 09:00 on Wednesday in Mexico City is midnight going into Thursday in Tokyo: the date.
    ("Asia/Tokyo", "en", "Thu 27 Feb", "12:00 am – 12:20 am", "in Tokyo"),
    ("Asia/Tokyo", "es", "jue 27 de feb", "0:00 – 0:20", "en Tokio"),
    ("Asia/Tokyo", "fr", "jeu. 27 févr.", "0 h – 0 h 20", "à Tokyo"),
    # A zone without a city is named by its offset, as the browser writes it.
    ("UTC", "en", "", "3:00 pm – 3:20 pm", "(GMT+0)"),
    ("Etc/GMT-5", "fr", "", "20 h – 20 h 20", "(UTC+5)"),
    # French joins "à" to a city's article, and CLDR's "Barbade (La)" reads as a sentence.
    ("Africa/Cairo", "fr", "", "17 h – 17 h 20", "au Caire"),
    ("America/Barbados", "fr", "", "11 h – 11 h 20", "à la Barbade"),
])
def test_a_visitor_in_another_utc_offset_sees_their_own_time_by_default(
        new_page, base_url, zone, locale, date, time, label):
    page = new_page(timezone_id=zone)
    page.goto(f"{base_url}{locale}/agenda/")
    assert page.locator(".visitor-time-toggle").is_checked()
    assert visitor_time(page) == (date, time, label)
    text = plain(page.locator("#session-1 .slot-time").inner_text())
    assert text.index(plain(page.inner_text("#session-1 .event-time .time"))) < text.index(time)


@pytest.mark.parametrize("path", ["fr/", "fr/agenda/session-2/"])
def test_the_home_and_session_pages_show_the_visitors_time_too(new_page, base_url, path):
    page = new_page(timezone_id="Europe/Paris")
    page.goto(base_url + path)
    first = page.locator(".visitor-time").first
    first.locator(".zone-label").wait_for()
    assert plain(first.inner_text()).endswith("à Paris")


def test_a_slot_across_the_visitors_midnight_shows_both_dates(new_page, base_url):
    page = new_page(timezone_id="Asia/Shanghai")  # 09:20-11:00 in Mexico City: 23:20-01:00
    page.goto(base_url + "en/agenda/")
    assert visitor_time(page, "session-1") == ("", "11:00 pm – 11:20 pm", "in Shanghai")
    assert visitor_time(page, "session-2") == (
        "", "Wed 26 Feb, 11:20 pm – Thu 27 Feb, 1:00 am", "in Shanghai")


def test_the_visitor_can_hide_their_own_time_and_it_stays_hidden(new_page, base_url):
    page = new_page(timezone_id="Europe/Paris")
    page.goto(base_url + "es/agenda/")
    visitor_time(page)
    page.locator(".visitor-time-toggle").uncheck()
    assert not page.locator("#session-1 .visitor-time").is_visible()
    page.reload()
    assert not page.locator(".visitor-time-toggle").is_checked()
    assert not page.locator("#session-1 .visitor-time").is_visible()
    page.goto(base_url + "es/")  # every page remembers it
    assert not page.locator(".visitor-time").first.is_visible()
    page.goto(base_url + "es/agenda/")
    page.locator(".visitor-time-toggle").check()
    page.reload()
    assert visitor_time(page) == ("", "16:00 – 16:20", "en París")


@pytest.mark.parametrize("zone", ["America/Mexico_City", "America/Chicago"])
def test_a_visitor_on_the_events_utc_offset_is_offered_nothing(new_page, base_url, zone):
    page = new_page(timezone_id=zone)  # Chicago is on UTC-6 in February, like Mexico City
    page.goto(base_url + "en/agenda/")
    assert not page.locator(".visitor-time-offer").is_visible()
    assert not page.locator(".visitor-time").first.is_visible()
    assert page.locator(".visitor-time").first.inner_text() == ""


def test_without_javascript_the_event_time_is_shown_labelled_and_nothing_is_offered(
        new_page, base_url):
    page = new_page(java_script_enabled=False, timezone_id="Europe/Paris")
    page.goto(base_url + "es/agenda/")
    first = page.locator("#session-1 .slot-time")
    assert plain(first.locator(".event-time").inner_text()) == "9:00 – 9:20"
    # labelled once for the day, under its heading
    day_zone = plain(page.locator("#day-1 .day-zone").inner_text())
    assert day_zone == "Hora de la Ciudad de México (UTC−6)"  # standing alone: a capital
    assert not page.locator(".visitor-time-offer").is_visible()
    assert not page.locator(".visitor-time").first.is_visible()


def now_and_next(page) -> dict[str, str]:
    return {element.get_attribute("id"): element.locator(".slot-status").inner_text()
            for element in page.locator(".slot:has(.slot-status)").all()}


def happening_now(page) -> dict[str, tuple[str, str]]:
    """The home and session pages' now/next line: each term, the session linked, its address."""
    line = page.locator(".happening-now")
    line.locator("dl").wait_for()  # filled in once times.json has come
    return {plain(entry.locator("dt").inner_text()): (
        plain(entry.locator("a").inner_text()), entry.locator("a").get_attribute("href"))
        for entry in line.locator("dl > div").all()}


def test_during_the_event_the_agenda_marks_the_session_now_and_the_next_one(new_page, base_url):
    page = new_page(timezone_id="Europe/Paris")
    page.clock.set_fixed_time(DURING_THE_EVENT)
    page.goto(base_url + "fr/agenda/")
    page.locator(".slot-status").first.wait_for()
    assert now_and_next(page) == {"session-2": "En cours", "session-3": "À suivre"}
    assert page.get_attribute("#session-2", "aria-current") == "time"
    page.clock.set_fixed_time("2025-02-26T11:05:00-06:00")  # the break is on, not "next"
    page.reload()
    page.locator(".slot-status").first.wait_for()
    assert now_and_next(page) == {"break-1": "En cours", "session-3": "À suivre"}
    page.clock.set_fixed_time("2025-02-26T17:30:00-06:00")  # evening: tomorrow's first is next
    page.reload()
    page.locator(".slot-status").first.wait_for()
    assert now_and_next(page) == {"session-5": "À suivre"}


@pytest.mark.parametrize("path, now, next_", [
    ("en/", "Now", "Next"),
    ("es/agenda/session-5/", "Ahora", "A continuación"),
    ("fr/agenda/session-2/", "En cours", "À suivre"),
])
def test_during_the_event_the_home_and_session_pages_say_what_is_on_now_and_next(
        new_page, base_url, path, now, next_):
    page = new_page(timezone_id="America/Vancouver")
    page.clock.set_fixed_time(DURING_THE_EVENT)
    page.goto(base_url + path)
    found = happening_now(page)
    assert list(found) == [now, next_]
    locale = path[:2]
    for term, number in ((now, 2), (next_, 3)):
        title, link = found[term]
        assert title.startswith(f"{number}. ") and len(title) > 10
        assert urljoin(page.url, link) == f"{base_url}{locale}/agenda/session-{number}/"


@pytest.mark.parametrize("moment", ["2025-01-15T09:00:00-06:00", "2025-02-27T12:15:00-06:00"])
def test_outside_the_event_the_agenda_marks_nothing(new_page, base_url, moment):
    page = new_page()
    page.clock.set_fixed_time(moment)
    page.goto(base_url + "en/agenda/")
    assert now_and_next(page) == {}
    page.goto(base_url + "en/")
    assert not page.locator(".happening-now").is_visible()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["en/agenda/", "fr/agenda/session-3/", "es/"])
def test_nothing_on_the_page_moves_when_the_script_adds_times_and_badges(
        new_page, base_url, path, width):
    page = new_page(timezone_id="Europe/Paris", viewport={"width": width, "height": 900})
    page.clock.set_fixed_time(DURING_THE_EVENT)
    page.goto(base_url + path)
    page.locator(".visitor-time .zone-label").first.wait_for()  # the script did fill it in
    if path != "en/agenda/":
        page.locator(".happening-now dl").wait_for()
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
    assert page.locator("#session-1 .visitor-time").is_visible()
    page.keyboard.press("Space")
    assert not page.locator("#session-1 .visitor-time").is_visible()


PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def real_event() -> dict:
    return yaml.safe_load((REPOSITORY / "agenda.yaml").read_text(encoding="utf-8"))["event"]


@pytest.mark.parametrize("locale", ["en", "es", "fr"])
def test_a_phone_shows_what_a_visitor_needs_first_without_scrolling(
        new_page, base_url, real_event, locale):
    """At 390 x 844: the meeting's name, dates, place, zone, the capacity notice and the
    registration, each wholly within the first screen; the notice once on the page, and the
    organiser named once before the title."""
    page = new_page(viewport=PHONE, timezone_id=real_event["timezone"])
    page.goto(f"{base_url}{locale}/")
    note = real_event["online"]["note"][locale]
    required = {"name": page.locator("main h1"),
                "dates, place and zone": page.locator("main .facts"),
                "capacity notice": page.get_by_text(note),
                "registration": page.locator(f'main a[href="{real_event["online"]["url"]}"]')}
    for what, element in required.items():
        assert element.count() == 1, what
        box = element.bounding_box()
        assert box["height"] > 0 and box["y"] + box["height"] <= PHONE["height"], (what, box)
    assert [plain(t).lower() for t in page.locator("main .facts dt").all_inner_texts()] == {
        "en": ["dates", "venue", "time zone"], "es": ["fechas", "sede", "zona horaria"],
        "fr": ["dates", "lieu", "fuseau horaire"]}[locale]
    text = page.locator("body").inner_text()
    assert text.count(note) == 1  # and no other words for it:
    assert text.lower().count({"en": "capacity", "es": "cupo", "fr": "capacité"}[locale]) == 1
    before_title = page.evaluate("""() => {
        const range = document.createRange();
        range.setStartBefore(document.body);
        range.setEndBefore(document.querySelector("main h1"));
        return range.toString();
    }""")
    assert before_title.count(real_event["organizer"]["name"][locale]) == 1


def tab_stops(page, limit: int = 200) -> list[str]:
    """Tab from the top of the page until focus leaves it: what each stop is."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => {
            const here = document.activeElement;
            if (here === document.body || here.dataset.tabStop) return null;
            here.dataset.tabStop = "seen";
            return here.tagName + ": " + here.textContent.trim().slice(0, 40);
        }""")
        if stop is None:
            return stops
        stops.append(stop)
    pytest.fail(f"focus never left the page after {limit} Tab presses")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_crosses_the_agenda_in_at_most_30_tab_stops(new_page, base_url, width):
    page = new_page(viewport={"width": width, "height": 844}, timezone_id="America/Mexico_City")
    page.goto(base_url + "en/agenda/")
    stops = tab_stops(page)
    assert len(stops) <= 30, stops
    assert stops[0].startswith("A: Skip") and any("Add to calendar" in s for s in stops)


def test_the_parts_of_a_split_session_link_to_each_other(new_page, base_url):
    page = new_page(timezone_id="America/Mexico_City")
    page.goto(base_url + "en/agenda/")
    continuation = page.locator("#session-4-continued")
    assert plain(continuation.locator("h3").inner_text()).startswith("4. PRTRs and Pollution")
    assert plain(continuation.locator("h3").inner_text()).endswith("(continued)")
    continuation.get_by_role("link", name="Continuation of session 4.").click()
    assert page.url.endswith("#session-4") and page.locator("#session-4 h3").is_visible()
    page.locator("#session-4").get_by_role("link", name="Continued at 3:45 pm.").click()
    assert page.url.endswith("#session-4-continued") and continuation.locator("h3").is_visible()
    page.goto(base_url + "en/agenda/session-4/")
    parts = [plain(text) for text in page.locator(".when .parts li").all_inner_texts()]
    assert parts[0].startswith("Part 1 2:00 pm – 3:30 pm")
    assert parts[1].startswith("Part 2 3:45 pm – 4:45 pm")
    assert "Ideas for Phase 2 of the P2 Challenge" in page.locator("main").inner_text()
    page.get_by_role("link", name="Part 2").click()
    assert page.url.endswith("/en/agenda/session-4-continued/")
    page.get_by_role("link", name="Part 1").click()
    assert page.url.endswith("/en/agenda/session-4/")


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_each_session_has_one_closed_calendar_control_and_breaks_none(
        new_page, base_url, locale):
    page = new_page(timezone_id="America/Mexico_City")
    page.goto(f"{base_url}{locale}/agenda/")
    slots = page.locator("li.slot")
    kinds = []
    for index in range(slots.count()):
        slot = slots.nth(index)
        controls = slot.locator(".add-to-calendar")
        pause = bool({"slot-break", "slot-meal"} & set(slot.get_attribute("class").split()))
        kinds.append(pause)
        assert controls.count() == (0 if pause else 1), slot.get_attribute("id")
        if not pause:
            choices = controls.locator("a")
            assert choices.count() == 4 and not choices.first.is_visible()
    assert kinds.count(True) == 4 and kinds.count(False) == 9
    control = page.locator("#session-3 .add-to-calendar")
    control.locator("summary").click()
    assert control.locator("a").first.is_visible()


def test_hostile_markdown_links_run_nothing_when_clicked(sample_site, browser, tmp_path):
    """The same links as test_markup's, on a page, clicked in Chromium: no dialog opens."""
    from eventsite.build import build_site
    from test_markup import HOSTILE

    body = "\n\n".join(HOSTILE)
    site = sample_site({f"content/{locale}/about.md": f"---\ntitle: About\ndescription: x\n"
                        f"menu: 2\n---\n{body}\n" for locale in ("en", "es", "fr")})
    build_site(site, tmp_path / "out")
    with served(tmp_path / "out") as host:
        context = browser.new_context()
        try:
            page = context.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            url = f"{host}en/about/"
            links = page.goto(url) and page.locator("main article a")
            assert links.count() >= 8
            for index in range(links.count()):
                page.goto(url)
                page.locator("main article a").nth(index).click(timeout=2000)
                page.wait_for_timeout(100)
            assert dialogs == []
        finally:
            context.close()


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
    with served(tmp_path / "out", SubPathHandler) as url:
        host = url.rstrip("/")
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


@pytest.mark.parametrize("path", ["en/agenda/", "fr/changes/", "es/agenda/talk/", "fr/"])
def test_the_schedule_change_features_have_no_wcag_violation(browser, changed_dist, path):
    with served(changed_dist) as url:
        context = browser.new_context(viewport={"width": 320, "height": 800})
        context.add_init_script(path=str(AXE))
        try:
            page = context.new_page()
            page.goto(f"{url}{path}")
            if page.locator("details.subscribe").count():
                page.click("details.downloads summary")
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
