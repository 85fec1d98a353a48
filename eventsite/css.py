"""CSS values written by templates: the print program's running header and page numbers.

They live in a <style> of the template rather than in a stylesheet so that gettext translates
them: "Page 1 of 3" is "Página 1 de 3" and "Page 1 sur 3".
"""

from __future__ import annotations

import re

from markupsafe import Markup

from .placeholders import PAGE_COUNTER, PAGES_COUNTER

COUNTERS = {PAGE_COUNTER: "counter(page)", PAGES_COUNTER: "counter(pages)"}
COUNTER_NAMES = {"page": PAGE_COUNTER, "pages": PAGES_COUNTER}


def css_string(text: str) -> Markup:
    """A CSS string literal that can neither end the string nor the <style> element."""
    escaped = re.sub(r'[\\"<>\x00-\x1f\x7f]', lambda m: f"\\{ord(m.group()):x} ", str(text))
    return Markup(f'"{escaped}"')


def css_counter(name: str) -> str:
    """A placeholder for a page counter, to pass to gettext: _("Page %(page)s", page=...)."""
    return COUNTER_NAMES[name]


def css_content(text: str) -> Markup:
    """A translated sentence with counter placeholders as a CSS `content` value."""
    parts = re.split(f"([{''.join(COUNTERS)}])", str(text))
    return Markup(" ".join(COUNTERS.get(part) or css_string(part) for part in parts if part))
