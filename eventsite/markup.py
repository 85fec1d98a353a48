"""Markdown to HTML for organiser text: raw HTML escaped, page links resolved, and the result
sanitised by nh3 (the Ammonia sanitiser) on an allow-list of tags, attributes and URL schemes.

Python-Markdown keeps a link's address as written, so `[x](java&#x73;cript:…)` reached the
page with its entity, which the browser decodes into a script address. Ammonia parses the HTML
as a browser does, entities decoded, before it checks an address: only http, https, mailto,
tel and relative addresses are kept, and only the tags Markdown writes.

Conversions are pure functions of the text, memoised with functools.lru_cache: a text shown
on several pages (a session's description on its page, the agenda and the program) is
converted once per process, and an edited text is simply another key, so nothing can go stale.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from .placeholders import LOCALE_FOLDER

# What organiser Markdown may produce: the tags Python-Markdown writes, their few attributes.
ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "h1",
                "h2", "h3", "h4", "h5", "h6", "br", "hr", "img"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}  # and addresses relative to the page


def sanitised(html: str) -> str:
    """HTML with only what ALLOWED_TAGS, ALLOWED_ATTRIBUTES and URL_SCHEMES allow."""
    import nh3  # only when there is a text to convert

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=None, strip_comments=True)


@lru_cache(maxsize=1)
def _converter():
    """The converter, made on first use (Markdown is imported only then). It is reset before
    every conversion, so what one text leaves in it never reaches the next."""
    from .organiser_markdown import organiser_markdown
    return organiser_markdown(LOCALE_FOLDER)


@lru_cache(maxsize=65536)
def _html(text: str) -> str:
    """The text as safe HTML, with each link to another page below LOCALE_FOLDER."""
    return sanitised(_converter().reset().convert(text.replace(LOCALE_FOLDER, "")))


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
