"""Markdown to HTML for organiser text: raw HTML escaped, page links resolved, unsafe URLs dropped.

Conversions are pure functions of the text, memoised with functools.lru_cache: a text shown
on several pages (a session's description on its page, the agenda and the program) is
converted once per process, and an edited text is simply another key, so nothing can go stale.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from .placeholders import LOCALE_FOLDER

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#")


@lru_cache(maxsize=1)
def _converter():
    """The converter, made on first use (Markdown is imported only then). It is reset before
    every conversion, so what one text leaves in it never reaches the next."""
    from .organiser_markdown import organiser_markdown
    return organiser_markdown(LOCALE_FOLDER, SAFE_SCHEMES)


@lru_cache(maxsize=65536)
def _html(text: str) -> str:
    """The text as HTML, with each link to another page below LOCALE_FOLDER."""
    return _converter().reset().convert(text.replace(LOCALE_FOLDER, ""))


def markdown_to_html(text: str, root: str, locale: str) -> str:
    """Render organiser Markdown; `root` is the relative path from the page to the site root."""
    return _html(text).replace(LOCALE_FOLDER, f"{root}{locale}/")


@lru_cache(maxsize=65536)
def markdown_to_text(text: str, paragraphs: bool = False) -> str:
    """Plain text of Markdown: one line for meta descriptions, or paragraphs for calendars."""
    plain = unescape(_TAG.sub("", _BLOCK_END_TAG.sub(_BLOCK_END, _html(text))))
    blocks = (" ".join(block.split()) for block in plain.split(_BLOCK_END))
    return ("\n\n" if paragraphs else " ").join(block for block in blocks if block)


_BLOCK_END = "\x00"  # marks where a paragraph, heading or list item ended
# Only blocks separate words: a space after </em> would print "word ," before a comma.
_BLOCK_END_TAG = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|ul|ol)>")
# Organiser HTML reaches Python-Markdown's output escaped, and so does any "<" or ">" in an
# attribute: every "<" there starts a tag and the next ">" ends it.
_TAG = re.compile(r"<[^>]*>")
