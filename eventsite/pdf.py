"""The PDF stage: the rendered program page → a tagged PDF, cached by the content it is made of.

The only module that imports WeasyPrint, and only when a PDF has to be made: a build whose
program pages have not changed takes its PDFs from the cache and never loads the engine.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

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


def content_key(page: PrintPage, assets: dict[str, bytes]) -> str:
    """A hash of everything a PDF is made of: the page, the files it may load, the engine."""
    from importlib.metadata import version  # only when printing: 8 ms at start-up
    digest = hashlib.sha256()
    for part in (version("weasyprint"), repr(sorted(PDF_OPTIONS.items())), page.url, page.html):
        digest.update(part.encode("utf-8") + b"\0")
    for path in sorted(assets):
        digest.update(path.encode("utf-8") + b"\0" + hashlib.sha256(assets[path]).digest())
    return digest.hexdigest()


def render_pdf(page: PrintPage, assets: dict[str, bytes], key: str) -> tuple[bytes, int]:
    """The page printed by WeasyPrint: (PDF bytes, number of pages)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango with ctypes when imported
        raise SiteError([Problem("weasyprint", 0, f"{exc}. Install Pango (Debian: apt-get install "
                                 "libpango-1.0-0 libpangoft2-1.0-0), or build with --no-pdf.")])

    document = HTML(string=page.html, base_url=page.url,
                    url_fetcher=_site_fetcher(page.site_url, assets)).render()
    # pydyf writes no file identifier unless asked; deriving it from the content key makes it
    # present (PDF/UA checkers expect one) and reproducible.
    data = document.write_pdf(pdf_identifier=key[:32].encode("ascii"), **PDF_OPTIONS)
    return data, len(document.pages)


def _site_fetcher(site_url: str, assets: dict[str, bytes]):
    """A URL fetcher serving the site's own assets from memory and refusing everything else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SiteFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = url.split("#")[0].split("?")[0].removeprefix(site_url)
            if url.startswith(site_url) and path in assets:
                kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, assets[path], {"Content-Type": kind})
            raise ValueError(f"{url} is not one of the site's assets; the PDF loads no other file")

    return SiteFetcher()


@dataclass(frozen=True)
class PdfCache:
    """PDFs by content key, in a folder outside dist/ (I/O kept at the edge of the build)."""

    folder: Path

    def load(self, key: str) -> tuple[bytes, int] | None:
        found = sorted(self.folder.glob(f"{key}-*.pdf"))
        if not found:
            return None
        pages = int(found[0].stem.rsplit("-", 1)[1])
        return found[0].read_bytes(), pages

    def store(self, key: str, data: bytes, pages: int) -> None:
        # The page count is part of the name, so one file is the whole entry.
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = self.folder / f".{key}.tmp"
            partial.write_bytes(data)
            partial.replace(self.folder / f"{key}-{pages}.pdf")
        except OSError:
            pass  # a read-only site folder: the build still works, only slower next time

    def keep_only(self, keys: set[str]) -> None:
        """Forget PDFs of earlier versions of the pages, so the folder never grows."""
        for path in self.folder.glob("*.pdf"):
            if path.stem.rsplit("-", 1)[0] not in keys:
                path.unlink(missing_ok=True)


def program_pdf(page: PrintPage, assets: dict[str, bytes], name: str,
                cache: PdfCache) -> tuple[str, Pdf]:
    """The PDF of one program page, from the cache when the page has not changed: (key, PDF)."""
    key = content_key(page, assets)
    cached = cache.load(key)
    if cached is None:
        cached = render_pdf(page, assets, key)
        cache.store(key, *cached)
    data, pages = cached
    return key, Pdf(PdfInfo(file=name, pages=pages, size=len(data)), data)
