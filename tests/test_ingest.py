"""Ingest: encodings, cleaning, titles, bad inputs, JSONL/JSON, stdin, directories, globs, size."""

from __future__ import annotations

import html
import io
import json
import os
import pickle
import time
from pathlib import Path

import pytest

from rasd.document import Document
from rasd.ingest import InputError, document_from_text, iter_documents, read_bytes
from rasd.ingest.plain import clean_text

TITLE = "الحكومة تعلن خطة جديدة للكهرباء في طرابلس"
BODY = ("أعلنت حكومة الوفاق الوطني اليوم الأحد خطة جديدة لمعالجة أزمة الكهرباء في العاصمة "
        "طرابلس، وقال وزير الطاقة إن الخطة ستنفذ على ثلاث مراحل.\n\n"
        "وأضاف الوزير في مؤتمر صحفي أن الشركة العامة للكهرباء بدأت صيانة محطة جنوب طرابلس.")
ARTICLE = f"{TITLE}\n\n{BODY}"


def one(items) -> Document | InputError:
    items = list(items)
    assert len(items) == 1, items
    return items[0]


def error_of(data: bytes, name: str = "in.txt", kind: str | None = None) -> InputError:
    with pytest.raises(InputError) as info:
        read_bytes(data, name, kind)
    return info.value


# -- encodings --------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256", "iso8859_6", "utf-16",
                                      "utf-32"])
def test_every_supported_encoding_gives_the_same_text(encoding, shared):
    sample = shared("samples/libya-2019-rajma.txt").read_text(encoding="utf-8")
    sample = sample.replace("”", '"')  # the one character ISO-8859-6 cannot encode
    expected = read_bytes(sample.encode("utf-8"), "a.txt")[0]
    [doc] = read_bytes(sample.encode(encoding), "a.txt")
    assert doc.text == expected.text
    assert doc.title == expected.title == "من الرجمة.. ألمانيا ترفض الحل العسكري وحفتر يقر بهزيمته"
    assert "\ufeff" not in doc.text


def test_single_byte_encodings_are_told_apart():
    # The same bytes mean different letters in cp1256 and ISO-8859-6; the Arabic check decides.
    for encoding in ("cp1256", "iso8859_6"):
        [doc] = read_bytes(ARTICLE.encode(encoding), "a.txt")
        assert doc.text == ARTICLE


@pytest.mark.parametrize("damage", ["cut", "stray", "two"])
def test_utf8_with_a_few_bad_bytes_stays_utf8_and_says_so(damage):
    """Issue #21.1: a UTF-8 file cut inside a character (or with a stray byte) was re-read as
    cp1256 mojibake. It is UTF-8 with the bad bytes replaced, and a warning names the input."""
    from rasd.ingest.detect import InputWarning

    data = ARTICLE.encode("utf-8")
    if damage == "cut":
        data = ARTICLE[:-1].encode("utf-8")[:-1]  # the last letter loses its second byte
        expected = ARTICLE[:-2] + "\ufffd"
    elif damage == "stray":
        at = data.index("خطة".encode())
        data = data[:at] + b"\xff" + data[at:]
        expected = ARTICLE.replace("خطة", "\ufffdخطة", 1)
    else:
        data = b"\xc3" + data + b"\xff"
        expected = "\ufffd" + ARTICLE + "\ufffd"
    with pytest.warns(InputWarning, match="in.txt: not valid UTF-8"):
        [doc] = read_bytes(data, "in.txt")
    assert doc.text.strip("\ufffd") == expected.strip("\ufffd")
    assert "للكهرباء في طرابلس" in doc.text and "ظ" not in doc.text


def test_cli_reads_a_cut_utf8_file_as_utf8(tmp_path, capsys, shared):
    from rasd.cli import main

    sample = shared("samples/libya-2019-rajma.txt").read_bytes()
    cut = tmp_path / "cut.txt"
    cut.write_bytes(sample[:3000])  # 3000 falls inside a two-byte letter
    assert main(["analyze", str(cut), "--fast"]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert data["document"]["title"].startswith("من الرجمة")
    assert len(data["entities"]) >= 5
    assert out.err.count("\n") == 1 and "cut.txt: not valid UTF-8 in 1 place" in out.err


def test_utf8_bom_is_dropped():
    [doc] = read_bytes(b"\xef\xbb\xbf" + ARTICLE.encode(), "a.txt")
    assert doc.text == ARTICLE


# -- bad inputs -------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"  \n\t\n", b"\xef\xbb\xbf", b"\r\n\r\n",
                                  "\u2028 \r\n".encode("utf-16")])
