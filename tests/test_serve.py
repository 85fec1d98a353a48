"""The dev server: what it serves is what a clean build writes, after any edit; errors in the
browser; nothing written to disk."""

from __future__ import annotations

import random
import re
from contextlib import contextmanager
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from conftest import REPOSITORY, SAMPLE_AGENDA, run_cli, tree_digest, write_files
from eventsite.build import build_site
from eventsite.serve import DevSite, site_app

# A site's own template that shows a neighbouring slot: an edit to one session changes the
# page of another. (The dev server once kept pages by the session they show, and went stale.)
NEXT_SLOT_TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ session.title|t if session.title else session.id }}{% endblock %}
{% block main %}
{% set sessions = event.sessions %}
{% for other in sessions if other.start >= session.end and not other.is_pause %}{% if loop.first %}
<p class="next">Next: {{ other.title|t if other.title else other.kind }}</p>{% endif %}{% endfor %}
{% endblock %}
"""

MORE_SESSIONS = """\
      - id: talk
        number: 2
        start: "09:30"
        end: "10:00"
        title: {en: First talk, es: Primera charla, fr: Premier exposé}
        description: {en: "About *things*.", es: "Sobre *cosas*.", fr: "Sur des *choses*."}
      - id: closing
        start: "10:00"
        end: "10:15"
        title: {en: Closing, es: Clausura, fr: Clôture}
        speakers: [ana]
"""


def request(site: DevSite, path: str, method: str = "GET") -> tuple[str, dict, bytes]:
    answer = {}
    body = site_app(site)({"PATH_INFO": path, "REQUEST_METHOD": method},
                          lambda status, headers: answer.update(status=status,
                                                                headers=dict(headers)))
    return answer["status"], answer["headers"], b"".join(body)


def served_tree(site: DevSite) -> dict[str, bytes]:
    return {path: route.render() for path, route in site.routes.items()}


def assert_serves_a_clean_build(folder, tmp_path, name):
    """Every route of the dev server, as it would answer, equals the file a build writes."""
    site = DevSite(folder, strict=False, pdf=False)
    site.reload()
    assert site.error is None, site.error
    out = tmp_path / name
    build_site(folder, out)
    built = {path.relative_to(out).as_posix(): path.read_bytes()
             for path in out.rglob("*") if path.is_file()}
    assert set(site.routes) == set(built)
    for path, content in built.items():
        url = "/" + path.removesuffix("index.html")
        status, _, body = request(site, url)
        assert (status, body) == ("200 OK", content), path


def random_edit(folder, rng: random.Random) -> None:
    agenda = folder / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    edits = [
        lambda: agenda.write_text(text.replace("First talk", f"Talk {rng.randint(1, 99)}", 1)
                                  if "First talk" in text else
                                  re.sub(r"Talk \d+", f"Talk {rng.randint(1, 99)}", text, 1)),
        lambda: agenda.write_text(text.replace("Closing,", "Closing words,", 1)
                                  if "Closing," in text else
                                  text.replace("Closing words,", "Closing,", 1)),
        lambda: agenda.write_text(text.replace('end: "10:15"', 'end: "10:30"')
                                  if 'end: "10:15"' in text else
                                  text.replace('end: "10:30"', 'end: "10:15"')),
        lambda: agenda.write_text(text.replace("role: {en: Chair,", "role: {en: Host,")
                                  if "Chair," in text else
                                  text.replace("role: {en: Host,", "role: {en: Chair,")),
        lambda: write_files(folder, {f"content/{locale}/about.md":
                                     f"---\ntitle: About {rng.randint(1, 99)}\n"
                                     "description: About.\nmenu: 2\n---\nSee [the venue](venue.md)."
                                     for locale in ("en", "es", "fr")}),
        lambda: write_files(folder, {f"content/{locale}/venue.md":
                                     f"---\ntitle: Venue {rng.randint(1, 99)}\n"
                                     "description: Where.\nmenu: 3\n---\nThe hotel."
                                     for locale in ("en", "es", "fr")}),
        lambda: write_files(folder, {"templates/session.html": NEXT_SLOT_TEMPLATE.replace(
            "Next:", rng.choice(["Next:", "Then:", "After this:"]))}),
    ]
    rng.choice(edits)()


def test_after_random_edits_every_route_served_is_the_file_a_clean_build_writes(
        sample_site, tmp_path):
    folder = sample_site({"agenda.yaml": SAMPLE_AGENDA + MORE_SESSIONS,
                          "templates/session.html": NEXT_SLOT_TEMPLATE})
    rng = random.Random(14)
    site = DevSite(folder, strict=False, pdf=False)
    site.reload()
    for step in range(12):
        random_edit(folder, rng)
        site.reload()  # what a save does
        assert site.error is None, site.error
        out = tmp_path / f"build-{step}"
        build_site(folder, out)
        built = {path.relative_to(out).as_posix(): path.read_bytes()
                 for path in out.rglob("*") if path.is_file()}
        assert served_tree(site) == built, step


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LIVERELOAD_SCRIPT = re.compile(rb'<script type="text/javascript">\(function\(\)\{var s=document'
                               rb'.createElement\("script"\);.*?</script>', re.S)


@contextmanager
def running_server(folder):
    """`build.py serve` on the site, started and answering, stopped after: its root URL."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPOSITORY / "build.py"), "serve", "--site",
                               str(folder), "--port", str(port)], stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}/"
    try:
        until(lambda: fetch(root + "en/"), "the server did not start", 30)
        yield root
    finally:
        server.terminate()
        server.wait(timeout=10)


