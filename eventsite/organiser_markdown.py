"""The Markdown converter for organiser text (imported only when there is a text to convert)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class PageLinks(Treeprocessor):
    """Turn `venue.md` into the page's address, below a placeholder for the locale's folder."""

    def __init__(self, md, placeholder: str):
        super().__init__(md)
        self.placeholder = placeholder

    def run(self, tree: etree.Element) -> None:
        for link in tree.iter("a"):
            target, _, fragment = link.get("href", "").partition("#")
            if target.endswith(".md") and "/" not in target and ":" not in target:
                slug = target[:-3]
                path = "" if slug == "index" else f"{slug}/"
                link.set("href", f"{self.placeholder}{path}" + (f"#{fragment}" if fragment else ""))


class OrganiserMarkdown(Extension):
    def __init__(self, placeholder: str):
        super().__init__()
        self.placeholder = placeholder

    def extendMarkdown(self, md) -> None:
        # Raw HTML in organiser text is shown as text, never injected (issue: no HTML injection).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(PageLinks(md, self.placeholder), "page_links", 1)


def organiser_markdown(placeholder: str) -> markdown.Markdown:
    """A converter whose links to `page.md` point below `placeholder` (the page's way to its
    locale's folder, filled in per page). What it writes is sanitised after (markup.py)."""
    return markdown.Markdown(extensions=[OrganiserMarkdown(placeholder)], output_format="html")
