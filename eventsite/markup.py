"""Markdown to HTML for organiser text: raw HTML escaped, page links resolved, unsafe URLs dropped."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "#")


class _PageLinks(Treeprocessor):
    """Turn `venue.md` into the page's address relative to the current page."""

    def __init__(self, md, root: str, locale: str):
        super().__init__(md)
        self.root = root
        self.locale = locale

    def run(self, tree: etree.Element) -> None:
        for link in tree.iter("a"):
            href = link.get("href", "")
            target, _, fragment = href.partition("#")
            if target.endswith(".md") and "/" not in target:
                slug = target[:-3]
                path = "" if slug == "index" else f"{slug}/"
                link.set("href", f"{self.root}{self.locale}/{path}" + (f"#{fragment}" if fragment else ""))
            elif ":" in target.split("/")[0] and not href.startswith(SAFE_SCHEMES):
                del link.attrib["href"]  # javascript:, data: … never become links


class _OrganiserMarkdown(Extension):
    def __init__(self, root: str, locale: str):
        super().__init__()
        self.root = root
        self.locale = locale

    def extendMarkdown(self, md) -> None:
        # Raw HTML in organiser text is shown as text, never injected (issue: no HTML injection).
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_PageLinks(md, self.root, self.locale), "page_links", 1)


def markdown_to_html(text: str, root: str, locale: str) -> str:
    """Render organiser Markdown; `root` is the relative path from the page to the site root."""
    converter = markdown.Markdown(extensions=[_OrganiserMarkdown(root, locale)],
                                  output_format="html")
    return converter.convert(text)


def markdown_to_text(text: str) -> str:
    """Plain text of Markdown, for meta descriptions and calendar descriptions."""
    collector = _TextCollector()
    collector.feed(markdown.Markdown(extensions=[_OrganiserMarkdown("", "")]).convert(text))
    collector.close()
    return " ".join("".join(collector.parts).split())


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")
