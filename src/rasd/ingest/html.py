"""HTML pages → one :class:`Document`: trafilatura's main text plus metadata we can trust.

trafilatura finds the article body and title. The publication date is taken with care, in
this order, and never from a copyright line (htmldate's extensive search is off, so its
"© 2013 → 2013-01-01" fallback never runs):

1. the page's machine-readable publication timestamps (``article:published_time``,
   ``itemprop=datePublished``, JSON-LD ``datePublished``, ``dc:date``), local time preferred
   (see :func:`rasd.ingest.dates.best_timestamp`); Arabic dates in those fields are parsed too;
2. htmldate's fast, original-date search (through trafilatura);
3. a "published on …" line in the first lines of the article (``تم نشره الجمعة 24 نيسان …``);
4. a date in the URL path (``/2013/middle_east/8/3/``).

The title loses the outlet's name (``… - اليوم السابع``); the outlet comes from
``og:site_name``, else from that removed part, else from the host name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from rasd.document import Document
from rasd.ingest.dates import best_timestamp, find_date, find_published_line, parse_iso, url_date
from rasd.ingest.debris import match_key
from rasd.ingest.detect import arabic_share, decode
from rasd.ingest.errors import InputError
from rasd.ingest.html_text import TREE_DEPTH_LIMIT, nesting_depth, visible_text
from rasd.ingest.plain import document_from_text, is_title_sized, one_line, with_title

_PUBLISHED_KEYS = frozenset({
    "article:published_time", "og:published_time", "og:article:published_time",
    "article:published", "datepublished", "pubdate", "publishdate", "publish-date",
    "publish_date", "publication_date", "dc.date", "dc.date.issued", "dc:date",
    "dcterms.issued", "dcterms:issued", "dcterms.created", "dcterms:created", "sailthru.date",
    "parsely-pub-date", "article.published", "original-publish-date",
})
_TITLE_KEYS = ("og:title", "twitter:title")
_DESCRIPTION_KEYS = ("og:description", "twitter:description", "description")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[-|–—»:]|::)\s+")
_MAX_SITE_WORDS = 5  # what a title loses to an outlet name is at most this long
_DATE_LINES = 5  # lines of the article head searched for a "published on" date
_PAGE_CHROME = "ancestor::header | ancestor::footer | ancestor::nav | ancestor::aside"


@dataclass
class PageMeta:
    """What the page's own markup says, gathered in one pass over ``<meta>`` and JSON-LD."""

    published: list[str] = field(default_factory=list)
    site_names: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    canonical: str | None = None


def _jsonld_dates(tree: HtmlElement) -> list[str]:
    """``datePublished`` of the page's top-level JSON-LD objects (not of nested teasers)."""
    out: list[str] = []
    for raw in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in list(items):
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                items.extend(item["@graph"])
        out.extend(item["datePublished"] for item in items
                   if isinstance(item, dict) and isinstance(item.get("datePublished"), str))
    return out


