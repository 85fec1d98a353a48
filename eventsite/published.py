"""`check --url`: is a published copy of the site complete and served as it should be?

The site is built in memory (nothing is printed or written) to know every file it has; the
published copy at the address given is then asked for each, one request at a time, and for
an address that does not exist. Only that address is contacted.
"""

from __future__ import annotations

import uuid
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from .build import prepare
from .errors import Problem
from .routes import HOST_FILES, site_routes

# The type each kind of file must be served with (what follows a ";" may vary).
EXPECTED_TYPES = {".html": "text/html", ".ics": "text/calendar", ".json": "application/json",
                  ".pdf": "application/pdf", ".css": "text/css", ".xml": "application/xml",
                  ".txt": "text/plain", ".atom": "application/atom+xml"}
TIMEOUT = 20  # seconds a request may take


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


def fetch(url: str, head: bool) -> Answer:
    """What the server answers, whatever the status."""
    request = urllib.request.Request(url, method="HEAD" if head else "GET",
                                     headers={"User-Agent": "eventsite check --url"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            return Answer(answer.status, answer.headers.get("Content-Type", ""), answer.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Content-Type", ""), error.read())


def address(base: str, path: str) -> str:
    """The address a file is published at: a folder's for its index.html."""
    return base + (path[:-len("index.html")] if path.endswith("index.html") else path)


class Alternates(HTMLParser):
    """The hreflang alternates of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate" and "hreflang" in values:
            self.found.append(values.get("href") or "")


def check_published(site_dir: Path, url: str) -> list[Problem]:
    """Every problem of the copy published at `url`, one each; none when it is complete."""
    base = url if url.endswith("/") else url + "/"
    plan = prepare(site_dir, pdf=True)
    site = plan.site
    if site.base_url and base != site.base_url:
        return [Problem(base, 0, f"the site is published at {site.base_url} (site.base_url). "
                        "Check that address, or change base_url.")]
    problems = []
    paths = sorted(path for path in site_routes(plan) if path not in HOST_FILES)
    for path in paths:
        where = address(base, path)
        try:
            answer = fetch(where, head=not path.endswith(".html"))
        except (urllib.error.URLError, OSError) as error:
            return [*problems, Problem(where, 0, f"no answer ({getattr(error, 'reason', error)})."
                                       " Check the address and that the site is published.")]
        expected = EXPECTED_TYPES.get(PurePosixPath(path).suffix)
        if answer.status != 200:
            problems.append(Problem(where, 0, f"answers {answer.status}, not 200: the file is "
                                    f"missing. Upload {path} of the build."))
        elif expected and answer.content_type.split(";")[0].strip() != expected:
            problems.append(Problem(where, 0, f'is served as "{answer.content_type}", not '
                                    f"{expected}. Configure the server (docs/hosting.md)."))
        elif site.base_url and path.endswith(".html"):
            alternates = Alternates()
            alternates.feed(answer.body.decode("utf-8", "replace"))
            relative = [href for href in alternates.found if not href.startswith(base)]
            if relative:
                problems.append(Problem(where, 0, f"its language alternates are not absolute "
                                        f"({relative[0]}). Publish the build made with this "
                                        "base_url."))
    missing = address(base, f"no-such-page-{uuid.uuid4().hex[:8]}/")
    answer = fetch(missing, head=False)
    if answer.status != 404 or b"<h1>404</h1>" not in answer.body:
        problems.append(Problem(missing, 0, f"a missing page answers {answer.status}"
                                + ("" if answer.status != 404 else " without the site's 404 page")
                                + ". Make the server answer 404 with 404.html (docs/hosting.md)."))
    return problems