def test_empty_input(data):
    err = error_of(data)
    assert err.input == "in.txt"
    assert "empty" in err.reason


@pytest.mark.parametrize("data, word", [
    (b"\x00\x01\x02" + ARTICLE.encode(), "NUL"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
])
def test_binary_input(data, word):
    assert word in error_of(data).reason


def test_undecodable_input():
    junk = bytes(range(0x80, 0x100)) * 40  # no spaces, no words in any encoding
    assert error_of(junk).reason.startswith("cannot decode")


@pytest.mark.parametrize("data, word", [
    (b"The government announced a new electricity plan for Tripoli on Sunday.", "not Arabic"),
    ("Le gouvernement a annoncé un nouveau plan à Tripoli, très attendu.".encode("latin-1"),
     "not Arabic"),
    ("این گزارش درباره پژوهش تازه‌ای است که چگونگی کارکرد ژن‌ها را بررسی می‌کند و یک گروه "
     "پزشکی آن را انجام داده است.".encode(), "Persian"),
    (b"12345 67890 ... !!!", "no letters"),
])
def test_not_arabic(data, word):
    assert word in error_of(data).reason


def test_arabic_with_latin_names_is_arabic():
    text = "قال الرئيس التنفيذي لشركة Google سوندار بيتشاي إن الشركة ستفتح مكتبا في دبي."
    [doc] = read_bytes(text.encode(), "a.txt")
    assert doc.text == text


def test_input_error_is_one_line_and_pickles():
    err = InputError("dir/a.txt", "not Arabic text\n(3%)")
    assert str(err) == "dir/a.txt: not Arabic text (3%)"
    assert "\n" not in str(err)
    back = pickle.loads(pickle.dumps(err))
    assert (back.input, back.reason, str(back)) == (err.input, err.reason, str(err))


# -- cleaning and titles ----------------------------------------------------------------------

def test_cleaning_changes_layout_only():
    raw = (f"{TITLE}   \r\n\r\nأعلنت الحكومة\x00 خطة\x07 جديدة.\t \r\n\r\n\r\n\r\n"
           "وقال الوزيرُ إنّ الخطةَ ستنفذ على مراحل\u00a0\rوإلى ذلك أكـــــد مسؤول آخر. \n")
    assert clean_text(raw) == (f"{TITLE}\n\nأعلنت الحكومة خطة جديدة.\n\n"
                               "وقال الوزيرُ إنّ الخطةَ ستنفذ على مراحل\nوإلى ذلك أكـــــد "
                               "مسؤول آخر.")


def test_letters_are_never_normalized():
    text = "أكّد إبراهيم أنّ آلاف المهاجرين وصلوا إلى الموانئ الإيطالية مساء الأحد، على ما يبدو."
    [doc] = read_bytes(text.encode(), "a.txt")
    assert doc.text == text


def test_first_short_line_before_a_blank_line_is_the_title_and_stays_in_the_text():
    [doc] = read_bytes(ARTICLE.encode(), "a.txt")
    assert doc.title == TITLE
    assert doc.text.startswith(TITLE + "\n\n")
    assert doc.language == "ar"
    assert doc.id.startswith("sha1:")


@pytest.mark.parametrize("text", [
    f"{TITLE}\n{BODY}",  # no blank line after it
    BODY,  # the first line is a long sentence
    "قال الوزير إن الخطة ستنفذ.\n\n" + BODY,  # short, but a sentence
])
def test_no_title_when_the_first_line_is_not_one(text):
    assert read_bytes(text.encode(), "a.txt")[0].title is None


def test_ten_thousand_tatweels():
    stretched = "الحكومـ" + "ـ" * 10_000 + "ـة"
    text = f"{TITLE}\n\nأعلنت {stretched} خطة جديدة للكهرباء في طرابلس."
    start = time.perf_counter()
    [doc] = read_bytes(text.encode(), "a.txt")
    assert time.perf_counter() - start < 2
    assert doc.text == text
    assert "no letters" in error_of(("ـ" * 10_000).encode()).reason


def test_bidi_controls_are_kept_and_do_not_hide_the_title():
    rlm, lrm, rle, pdf, rli, pdi, zwnj = "\u200f", "\u200e", "\u202b", "\u202c", "\u2067", \
        "\u2069", "\u200c"
    text = (f"{rlm}{TITLE}{lrm}\n\n{rle}أعلنت الحكومة{pdf} خطة جديدة للكهرباء {rli}"
            f"(UN){pdi} في طرابلس{zwnj}، وقال الوزير إنها ستنفذ على مراحل.")
    [doc] = read_bytes(text.encode(), "a.txt")
    assert doc.text == text  # offsets into the text stay those of the input
    assert doc.title == f"{rlm}{TITLE}{lrm}"


def test_document_from_text_cleans_and_keeps_metadata():
    doc = document_from_text(ARTICLE + "\r\n\r\nTotal\r\n0\r\nShares\r\n", source="api",
                             url="https://example.org/a", outlet=" عين  اليوم ")
    assert doc.text == ARTICLE
    assert (doc.source, doc.url, doc.outlet, doc.title) == ("api", "https://example.org/a",
                                                            "عين اليوم", TITLE)
    with pytest.raises(InputError, match="^api: not Arabic"):
        document_from_text("Only English here, nothing else.", source="api")


# -- size -------------------------------------------------------------------------------------

def test_twenty_megabyte_input(tmp_path, shared):
    sample = shared("samples/libya-2019-rajma.txt").read_text(encoding="utf-8")
    repeats = 20_000_000 // len(sample.encode()) + 1
    path = tmp_path / "big.txt"
    path.write_text((sample + "\n\n") * repeats, encoding="utf-8")
    assert path.stat().st_size >= 20_000_000
    start = time.perf_counter()
    doc = one(iter_documents([str(path)]))
    elapsed = time.perf_counter() - start
    assert isinstance(doc, Document)
    assert elapsed < 10, f"20 MB took {elapsed:.1f} s"
    assert doc.text.count("فوضى في صفوف مسلحي حفتر") == repeats
    assert doc.text.endswith("لاستئناف التعامل مع فرنسا.")  # trailing debris removed


def test_too_large_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE * 100, encoding="utf-8")
    err = one(iter_documents([str(path)], max_bytes=1000))
    assert isinstance(err, InputError) and err.reason.startswith("too large")
    monkeypatch.setenv("RASD_MAX_INPUT_MB", "0.001")
    assert isinstance(one(iter_documents([str(path)])), InputError)
    assert "too large" in error_of(ARTICLE.encode() * 100, "a.txt").reason