def until(check, why: str, seconds: float):
    """What check() returns once it returns something true without failing to connect."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            found = check()
            if found:
                return found
        except (urllib.error.URLError, ConnectionError):
            pass
        assert time.monotonic() < deadline, why
        time.sleep(0.05)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return LIVERELOAD_SCRIPT.sub(b"", answer.read())


def test_the_running_server_shows_a_neighbouring_slots_new_title_after_a_save(
        sample_site, tmp_path):
    """Through HTTP, as a browser sees it: the opening's page names the next slot."""
    folder = sample_site({"agenda.yaml": SAMPLE_AGENDA + MORE_SESSIONS,
                          "templates/session.html": NEXT_SLOT_TEMPLATE})
    with running_server(folder) as root:
        page = root + "en/agenda/opening/"
        assert b"Next: First talk" in fetch(page)
        agenda = folder / "agenda.yaml"
        agenda.write_text(agenda.read_text().replace("First talk", "Keynote"))

        def renamed() -> bytes | None:
            body = fetch(page)
            return body if b"Next: Keynote" in body else None
        served = until(renamed, "the page kept the old title", 10)
    build_site(folder, tmp_path / "out")
    assert served == (tmp_path / "out/en/agenda/opening/index.html").read_bytes()
    assert not (folder / "dist").exists()  # nothing written


def test_the_real_site_is_served_as_it_is_built(tmp_path):
    assert_serves_a_clean_build(REPOSITORY, tmp_path, "real")


