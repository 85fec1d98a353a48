"""markdown_to_text against an HTML parser: the same plain text for every text of the
repository's site and of Markdown that is hard to get right."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import REPOSITORY
from eventsite.load import load_site
from eventsite.markup import markdown_to_html, markdown_to_text
from eventsite.model import texts_of

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol"}


class TextCollector(HTMLParser):
    """What markdown_to_text did with Python's HTML parser: the text, and a mark at the end of
    each block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\x00")


def parsed_text(markdown: str, paragraphs: bool) -> str:
    collector = TextCollector()
    collector.feed(markdown_to_html(markdown, "../", "en"))
    collector.close()
    blocks = (" ".join(block.split()) for block in "".join(collector.parts).split("\x00"))
    return ("\n\n" if paragraphs else " ").join(block for block in blocks if block)


HARD = [
    "",
    "AT&T &amp; &lt;b&gt; &copy; &#169; &#xA9; &notin; &notit; &foo; 5 < 6 > 4 &",
    "<b>raw</b> <script>alert(1)</script> <!-- comment --> <br/> </p> <p",
    "`<p>code</p>` and ``a ` b`` and `&amp;`",
    "    indented <code> block\n    with &amp; and </p>\n\ntext",
    "- one\n    - nested *em*\n        1. deeper\n- two\n\n    para in item",
    "> quote\n> > nested\n\n# Heading\n## Sub *em*\n\n***\n\nline  \nbreak",
    "[page](venue.md#x) ![alt > text](img.png \"title > x\") <https://example.org/?a=1&b=2>",
    "Write to <someone@example.org> or [us](mailto:us@example.org?subject=a&b).",
    "word*, em* — «guillemets» non\u00a0breaking\u202fspace\ttab\u2028line",
    "[script](javascript:alert(1)) [data](data:text/html,<b>x</b>)",
    "a\\*b \\<c\\> \\&d \\`e",
    "&amp;amp; &#0; &#x110000; &#65;&#66 &#x41;",
    "1. a\n2. b\n\n        code in list\n\nafter",
    "Line one\nLine two\r\nLine three\rfour",
    "Setext\n======\n\nand\n---\n\n| not | a table |\n|---|---|",
]


def test_hard_markdown_gives_the_html_parsers_text():
    for text in HARD:
        for paragraphs in (False, True):
            assert markdown_to_text(text, paragraphs) == parsed_text(text, paragraphs), text


def test_every_text_of_the_site_gives_the_html_parsers_text():
    site = load_site(REPOSITORY)
    texts = {value for text in texts_of(site.event) for _, value in text.values}
    texts |= {page.body for page in site.pages}
    assert len(texts) > 20
    for text in texts:
        for paragraphs in (False, True):
            assert markdown_to_text(text, paragraphs) == parsed_text(text, paragraphs), text


C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what a browser trims from an address's ends
# Links and images that would run a script, however the address is written.
HOSTILE = ["[a](java&#x73;cript:alert(1))", "[b](javascript&colon;alert(1))",
           "[c](JaVaScRiPt:alert(1))", "[d](&#106;avascript:alert(1))",
           "[e](java\tscript:alert(1))", "[f](data:text/html,<script>alert(1)</script>)",
           "[g](vbscript:msgbox(1))", "![h](javascript:alert(1))", "[i]( javascript:alert(1))",
           "<a href='javascript:alert(1)'>j</a>", "<img src=x onerror=alert(1)>",
           "[k]: javascript:alert(1)\n\n[k][k]"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_links_are_inert_whatever_their_entities(text):
    from bs4 import BeautifulSoup

    html = BeautifulSoup(markdown_to_html(text, "../", "en"), "html.parser")
    for element in html.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs), element
        for name in ("href", "src"):
            # As a browser reads it: tabs and line breaks removed, the ends trimmed.
            address = re.sub(r"[\t\n\r]", "", element.get(name, "")).strip(C0_AND_SPACE).lower()
            assert not address.startswith(("javascript:", "vbscript:", "data:")), element
    assert not html.find("script")


def test_safe_links_and_page_links_are_kept():
    html = markdown_to_html("[a](https://x.org/?p=1&q=2) [b](mailto:a@b.org) [c](tel:+15143504323)"
                            " [d](venue.md#map) [e](#top) ![f](https://x.org/i.png)", "../", "fr")
    assert html == ('<p><a href="https://x.org/?p=1&amp;q=2">a</a> <a href="mailto:a@b.org">b</a>'
                    ' <a href="tel:+15143504323">c</a> <a href="../fr/venue/#map">d</a>'
                     ' <a href="#top">e</a> <img alt="f" src="https://x.org/i.png"></p>')
