"""What an input is (plain text, HTML, JSON Lines, JSON) and how its bytes decode.

Decoding never guesses blindly: strict UTF-8 first (the BOM is dropped), then the encodings an
Arabic page can plausibly be in — Windows-1256 and ISO-8859-6, as ranked by charset-normalizer —
and a candidate is kept only if the text it gives is Arabic. Wrong single-byte guesses turn
Arabic into Latin-1 letters (``ÇáÚÑÈíÉ``) or fail to decode, so the share of Arabic letters
tells the right one apart.
"""

from __future__ import annotations

import codecs
import re
import warnings
from functools import cache
from pathlib import PurePath

import numpy as np
from charset_normalizer import from_bytes

from rasd.ingest.errors import InputError
from rasd.text.codepoints import code_points

KINDS = ("text", "html", "jsonl", "json")
EXTENSIONS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html",
              ".xhtml": "html", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
# Single-byte Arabic encodings worth trying after UTF-8 (charset-normalizer's names).
ARABIC_ENCODINGS = ("cp1256", "iso8859_6")
MIN_ARABIC_SHARE = 0.5  # of all letters; English names and acronyms stay well below half
_SAMPLE = 1 << 20  # characters looked at to decide the language of a long text

_MAGIC = (  # (prefix, what it is) for files that are certainly not text
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (.zip, .docx, .epub)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"), (b"GIF89a", "a GIF image"), (b"RIFF", "a media file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"), (b"{\\rtf", "an RTF document"),
    (b"Rar!\x1a", "a RAR archive"), (b"7z\xbc\xaf", "a 7z archive"), (b"\xfd7zXZ", "an xz archive"),
    (b"\x7fELF", "a program"),
)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_ARABIC_RUN = re.compile("[\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc"
                         "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]+")
_LETTER_RUN = re.compile(r"[^\W\d_\u0640]+")  # letters, tatweel excluded (it is no letter)
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af]")  # پ چ ژ گ: not Arabic letters
_PERSIAN_YEH_KEHEH = re.compile("[\u06a9\u06cc]")  # ک ی as Persian writes them
_ARABIC_YEH_KAF = re.compile("[\u0643\u064a]")  # ك ي
_SPACE = re.compile(r"\s")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _sample(text: str) -> str:
    if len(text) <= _SAMPLE:
        return text
    third = _SAMPLE // 3
    mid = len(text) // 2
    return text[:third] + "\n" + text[mid:mid + third] + "\n" + text[-third:]


def arabic_share(text: str) -> tuple[float, int]:
    """(share of Arabic letters among all letters, number of letters) in ``text``.

    Long texts are judged on a 1M-character sample (start, middle, end), so a 20 MB input
    costs milliseconds here. Each character is looked up in per-code-point tables of the two
    regex classes (every input passes here: about 60 µs an article, not 350 µs of regex runs);
    characters beyond the BMP, which no Arabic letter is, are asked of the regex itself.
    """
    sample = _sample(text)
    is_letter, is_arabic = _bmp_tables()
    cps = code_points(sample)
    astral = cps > 0xFFFF
    if astral.any():
        beyond = "".join(map(chr, cps[astral].tolist()))
        cps = cps[~astral]
        letters = int(is_letter[cps].sum()) + sum(map(len, _LETTER_RUN.findall(beyond)))
    else:
        letters = int(is_letter[cps].sum())
    if not letters:
        return 0.0, 0
    return int(is_arabic[cps].sum()) / letters, letters


@cache
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """For every BMP code point: is it a letter (``_LETTER_RUN``), an Arabic letter
    (``_ARABIC_RUN``)? Built from the regexes themselves, once (a few ms)."""
    bmp = "".join(map(chr, range(0x10000)))
    out = []
    for pattern in (_LETTER_RUN, _ARABIC_RUN):
        table = np.zeros(0x10000, dtype=bool)
        for m in pattern.finditer(bmp):
            table[m.start():m.end()] = True
        out.append(table)
    return out[0], out[1]


def looks_persian(text: str) -> bool:
    """Persian (or Urdu) in Arabic script: پ چ ژ گ present and ک ی used instead of ك ي."""
    sample = _sample(text)
    persian = len(_PERSIAN.findall(sample))
    if persian < 3:
        return False
    return len(_PERSIAN_YEH_KEHEH.findall(sample)) > len(_ARABIC_YEH_KAF.findall(sample))


