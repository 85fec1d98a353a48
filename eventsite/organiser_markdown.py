"""The Markdown converter for organiser text (imported only when there is a text to convert)."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor


class PageLinks(Treeprocessor):
    """Turn `venue.md` into the page's address, below a placeholder for the locale's folder."""

    def __init__(self, md, placeholder: str, safe_schemes: tuple[str, ...]):
        super().__init__(md)
        self.placeholder = placeholder
        self.safe_schemes = safe_schemes

    def run(self, tree: etree.Element) -> None:
        for link in tree.iter("a"):
            href = link.get("href", "")
            target, _, fragment = href.partition("#")
            if target.endswith(".md") and "/" not in target:
                slug = target[:-3]
                path = "" if slug == "index" else f"{slug}/"
                link.set("href", f"{self.placeholder}{path}" + (f"#{fragment}" if fragment else ""))
            elif ":" in target.split("/")[0] and not href.startswith(self.safe_schemes):
                del link.attrib["href"]  # javascript:, data: … never become links


class OrganiserMarkdown(Extension):
    def __init__(self, placeholder: str, safe_schemes: tuple[str, ...]):
        super().__init__()
        self.placeholder = placeholder
        self.safe_schemes = safe_schemes

    def extendMarkdown(self, md) -> None:
        # Raw HTML in organiser text is shown as text, never injected (issue: no HTML injection).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(PageLinks(md, self.placeholder, self.safe_schemes),
                                   "page_links", 1)


def organiser_markdown(placeholder: str, safe_schemes: tuple[str, ...]) -> markdown.Markdown:
    """A converter whose links to `page.md` point below `placeholder` (the page's way to its
    locale's folder, filled in per page) and that drops links with other schemes."""
    return markdown.Markdown(extensions=[OrganiserMarkdown(placeholder, safe_schemes)],
                             output_format="html")