def page_meta(tree: HtmlElement | None) -> PageMeta:
    """Dates, site names, titles and descriptions the page declares about itself."""
    meta = PageMeta()
    if tree is None:
        return meta
    for el in tree.xpath("//meta[@content] | //*[@itemprop='datePublished'] | //*[@property]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        value = (el.get("content") or el.get("datetime") or "").strip()
        if not value:
            continue
        if key in _PUBLISHED_KEYS:
            meta.published.append(value)
        elif key == "og:site_name":
            meta.site_names.append(value)
        elif key in _TITLE_KEYS:
            meta.titles.append(value)
        elif key in _DESCRIPTION_KEYS:
            meta.descriptions.append(value)
    meta.published.extend(_jsonld_dates(tree))
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        if href.startswith(("http://", "https://")):
            meta.canonical = href
            break
    return meta


def _published(meta: PageMeta, extracted: str | None, body: str, url: str | None) -> str | None:
    """The publication date, by the trust order in the module docstring."""
    iso = best_timestamp(meta.published)
    if iso:
        return iso
    for value in meta.published:  # «الأربعاء، 07 أكتوبر 2020 - 12:09 م» in a date field
        found = find_date(value)
        if found:
            return found
    if extracted:
        found = parse_iso(extracted)
        if found:
            return found
    head = [line for line in body.split("\n")[: _DATE_LINES * 2] if line.strip()][:_DATE_LINES]
    return find_published_line(head) or url_date(url)


def _url_like(value: str) -> bool:
    return bool(re.match(r"^(https?://|www\.)|^[\w-]+(\.[\w-]+)+/?$", value.strip(), re.I))


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host if "." in host and not re.fullmatch(r"[\d.]+", host) else None


def _names_site(part: str, sites: list[str]) -> bool:
    key = match_key(part)
    return any(k and (k == key or (len(key.split()) <= _MAX_SITE_WORDS and (k in key or key in k)))
               for k in (match_key(s) for s in sites))


def headline(title: str | None, candidates: list[str],
             sites: list[str]) -> tuple[str | None, str | None]:
    """(the article's headline, the outlet name cut from the title, if any).

    Cuts edge parts of ``Headline - Outlet`` that name the site; else, when a cleaner title
    (``twitter:title``, the body's first line) is the title minus a short edge part, takes it.
    """
    title = one_line(title)
    if not title:
        return (one_line(candidates[0]) if candidates else None), None
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        if _names_site(parts[-1], sites):
            cut = parts[-1]
            return title[: title.rfind(cut)].rstrip(" -|–—»:"), cut
        if _names_site(parts[0], sites):
            cut = parts[0]
            return title[len(cut):].lstrip(" -|–—»:"), cut
    for cand in candidates:
        cand = one_line(cand) or ""
        if not cand or cand == title or cand not in title:
            continue
        rest = title.replace(cand, "", 1).strip(" -|–—»:")
        if rest and len(rest.split()) <= _MAX_SITE_WORDS and (
                title.startswith(cand) or title.endswith(cand)):
            return cand, rest
    return title, None


def _lead(tree: HtmlElement | None, body: str, meta: PageMeta) -> str | None:
    """The article's lead paragraph when trafilatura left it out (Sputnik keeps it apart).

    Only a paragraph the page's own description opens, outside header/footer/nav, and
    not already in the text.
    """
    if tree is None:
        return None
    body_key = match_key(body)
    for desc in meta.descriptions:
        probe = match_key(desc)[:50]
        if len(probe) < 40 or probe in body_key:
            continue
        for el in tree.xpath("//body//p | //body//div[not(.//p) and not(.//div)]"):
            text = one_line(el.text_content()) or ""
            if (60 <= len(text) <= 2000 and match_key(text).startswith(probe)
                    and not el.xpath(_PAGE_CHROME)):
                return text
    return None


def _arabic_prose(text: str) -> bool:
    """At least a sentence's worth of Arabic letters (not a menu, not a Latin page)."""
    share, letters = arabic_share(text)
    return share * letters >= 40


def read_html(data: bytes, name: str, url: str | None = None) -> Document:
    """One article from an HTML page; :class:`InputError` when it has no article text."""
    html = decode(data, name, html=True)
    try:
        result = bare_extraction(
            html, url=url, with_metadata=True, include_comments=False,
            date_extraction_params={"extensive_search": False, "original_date": True})
        tree = load_html(html)
    except Exception as exc:  # lxml/trafilatura on broken markup: never a traceback
        raise InputError(name, f"HTML could not be parsed ({type(exc).__name__})") from None
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text or (len(text) < 2000 and nesting_depth(html) > TREE_DEPTH_LIMIT):
        # trafilatura saw no tree or only its top (markup nested past libxml2's depth
        # limit): the visible text by a streaming parser, if it holds Arabic prose
        plain, page_title = visible_text(html)
        if _arabic_prose(plain) and len(plain) > len(text):
            return document_from_text(with_title(plain, one_line(page_title or "")),
                                      source=name, url=url, title=page_title)
    if not text:
        raise InputError(name, "no article text found in HTML")
    meta = page_meta(tree)
    lead = _lead(tree, text, meta)
    if lead:
        text = f"{lead}\n{text}"
    sites = [s for s in meta.site_names if not _url_like(s)]
    found_site = getattr(result, "sitename", None)
    first_line = text.split("\n", 1)[0]
    candidates = [*meta.titles, *([first_line] if is_title_sized(first_line) else [])]
    title, cut = headline(getattr(result, "title", None), candidates,
                          sites or ([found_site] if found_site else []))
    page_url = url or meta.canonical or getattr(result, "url", None)
    outlet = (sites[0] if sites else None) or cut or (
        found_site if found_site and not _url_like(found_site) else None) or _host(page_url)
    fields: dict[str, Any] = {
        "source": name, "url": page_url, "title": title, "outlet": outlet,
        "published": _published(meta, getattr(result, "date", None), text, page_url),
    }
    return document_from_text(with_title(text, one_line(title)), **fields)
