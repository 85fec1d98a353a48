"""Markdown to HTML for organiser text: raw HTML escaped, page links resolved, unsafe URLs dropped."""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as etree
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#")


# Where a page link's relative path to the locale's folder goes. Converting each text once and
# filling this in per page (instead of converting once per page) is what keeps a congress of
# thousands of descriptions fast; a private-use character cannot clash with organiser text.
_PAGES = "\ue010"


class _PageLinks(Treeprocessor):
    """Turn `venue.md` into the page's address, below a placeholder for the locale's folder."""

    def run(self, tree: etree.Element) -> None:
        for link in tree.iter("a"):
            href = link.get("href", "")
            target, _, fragment = href.partition("#")
            if target.endswith(".md") and "/" not in target:
                slug = target[:-3]
                path = "" if slug == "index" else f"{slug}/"
                link.set("href", f"{_PAGES}{path}" + (f"#{fragment}" if fragment else ""))
            elif ":" in target.split("/")[0] and not href.startswith(SAFE_SCHEMES):
                del link.attrib["href"]  # javascript:, data: … never become links


class _OrganiserMarkdown(Extension):
    def extendMarkdown(self, md) -> None:
        # Raw HTML in organiser text is shown as text, never injected (issue: no HTML injection).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_PageLinks(md), "page_links", 1)


_converter = markdown.Markdown(extensions=[_OrganiserMarkdown()], output_format="html")
# Each text converted once per process; `prime` fills it from the disk cache first.
_converted: dict[str, str] = {}


def _html(text: str) -> str:
    html = _converted.get(text)
    if html is None:
        html = _converted[text] = _converter.reset().convert(text.replace(_PAGES, ""))
    return html


# Cached HTML is only as good as the code that made it: a new Markdown release or a change
# to this module gives every text a new key.
_MAKER = hashlib.sha256(markdown.__version__.encode() + Path(__file__).read_bytes()).digest()


def text_key(text: str) -> str:
    return hashlib.sha256(_MAKER + text.encode("utf-8")).hexdigest()[:40]


def prime(texts: set[str], cache: Path | None) -> None:
    """Convert every Markdown text a build will show, before the work is shared out.

    The build's worker processes then inherit the conversions instead of each making its own,
    and `cache` (a JSON file of HTML by a hash of the text) spares the conversions that the
    last build already made; it is rewritten with this build's texts only. An unreadable
    cache is rebuilt: it only ever costs time."""
    if cache is None:  # no keys to compute: convert what no build of this process has
        for text in texts:
            _html(text)
        return
    try:
        known = json.loads(cache.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    kept = {}
    for text in texts:
        key = text_key(text)
        if text not in _converted and isinstance(known.get(key), str):
            _converted[text] = known[key]
        kept[key] = _html(text)
    if kept.keys() != known.keys():
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_name(f".{cache.name}.{os.getpid()}")
            temporary.write_text(json.dumps(kept, ensure_ascii=False, sort_keys=True), "utf-8")
            os.replace(temporary, cache)
        except OSError:
            pass


def markdown_to_html(text: str, root: str, locale: str) -> str:
    """Render organiser Markdown; `root` is the relative path from the page to the site root."""
    return _html(text).replace(_PAGES, f"{root}{locale}/")


@lru_cache(maxsize=None)
def markdown_to_text(text: str, paragraphs: bool = False) -> str:
    """Plain text of Markdown: one line for meta descriptions, or paragraphs for calendars."""
    collector = _TextCollector()
    collector.feed(_html(text))
    collector.close()
    blocks = (" ".join(block.split()) for block in "".join(collector.parts).split(_BLOCK_END))
    return ("\n\n" if paragraphs else " ").join(block for block in blocks if block)


_BLOCK_END = "\x00"  # marks where a paragraph, heading or list item ended
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        # Only blocks separate words: a space after </em> would print "word ," before a comma.
        if tag in _BLOCKS:
            self.parts.append(_BLOCK_END)