# -- JSON Lines and JSON ----------------------------------------------------------------------

def _jsonl(tmp_path: Path, records: list) -> Path:
    path = tmp_path / "news.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_bad_line_is_an_error_for_that_line_only(tmp_path):
    path = _jsonl(tmp_path, [
        {"id": "snnc-1", "title": TITLE, "text": BODY, "date": "2015-07-21 02:16:00",
         "url": "https://example.org/1", "outlet": "Al-Riyadh", "source_id": "alriyadh"},
        '{"title": "broken", "text": ',
        "",
        {"title": TITLE, "text": BODY + "\nTotal\n0\nShares", "source_id": "3alyoum",
         "published": "2015-08-04"},
        {"title": "no text"},
        {"text": 42},
        {"text": "English only, this record is not Arabic at all."},
        ["not", "an", "object"],
    ])
    items = list(iter_documents([str(path)]))
    names = [i.source if isinstance(i, Document) else i.input for i in items]
    assert names == [f"{path}:{n}" for n in (1, 2, 4, 5, 6, 7, 8)]
    first, bad, second, *errors = items
    assert isinstance(bad, InputError) and bad.reason.startswith("invalid JSON")
    assert [type(e) for e in errors] == [InputError] * 4
    assert [e.reason.split(" ")[0] for e in errors] == ["record", "'text'", "not", "record"]
    assert (first.id, first.title, first.url, first.outlet, first.published) == (
        "snnc-1", TITLE, "https://example.org/1", "Al-Riyadh", "2015-07-21T02:16:00")
    assert first.text == ARTICLE  # title put on the first line, as in plain-text articles
    assert (second.outlet, second.published) == ("3alyoum", "2015-08-04")
    assert second.id.startswith("sha1:") and second.text == ARTICLE


