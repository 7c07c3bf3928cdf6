"""The visible text of an HTML page by a streaming parser, for pages trafilatura cannot read.

trafilatura works on an lxml tree, and libxml2 stops building a tree some 256 elements deep:
text inside 10,000 nested ``div`` came back as "no article text". Python's ``html.parser``
keeps no tree, so depth costs nothing: this keeps the text outside scripts, styles and page
chrome (nav, header, footer, aside, form), one paragraph per block element.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset(("script", "style", "noscript", "template", "nav", "header", "footer",
                   "aside", "form", "button", "select", "svg", "head"))
_BLOCK = frozenset(("p", "div", "section", "article", "main", "li", "ul", "ol", "br", "h1",
                    "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td",
                    "th", "dd", "dt", "figure", "figcaption", "body"))
_VOID = frozenset(("br", "hr", "img", "input", "meta", "link", "area", "base", "col",
                   "embed", "param", "source", "track", "wbr"))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.skip = 0  # depth inside skipped elements
        self.in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip += 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data)


#: libxml2 builds HTML trees only so deep (256 levels); past it trafilatura sees a part.
TREE_DEPTH_LIMIT = 255


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (a cheap scan of the tags alone)."""
    depth = deepest = 0
    for m in re.finditer(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>", html):
        tag = m.group(2).lower()
        if tag in _VOID or m.group(3):
            continue
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def visible_text(html: str) -> tuple[str, str | None]:
    """(text with blank lines between blocks, the page's <title> or None)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", "".join(parser.parts))]
    title = " ".join("".join(parser.title).split()) or None
    return "\n\n".join(p for p in paragraphs if p), title
