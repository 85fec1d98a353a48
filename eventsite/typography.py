"""French typography on rendered HTML: the narrow no-break space before ; : ! ? and inside
« », and the typographic apostrophe, on French text wherever it came from (agenda.yaml,
content/, the catalogs, CLDR).

Applied once a page is rendered (render.render_template), to what a reader reads: text in
elements whose language is French, and the attributes that are read out or shown (alt, title,
aria-label, a meta description). Never to markup, URLs, addresses, code or scripts.
No library fits: typographeur (2020) rewrites "oe" as "œ" and counts the end of a skipped
element as its start; french-typo writes &nbsp; entities, superscripts and units.
"""

from __future__ import annotations

import re
from html import escape, unescape

NARROW_NO_BREAK = "\u202f"
APOSTROPHE = "\u2019"

# Comments, elements whose content is not prose (skipped whole), and tags.
_MARKUP = re.compile(r"<!--.*?-->|<(script|style|pre|code|kbd|samp|textarea|svg)\b[^>]*>.*?"
                     r"</\1\s*>|<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", re.S)
_LANG = re.compile(r"""\slang\s*=\s*["']?([a-zA-Z-]*)""")
_FRENCH = re.compile(r"""\slang\s*=\s*["']?fr""")  # not hreflang="fr" alone
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
# The attributes a reader reads or hears; a meta's content only where it is a description.
_READ_ATTRIBUTES = re.compile(r"""(\s(?:alt|title|aria-label|placeholder)\s*=\s*")([^"]*)(")""")
_READ_KEYS = ("alt", "title", "aria-label", "placeholder")
_META_TEXT = re.compile(r"""\s(?:name|property)\s*=\s*"(?:description|og:title|og:description|"""
                        r"""twitter:title|twitter:description)\"""")
_META_CONTENT = re.compile(r"""(\scontent\s*=\s*")([^"]*)(")""")

# Addresses written out in text keep their colons and question marks.
_ADDRESS = re.compile(r"\b(?:[a-zA-Z][a-zA-Z0-9+.-]*://|mailto:|tel:|webcal:|www\.)\S+"
                      r"|[\w.+-]+@[\w-]+\.[\w.-]+")
# A run of ; : ! ? and the spaces (if any) before it.
_BEFORE_MARK = re.compile(r"(?P<space>[ \u00a0\u2009\u202f]*)(?P<marks>[;:!?]+)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u2009\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u2009\u202f]*»")
_ELIDED = re.compile(r"(?<=[^\W\d_])'")
_WORK = re.compile(r"[;:!?«»'&]")  # & for an escaped apostrophe, &#39;


def french_typography(html: str) -> str:
    """The page with French typography in its French text; other languages untouched."""
    if not _FRENCH.search(html):
        return html
    pieces: list[str] = []
    open_elements: list[tuple[str, str]] = [("", "")]  # (name, the language inside it)
    previous = ""  # the last character of French text, for a mark at the start of a text
    position = 0
    for markup in _MARKUP.finditer(html):
        text = html[position:markup.start()]
        if text and open_elements[-1][1].startswith("fr"):
            if _WORK.search(text):  # most texts have nothing to set: spare their decoding
                text = escape(french_text(unescape(text), previous), quote=False)
            previous = text[-1]
        pieces.append(text)
        closing, name, attributes = markup[2], (markup[3] or "").lower(), markup[4] or ""
        tag = markup[0]
        if name and not closing:
            lang = _LANG.search(attributes)
            language = lang[1] if lang else open_elements[-1][1]
            if language.startswith("fr"):
                tag = _french_attributes(tag, name)
            if name not in _VOID and not attributes.rstrip().endswith("/"):
                open_elements.append((name, language))
        elif name and any(open_name == name for open_name, _ in open_elements[1:]):
            while open_elements.pop()[0] != name:
                pass  # an element left open inside it (<li>, <p>) ends with it
        pieces.append(tag)
        position = markup.end()
    text = html[position:]
    pieces.append(escape(french_text(unescape(text), previous), quote=False)
                  if text and open_elements[-1][1].startswith("fr") else text)
    return "".join(pieces)


def _french_attributes(tag: str, name: str) -> str:
    if name != "meta" and not any(f" {key}=" in tag for key in _READ_KEYS):
        return tag  # most tags: spare the regular expressions

    def french(match: re.Match) -> str:
        value = escape(french_text(unescape(match[2])), quote=True)
        return match[1] + value + match[3]
    tag = _READ_ATTRIBUTES.sub(french, tag)
    if name == "meta" and _META_TEXT.search(tag):
        tag = _META_CONTENT.sub(french, tag)
    return tag


def typeset(text: str, locale: str) -> str:
    """Plain text in the typography of `locale`'s language: for what is not HTML (calendars)."""
    return french_text(text) if locale.split("-")[0] == "fr" else text


def french_text(text: str, previous: str = "") -> str:
    """Plain French text in French typography; `previous` is the character before it.

    >>> french_text("Salle: l'Unité « P2 »!")
    'Salle\u202f: l’Unité «\u202fP2\u202f»\u202f!'
    """
    if not (":" in text or "@" in text or "www." in text):
        return _prose(text, previous)  # no address to keep as it is
    pieces, position = [], 0
    for address in _ADDRESS.finditer(text):
        pieces.append(_prose(text[position:address.start()], previous))
        pieces.append(address[0])
        previous, position = address[0][-1], address.end()
    pieces.append(_prose(text[position:], previous))
    return "".join(pieces)


def _prose(text: str, previous: str) -> str:
    if "'" in text:
        text = _ELIDED.sub(APOSTROPHE, text)
    if "«" in text or "»" in text:
        text = _OPEN_QUOTE.sub("«" + NARROW_NO_BREAK, text)
        text = _CLOSE_QUOTE.sub(NARROW_NO_BREAK + "»", text)

    def spaced(match: re.Match) -> str:
        start = match.start()
        before = text[start - 1] if start else previous
        after = text[match.end():match.end() + 1]
        marks = match["marks"]
        if not match["space"] and (not before or before.isspace()):
            return match[0]  # at the start of a line or of the text: nothing to join
        if marks == ":" and before.isdigit() and after.isdigit():
            return match[0]  # a time or a ratio, 9:30
        return NARROW_NO_BREAK + marks
    return _BEFORE_MARK.sub(spaced, text)