def test_jsonl_text_already_starting_with_the_title_is_not_doubled(tmp_path):
    path = _jsonl(tmp_path, [{"title": TITLE, "text": ARTICLE}])
    assert one(iter_documents([str(path)])).text == ARTICLE


def test_jsonl_title_entities_are_unescaped(tmp_path):
    """Sabq's scraped titles keep &quot;; the title (and the text it heads) reads as shown."""
    path = _jsonl(tmp_path, [{"title": "&quot;داعش&quot; يتبنى الهجوم", "text": BODY}])
    doc = one(iter_documents([str(path)]))
    assert doc.title == '"داعش" يتبنى الهجوم'
    assert doc.text.startswith('"داعش" يتبنى الهجوم') and "&quot;" not in doc.text


def test_json_object_array_and_rasd_output(tmp_path):
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"title": TITLE, "text": BODY}), encoding="utf-8")
    array = tmp_path / "many.json"
    array.write_text(json.dumps([{"text": BODY}, {"text": "not Arabic at all"}]),
                     encoding="utf-8")
    analysed = Document(text=ARTICLE, id="doc-7", title=TITLE, source="x")
    output = tmp_path / "out.json"
    output.write_text(analysed.to_json(), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"text": "نص",\n "title": }', encoding="utf-8")
    items = list(iter_documents([str(single), str(array), str(output), str(broken)]))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "InputError",
                                                 "Document", "InputError"]
    assert items[0].text == ARTICLE and items[0].source == str(single)
    assert items[2].input == f"{array}:2"
    assert (items[3].id, items[3].text) == ("doc-7", ARTICLE)
    assert items[4].input == str(broken) and "line 2" in items[4].reason


def test_real_jsonl_corpus_reads_without_errors(shared):
    path = shared("data/news/saudinewsnet-conflict.jsonl")
    with path.open("rb") as fh:
        head = b"".join(next(fh) for _ in range(200))
    docs = read_bytes(head, "conflict.jsonl")
    assert len(docs) == 200
    records = [json.loads(line) for line in head.splitlines()]
    for doc, record in zip(docs, records, strict=True):
        assert doc.id == record["id"]
        assert doc.outlet == record["outlet"]
        assert doc.published and doc.published.startswith(record["date"][:10])
        assert doc.text.startswith(" ".join(html.unescape(record["title"]).split()))


# -- where inputs come from -------------------------------------------------------------------

def test_stdin_plain_jsonl_and_html():
    doc = one(iter_documents(["-"], stdin=io.BytesIO(ARTICLE.encode("cp1256"))))
    assert (doc.source, doc.text) == ("-", ARTICLE)
    lines = (json.dumps({"text": BODY}, ensure_ascii=False) + "\n{oops}\n").encode()
    good, bad = iter_documents(["-"], stdin=io.BytesIO(lines))
    assert good.source == "-:1" and bad.input == "-:2"
    page = (f"<!DOCTYPE html><html><head><title>{TITLE}</title></head><body><article>"
            f"<h1>{TITLE}</h1><p>{BODY.replace(chr(10) * 2, '</p><p>')}</p></article>"
            "</body></html>")
    doc = one(iter_documents(["-"], stdin=io.BytesIO(page.encode())))
    assert doc.title == TITLE and "محطة جنوب طرابلس" in doc.text


