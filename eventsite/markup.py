"""Markdown to HTML for organiser text: raw HTML escaped, page links resolved, unsafe URLs dropped."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from functools import lru_cache
from html import unescape
from pathlib import Path

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#")


# Where a page link's relative path to the locale's folder goes. Converting each text once and
# filling this in per page (instead of converting once per page) is what keeps a congress of
# thousands of descriptions fast; a private-use character cannot clash with organiser text.
_PAGES = "\ue010"


@lru_cache(maxsize=None)
def _markdown():
    """The converter, made on first use: a build whose texts are all in the cache never
    imports Markdown (a sixth of a small site's start-up)."""
    from .organiser_markdown import organiser_markdown
    return organiser_markdown(_PAGES, SAFE_SCHEMES)


# Each text converted once per process; `prime` fills it from the disk cache first.
_converted: dict[str, str] = {}


def _html(text: str) -> str:
    html = _converted.get(text)
    if html is None:
        html = _converted[text] = _markdown().reset().convert(text.replace(_PAGES, ""))
    return html


def _installed_markdown() -> bytes:
    """The installed Markdown's version file, found without importing the package."""
    spec = importlib.util.find_spec("markdown")
    return Path(spec.origin).with_name("__meta__.py").read_bytes()


# Cached HTML is only as good as the code that made it: a new Markdown release or a change
# to this module or the extension gives every text a new key.
_MAKER = hashlib.sha256(_installed_markdown() + Path(__file__).read_bytes() + Path(
    __file__).with_name("organiser_markdown.py").read_bytes()).digest()


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
    plain = unescape(_TAG.sub("", _BLOCK_END_TAG.sub(_BLOCK_END, _html(text))))
    blocks = (" ".join(block.split()) for block in plain.split(_BLOCK_END))
    return ("\n\n" if paragraphs else " ").join(block for block in blocks if block)


_BLOCK_END = "\x00"  # marks where a paragraph, heading or list item ended
# Only blocks separate words: a space after </em> would print "word ," before a comma.
_BLOCK_END_TAG = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|ul|ol)>")
# Organiser HTML reaches Python-Markdown's output escaped, and so does any "<" or ">" in an
# attribute: every "<" there starts a tag and the next ">" ends it. (An HTML parser costs
# ten times as much, for a congress's ten thousand texts.)
_TAG = re.compile(r"<[^>]*>")
