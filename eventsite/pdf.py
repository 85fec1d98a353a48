"""The PDF stage: the rendered program page → a tagged PDF (the only module importing WeasyPrint).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from .errors import Problem, SiteError

# A PDF/UA-1 file is tagged (a structure tree a screen reader follows) and carries its title
# and language in XMP metadata. No date is set anywhere, so the bytes depend on the input only.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# Where the program page "is" when the site has no base_url: a reserved domain (RFC 2606)
# that never resolves, so nothing outside the site's own files is ever fetched.
OFFLINE_ROOT = "https://eventsite.invalid/"


@dataclass(frozen=True)
class PdfInfo:
    """What a link to the PDF tells the reader before they download it."""

    file: str  # name, next to the program page
    pages: int
    size: int  # bytes


@dataclass(frozen=True)
class Pdf:
    info: PdfInfo
    data: bytes


@dataclass(frozen=True)
class PrintPage:
    """A rendered page and where it is published, so its relative links and assets resolve."""

    html: str
    site_url: str  # the site's base_url, or OFFLINE_ROOT
    path: str  # below site_url, e.g. 'fr/program/'

    @property
    def url(self) -> str:
        return self.site_url + self.path


def program_pdf_name(event_id: str, locale: str) -> str:
    """'prtr-2025-program-fr.pdf': says what it is once saved among a reader's downloads."""
    return f"{event_id}-program-{locale}.pdf"


def render_pdf(page: PrintPage, assets: dict[str, bytes], key: str) -> tuple[bytes, int]:
    """The page printed by WeasyPrint: (PDF bytes, number of pages)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango with ctypes when imported
        raise SiteError([Problem("weasyprint", 0, f"{exc}. Install Pango (Debian: apt-get install "
                                 "libpango-1.0-0 libpangoft2-1.0-0), or build with --no-pdf.")])

    document = HTML(string=page.html, base_url=page.url,
                    url_fetcher=_site_fetcher(page.site_url, assets)).render()
    # pydyf writes no file identifier unless asked; deriving it from what the file is (and the
    # page's content) makes it present (PDF/UA checkers expect one) and reproducible.
    digest = hashlib.sha256(f"{key}\0{page.html}".encode("utf-8")).hexdigest()
    data = document.write_pdf(pdf_identifier=digest[:32].encode("ascii"), **PDF_OPTIONS)
    return data, len(document.pages)


def _site_fetcher(site_url: str, assets: dict[str, bytes]):
    """A URL fetcher serving the site's own assets from memory, and data: URIs (the page's own
    bytes, such as its QR code: urllib decodes them, nothing is requested), and refusing
    everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = url.split("#")[0].split("?")[0].removeprefix(site_url)
            if url.startswith(site_url) and path in assets:
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, assets[path], {"Content-Type": kind})
            raise ValueError(f"{url} is not one of the site's assets; the PDF loads no other file")

    return SiteFetcher()


@contextmanager
def fixed_clock(stamp: datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `stamp` while printing. Where HarfBuzz's subsetter is missing,
    WeasyPrint subsets fonts with fontTools, which writes the time into each subset's `head`
    table unless this variable says otherwise (reproducible-builds.org): without it, two
    builds a second apart gave different PDFs."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def print_program(page: PrintPage, assets: dict[str, bytes], name: str, stamp: datetime) -> Pdf:
    """The program page printed to PDF, its bytes depending on the page, the assets and the
    build stamp only."""
    with fixed_clock(stamp):
        data, pages = render_pdf(page, assets, f"{name}:{page.url}")
    return Pdf(PdfInfo(file=name, pages=pages, size=len(data)), data)