def test_directories_globs_and_missing_paths(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "a.jsonl").write_text(json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    (root / "sub" / "c.htm").write_text(
        f"<html><body><article><h1>{TITLE}</h1><p>{BODY}</p></article></body></html>",
        encoding="utf-8")
    (root / "notes.md").write_text("# not an input", encoding="utf-8")
    (root / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    items = list(iter_documents([
        str(root), str(tmp_path / "empty"), str(tmp_path / "missing.txt"),
        str(root / "*.txt"), str(root / "*.nothing"), str(root / "**" / "*.htm"),
    ]))
    described = [(i.source, "doc") if isinstance(i, Document) else (i.input, i.reason)
                 for i in items]
    assert described == [
        (f"{root / 'a.jsonl'}:1", "doc"),
        (str(root / "b.txt"), "doc"),
        (str(root / "sub" / "c.htm"), "doc"),
        (str(tmp_path / "empty"), described[3][1]),
        (str(tmp_path / "missing.txt"), "no such file or directory"),
        (str(root / "b.txt"), "doc"),
        (str(root / "*.nothing"), "no files match"),
        (str(root / "sub" / "c.htm"), "doc"),
    ]
    assert described[3][1].startswith("no input files")


def test_unsupported_file_type_named_explicitly(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    err = one(iter_documents([str(path)]))
    assert isinstance(err, InputError) and "PDF" in err.reason
    with pytest.raises(InputError, match="unknown input kind"):
        read_bytes(ARTICLE.encode(), "a", kind="docx")


def test_extensionless_file_is_sniffed(tmp_path):
    path = tmp_path / "article"
    path.write_bytes(ARTICLE.encode("cp1256"))
    assert one(iter_documents([str(path)])).text == ARTICLE


@pytest.mark.parametrize("text", [
    "", "abc 123", "الحكومة الليبية", "ÇáÚÑÈíÉ", "ـــ ١٢٣ _", "😀𝔸𝔹 نص عربي",
    "\ud800 lone surrogate", "ﻻ ﷲ ﭐ presentation forms", "Ĳ ß ǅ ﬀ", "x" * 10 + "\U00010400" * 5,
])
def test_arabic_share_counts_what_the_letter_classes_match(text: str) -> None:
    """The per-code-point tables count exactly the characters the two regex classes match."""
    from rasd.ingest.detect import _ARABIC_RUN, _LETTER_RUN, arabic_share

    letters = sum(map(len, _LETTER_RUN.findall(text)))
    arabic = sum(map(len, _ARABIC_RUN.findall(text)))
    assert arabic_share(text) == ((arabic / letters, letters) if letters else (0.0, 0))


def test_arabic_share_on_random_code_points() -> None:
    import random

    from rasd.ingest.detect import _ARABIC_RUN, _LETTER_RUN, arabic_share

    rng = random.Random(7)
    for _ in range(200):
        text = "".join(chr(rng.randrange(0x110000)) for _ in range(100))
        letters = sum(map(len, _LETTER_RUN.findall(text)))
        arabic = sum(map(len, _ARABIC_RUN.findall(text)))
        assert arabic_share(text) == ((arabic / letters, letters) if letters else (0.0, 0))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_a_folder_is_skipped_with_a_notice_and_the_rest_is_read(tmp_path):
    """Issue #21.6: a FIFO in an input folder hung analyze, ingest and batch."""
    from rasd.ingest.detect import InputWarning
    from rasd.ingest.sources import walk

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").write_text(ARTICLE, encoding="utf-8")
    with pytest.warns(InputWarning, match="b.txt: skipped, a named pipe"):
        items = list(iter_documents([str(tmp_path)]))
    assert [Path(d.source).name for d in items] == ["a.txt", "c.txt"]
    with pytest.warns(InputWarning):
        items = list(iter_documents([str(tmp_path / "*.txt")]))
    assert len(items) == 2
    with pytest.warns(InputWarning):
        assert [p.name for p in walk(tmp_path)] == ["a.txt", "c.txt"]


def test_control_characters_in_a_name_are_escaped_in_errors():
    err = InputError("bad\nname\x1b[31m.txt", "no such file or directory")
    assert str(err) == "bad\\nname\\x1b[31m.txt: no such file or directory"
    assert "\n" not in str(err) and "\x1b" not in str(err)
    assert str(InputError("مقال.txt", "x")) == "مقال.txt: x"