def plausible_text(text: str) -> bool:
    """Does a single-byte decoding read as text at all? Random bytes decode too, in cp1256.

    Text has spaces between words and words of ordinary length; mojibake and binary junk
    give long unbroken runs.
    """
    sample = _sample(text)
    runs = _LETTER_RUN.findall(sample)
    if not runs:
        return True  # digits and punctuation only: the language check will say so
    spaces = len(_SPACE.findall(sample))
    return spaces >= 0.05 * len(sample) and sum(map(len, runs)) / len(runs) <= 15


def check_arabic(text: str, name: str) -> None:
    """Raise :class:`InputError` unless ``text`` is mostly Arabic letters."""
    share, letters = arabic_share(text)
    if not letters:
        raise InputError(name, "no letters in the text (not an article)")
    if share < MIN_ARABIC_SHARE:
        raise InputError(name, f"not Arabic text ({share:.0%} of the letters are Arabic, "
                               f"at least {MIN_ARABIC_SHARE:.0%} needed)")
    if looks_persian(text):
        raise InputError(name, "Persian or Urdu text, not Arabic")


def binary_reason(data: bytes) -> str | None:
    """Why ``data`` (its first bytes suffice) is not text, or None when it may be text.

    Call it after the BOM check: UTF-16 and UTF-32 text is full of NUL bytes.
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return f"unsupported file type: {what}, not text"
    if b"\x00" in data:
        return "binary data (NUL bytes), not text"
    return None


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return codecs.lookup(m[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None


class InputWarning(UserWarning):
    """Something about an input that the user should know, though it was analysed (the CLI
    prints it as one line on stderr)."""


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """UTF-8 but for a few bad bytes (a file cut inside a character, one stray byte): the
    text with the bad sequences replaced, and how many; None when it is not UTF-8 at all.

    Single-byte Arabic text (cp1256, ISO-8859-6) almost never forms valid multi-byte UTF-8
    sequences, so valid non-ASCII characters outnumbering bad sequences 20 to 1 says UTF-8.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad > 0 and good >= 20 * bad:
        return text, bad
    return None


def decode(data: bytes, name: str, html: bool = False) -> str:
    """The text of ``data``; raise :class:`InputError` if it is binary or undecodable.

    Order: a BOM decides; NUL bytes or a known binary signature mean not text; strict UTF-8;
    UTF-8 with a few bad bytes (replaced, with an :class:`InputWarning`); for HTML, the page's
    declared ``charset`` if it decodes; then the single-byte Arabic encodings, the one whose
    text has the most Arabic letters winning.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(name, f"cannot decode: invalid {encoding.upper()} after its "
                                       "byte-order mark") from None
    reason = binary_reason(data)
    if reason:
        raise InputError(name, reason)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    mended = _mostly_utf8(data)
    if mended is not None:
        text, bad = mended
        warnings.warn(InputWarning(
            f"{name}: not valid UTF-8 in {bad} place{'s' if bad != 1 else ''}; read as UTF-8 "
            "with each bad byte sequence replaced by U+FFFD"), stacklevel=2)
        return text
    candidates: list[str] = []
    if html:
        declared = _declared_charset(data)
        if declared and declared not in ("utf-8", "ascii"):
            candidates.append(declared)
    best = from_bytes(data, cp_isolation=list(ARABIC_ENCODINGS)).best()
    if best is not None:
        candidates.append(best.encoding)
    candidates.extend(ARABIC_ENCODINGS)
    scored: list[tuple[float, int, str]] = []
    for rank, encoding in enumerate(dict.fromkeys(candidates)):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if not plausible_text(text):
            continue
        scored.append((arabic_share(text)[0], -rank, text))
    if not scored:
        raise InputError(name, "cannot decode: not UTF-8, Windows-1256 or ISO-8859-6 text")
    # The language check comes later, on the text itself: a French Latin-1 file decodes
    # here (as garbage) and is then refused as "not Arabic text".
    return max(scored)[2]


def kind_of(name: str, head: bytes) -> str:
    """The input kind from the file extension, else from the first bytes of the content."""
    ext = PurePath(name).suffix.lower()
    if ext in EXTENSIONS:
        return EXTENSIONS[ext]
    return sniff(head)


def sniff(head: bytes) -> str:
    """Kind of content without a telling name (stdin, ``article`` with no extension)."""
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    start = head.lstrip()[:1024].lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
            start.startswith(b"<") and re.search(rb"<(head|body|p|div|article)[\s>]", start)):
        return "html"
    return "text"
