"""Scraper debris: share counters, read-also lists, share buttons, tag lists, notices.

Works on whole lines, and mostly at the end of the text, where scrapers leave it: the trailing
run of debris lines goes, a related-articles heading goes with the short list after it, and an
Ain Alyoum tag list (``سمات اليمن تعز …``) goes even when glued to the last sentence. In the
middle of the text only lines that cannot be prose go (a share bar, ``اقرأ أيضا: <headline>``);
a cookie notice goes at either end. The phrases live in ``resources/debris/patterns.tsv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rasd.resources import read_tsv
from rasd.text.normalize import norm, normalize

MAX_LIST_LINES = 30  # a related-articles list longer than this is not a list
MAX_LIST_LINE_WORDS = 25  # a list item is a headline, not a paragraph
MAX_TAG_WORDS = 20
MAX_SHARE_BAR_WORDS = 8
_EDGE_PUNCT = " \t:：-–—|•·*#>»«\"'()[]{}…/\\"
_SENTENCE_END = re.compile(r"(?<!\.)\.$|[!?؟]$")  # "." but not ".." / "..."
_DIGITS = re.compile(r"^[\d\s.,+kKmM%]+$")
_SEPARATOR = re.compile(r"[:：\-–—|]")
_NON_LETTERS = re.compile(r"[\W\d_]+")
_REGEX_KINDS = frozenset({"cookie", "notice"})


def match_key(text: str) -> str:
    """The normalized, case-folded, space-collapsed form lines and patterns are compared in."""
    return " ".join(norm(text).casefold().split())


@dataclass(frozen=True)
class Patterns:
    related: frozenset[str]
    related_starts: frozenset[str]  # first words of the related phrases, a cheap pre-check
    tags: frozenset[str]
    counters: frozenset[str]
    platforms: frozenset[str]
    social: re.Pattern[str]  # any button or platform phrase
    social_starts: tuple[str, ...]  # a share bar starts with one of them: a cheap pre-check
    cookie: re.Pattern[str]
    notice: re.Pattern[str]
    related_inline: re.Pattern[str]  # "اقرأ أيضا: <headline>"
    tag_line: re.Pattern[str]  # "سمات اليمن تعز عدن" / "الوسوم: اليمن، تعز"
    glued_tags: re.Pattern[str]  # "… أشهر. سمات اليمن تعز عدن" at the end of the last line


def _alternation(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))


def _any_of(regexes: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{r})" for r in regexes) or "(?!)", re.IGNORECASE)


@cache
def patterns() -> Patterns:
    """Load ``resources/debris/patterns.tsv`` once."""
    by_kind: dict[str, list[str]] = {}
    for row in read_tsv("debris/patterns.tsv"):
        if len(row) < 2:
            continue
        kind = row[0].strip()
        # Regexes are normalized but not case-folded (that would turn \S into \s); they are
        # compiled case-insensitive instead.
        pattern = norm(row[1]).strip() if kind in _REGEX_KINDS else match_key(row[1])
        by_kind.setdefault(kind, []).append(pattern)
    related, tags = by_kind.get("related", []), by_kind.get("tags", [])
    social = by_kind.get("button", []) + by_kind.get("platform", [])
    return Patterns(
        related=frozenset(related),
        related_starts=frozenset(p.split(" ", 1)[0] for p in related),
        tags=frozenset(tags),
        counters=frozenset(by_kind.get("counter", [])),
        platforms=frozenset(by_kind.get("platform", [])),
        # No word boundaries: "Share on FacebookShare on Twitter" is one scraped share bar,
        # and a line counts only if nothing but these phrases is left (see _social_count).
        social=re.compile(_alternation(social)),
        social_starts=tuple(sorted(set(social))),
        cookie=_any_of(by_kind.get("cookie", [])),
        notice=_any_of(by_kind.get("notice", [])),
        related_inline=re.compile(rf"^(?:{_alternation(related)})\s*[:：\-–—|]\s*(\S.*)$"),
        tag_line=re.compile(rf"^(?:{_alternation(tags)})\s*:?\s+([^.!?؟؛]+)$"),
        glued_tags=re.compile(rf"(?<=[.!?؟\"')\]])\s+(?:{_alternation(tags)})\s*:?\s+"
                              r"([^.!?؟؛،,:\"]+)$", re.IGNORECASE),
    )


def _strip_edges(key: str) -> str:
    return key.strip(_EDGE_PUNCT)


def _social_count(key: str, pats: Patterns) -> tuple[int, bool]:
    """(how many share phrases, all of them platform names) when the line is only those."""
    if not key.startswith(pats.social_starts):
        return 0, False
    found = pats.social.findall(key)
    if _NON_LETTERS.sub("", pats.social.sub("", key)):
        return 0, False
    return len(found), all(f in pats.platforms for f in found)


def _is_counter(key: str, pats: Patterns) -> bool:
    words = key.split()
    return bool(_DIGITS.match(key)) or (
        0 < len(words) <= 3 and all(w in pats.counters or _DIGITS.match(w) for w in words))


def _is_marker(key: str, pats: Patterns) -> bool:
    bare = _strip_edges(key)
    return bare in pats.related or bare in pats.tags


def _is_tag_line(key: str, pats: Patterns) -> bool:
    m = pats.tag_line.match(key)
    return bool(m) and len(m[1].split()) <= MAX_TAG_WORDS


def _trailing_debris(line: str, pats: Patterns) -> bool:
    """Debris when it stands in the run of lines at the end of the text."""
    key = match_key(line)
    bare = _strip_edges(key)
    if not bare:
        return not any(ch.isalnum() for ch in line)  # a stray "|" or "…", not "ـــ"
    return (_is_counter(bare, pats) or _social_count(bare, pats)[0] > 0
            or _is_marker(bare, pats) or _is_tag_line(key, pats)
            or bool(pats.cookie.search(key)) or bool(pats.notice.search(key)))


def _list_like(line: str) -> bool:
    """A line of a related-articles list: a short headline or a date, not a sentence."""
    line = line.strip()
    return len(line.split()) <= MAX_LIST_LINE_WORDS and not _SENTENCE_END.search(line)


def _strip_tail(lines: list[str], pats: Patterns) -> list[str]:
    """Remove the trailing debris run and a trailing related/tag list, until nothing changes."""
    while True:
        end = len(lines)
        while end and (not lines[end - 1].strip() or _trailing_debris(lines[end - 1], pats)):
            end -= 1
        lines = lines[:end]
        cut = None
        items = 0
        for i in range(len(lines) - 1, -1, -1):
            line = lines[i]
            if not line.strip():
                continue
            if _is_marker(match_key(line), pats):
                cut = i
                break
            items += 1
            if items > MAX_LIST_LINES or not _list_like(line):
                break
        if cut is None:
            return lines
        lines = lines[:cut]


def _strip_glued_tags(lines: list[str], pats: Patterns) -> None:
    """Cut a tag list glued to the last sentence: ``… أشهر. سمات اليمن تعز عدن``."""
    if not lines:
        return
    last = lines[-1]
    view = normalize(last)
    m = pats.glued_tags.search(view.text)  # no casefold: it may change lengths
    if m and len(m[1].split()) <= MAX_TAG_WORDS:
        start, _ = view.to_original(m.start(), m.end())
        lines[-1] = last[:start].rstrip()


def _midtext_debris(line: str, pats: Patterns) -> bool:
    """Debris wherever it stands: a share bar, a lone read-also heading, "اقرأ أيضا: <headline>".

    Only short lines, or lines opening with a read-also word, can be that; counting spaces
    and normalizing one word are cheap, so paragraphs cost next to nothing (a 20 MB text has
    ~100k lines).
    """
    spaces = line.count(" ")
    if spaces > MAX_SHARE_BAR_WORDS and (
            spaces > MAX_LIST_LINE_WORDS + 5
            or match_key(line[:40]).split(" ", 1)[0].strip(_EDGE_PUNCT) not in pats.related_starts):
        return False
    key = match_key(line)
    bare = _strip_edges(key)
    if not bare:
        return False
    if spaces <= MAX_SHARE_BAR_WORDS:
        count, only_platforms = _social_count(bare, pats)
        if count >= 2 or (count == 1 and not only_platforms):
            return True
        if bare in pats.related:
            return True
    m = pats.related_inline.match(key)
    return bool(m) and len(m[1].split()) <= MAX_LIST_LINE_WORDS


def _edge_debris(line: str, pats: Patterns) -> bool:
    """Debris above the article: a share bar or a cookie notice."""
    key = match_key(line)
    return _social_count(_strip_edges(key), pats)[0] > 0 or bool(pats.cookie.search(key))


def remove_debris(text: str) -> str:
    """``text`` without scraper debris lines (see module docstring); prose is never touched."""
    pats = patterns()
    lines = _strip_tail(text.split("\n"), pats)
    _strip_glued_tags(lines, pats)
    start = 0
    while start < len(lines) and (not lines[start].strip() or _edge_debris(lines[start], pats)):
        start += 1
    kept: list[str] = []
    for line in lines[start:]:
        if line.strip() and _midtext_debris(line, pats):
            continue
        if not line.strip() and kept and not kept[-1].strip():
            continue  # the removed line leaves one blank line, not two
        kept.append(line)
    return "\n".join(kept).strip("\n")