def test_a_day_kept_in_a_file_of_its_own_is_served_and_built_like_one_in_agenda_yaml(
        sample_site, tmp_path):
    head, _, day = SAMPLE_AGENDA.partition("days:\n")
    included = "\n".join(line[4:] for line in day.splitlines()) + "\n"
    one_file = sample_site()
    build_site(one_file, tmp_path / "one")
    split = write_files(tmp_path / "split", {
        **{path.relative_to(one_file).as_posix(): path.read_text()
           for path in one_file.rglob("*.md")},
        "agenda.yaml": head + "days:\n  - include: days/day-1.yaml\n",
        "days/day-1.yaml": included.replace("- date:", "date:", 1)})
    build_site(split, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")
    assert_serves_a_clean_build(split, tmp_path, "three")


def test_a_mistake_is_shown_in_the_browser_until_the_fix_is_saved(sample_site):
    folder = sample_site()
    site = DevSite(folder, strict=False, pdf=False)
    site.reload()
    agenda = folder / "agenda.yaml"
    agenda.write_text(agenda.read_text().replace('end: "09:20"', 'end: "9h20"'))
    site.reload()
    status, headers, page = request(site, "/en/agenda/")
    assert status.startswith("500") and headers["Content-Type"].startswith("text/html")
    assert b"agenda.yaml:25:14" in page and b"HH:MM" in page
    agenda.write_text(agenda.read_text().replace('end: "9h20"', 'end: "09:20"'))
    site.reload()
    status, _, page = request(site, "/en/agenda/")
    assert status == "200 OK" and b"Sample Meeting" in page
    assert request(site, "/en/nowhere/")[0].startswith("404")
    assert request(site, "/../agenda.yaml")[0].startswith("404")
    assert request(site, "/en/agenda")[:2] == ("301 Moved Permanently", {
        "Location": "/en/agenda/", "Content-Length": "0", "Cache-Control": "no-store"})


def test_a_template_mistake_is_shown_with_its_line_and_a_fix_recovers(sample_site):
    folder = sample_site()
    site = DevSite(folder, strict=False, pdf=False)
    template = folder / "templates" / "session.html"
    original = (REPOSITORY / "templates" / "session.html").read_text(encoding="utf-8")
    write_files(folder, {"templates/session.html":
                         original.replace("{% endblock %}", "{% endblok %}", 1)})
    site.reload()
    status, _, page = request(site, "/en/")
    assert status.startswith("500") and b"templates/session.html:" in page
    template.unlink()
    site.reload()
    assert site.error is None
    assert request(site, "/en/")[0] == "200 OK"


def test_head_is_answered_with_the_headers_and_no_body(sample_site):
    site = DevSite(sample_site(), strict=False, pdf=False)
    site.reload()
    status, headers, body = request(site, "/en/calendar.ics", "HEAD")
    assert status == "200 OK" and body == b""
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert int(headers["Content-Length"]) == len(request(site, "/en/calendar.ics")[2]) > 0


def test_with_strict_a_missing_translation_is_an_error_in_the_browser(sample_site):
    folder = sample_site()
    agenda = folder / "agenda.yaml"
    agenda.write_text(agenda.read_text().replace(", fr: Ouverture}", "}"))
    site = DevSite(folder, strict=True, pdf=False)
    site.reload()
    status, _, page = request(site, "/fr/agenda/")
    assert status.startswith("500") and b"has no fr translation" in page


@pytest.mark.parametrize("pdf", [False, True])
def test_the_program_pdf_is_served_only_when_asked_for(sample_site, pdf):
    site = DevSite(sample_site(), strict=False, pdf=pdf)
    site.reload()
    status, headers, body = request(site, "/en/program/sample-program-en.pdf")
    if pdf:
        assert status == "200 OK" and headers["Content-Type"] == "application/pdf"
        assert body.startswith(b"%PDF-")
    else:
        assert status.startswith("404")


def test_the_reload_socket_answers_its_own_pages_only_and_names_no_source(sample_site):
    """A page of another origin cannot listen to the dev server; its own pages learn of a
    save, and of no path on the organiser's disk."""
    import asyncio
    import json

    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    folder = sample_site()

    async def story(root: str):
        socket_url = root.replace("http://", "ws://") + "livereload"
        with pytest.raises(HTTPClientError) as refused:
            await websocket_connect(HTTPRequest(socket_url,
                                                headers={"Origin": "http://evil.example"}))
        assert refused.value.code == 403
        connection = await websocket_connect(HTTPRequest(
            socket_url, headers={"Origin": root.rstrip("/")}))
        await connection.write_message(json.dumps({"command": "hello"}))
        await connection.read_message()
        await connection.write_message(json.dumps({"command": "info", "url": "x"}))
        await asyncio.sleep(0.3)
        agenda = folder / "agenda.yaml"
        agenda.write_text(agenda.read_text().replace("Opening,", "Welcome,"))
        message = json.loads(await asyncio.wait_for(connection.read_message(), 10))
        connection.close()
        return message

    with running_server(folder) as root:
        message = asyncio.run(story(root))
    assert message["command"] == "reload" and message["path"] == "*"
    assert str(folder) not in json.dumps(message)


def test_a_publish_while_serving_reaches_the_pages(sample_site):
    """published/ does not exist when the server starts: it is watched once it is made."""
    folder = sample_site()
    with running_server(folder) as root:
        for number in (1, 2):
            if number == 2:
                agenda = folder / "agenda.yaml"
                agenda.write_text(agenda.read_text().replace("Opening,", "Welcome,"))
            assert run_cli("publish", "--site", str(folder)).returncode == 0
            until(lambda: f"version {number}.".encode() in fetch(root + "en/agenda/"),
                  f"version {number} never shown", 10)
