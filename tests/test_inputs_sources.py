"""The one input enumeration (rasd.ingest.sources) behind `rasd analyze`/`ingest` and
`rasd batch`: the same files in the same order, the same error lines, per door only what is
deliberate (batch also takes WARC archives and refuses stdin)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.batch.records import BATCH_TYPES, iter_records, to_documents
from rasd.ingest import InputError, iter_documents
from rasd.ingest.sources import DOCUMENT_TYPES, Source, iter_sources, jsonl_lines, walk

TEXT = "قال وزير الخارجية إن الحكومة ستعقد اجتماعا طارئا في طرابلس اليوم."


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = Path("in")
    (root / "sub").mkdir(parents=True)
    (root / "b.txt").write_text(TEXT, encoding="utf-8")
    (root / "a.jsonl").write_text(json.dumps({"text": TEXT}) + "\n\n{bad\n", encoding="utf-8")
    (root / "sub" / "c.htm").write_text(f"<html><body><p>{TEXT}</p></body></html>",
                                        encoding="utf-8")
    (root / "crawl.warc.gz").write_bytes(b"")
    (root / "notes.md").write_text("not an input", encoding="utf-8")
    (root / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    Path("empty").mkdir()
    return root


SPECS = ["in", "empty", "missing.txt", "./in/b.txt", "in/*.txt", "in/*.nothing", "in/*.md",
         "in/**/*.htm"]


def described(items: list) -> list[tuple[str, str]]:
    return [(i.input, i.reason) if isinstance(i, InputError) else (i.name, "file")
            for i in items]


def test_specs_expand_in_order_with_one_error_each(tree: Path) -> None:
    kinds = DOCUMENT_TYPES.listing
    assert kinds == ".htm, .html, .json, .jsonl, .ndjson, .text, .txt, .xhtml"
    assert described(list(iter_sources(SPECS))) == [
        ("in/a.jsonl", "file"), ("in/b.txt", "file"), ("in/sub/c.htm", "file"),
        ("empty", f"no input files in this directory ({kinds})"),
        ("missing.txt", "no such file or directory"),
        ("./in/b.txt", "file"),  # named directly: the name as typed
        ("in/b.txt", "file"),
        ("in/*.nothing", "no files match"),
        ("in/*.md", f"no input files match ({kinds})"),  # matches, none an input
        ("in/sub/c.htm", "file"),
    ]
    assert list(iter_sources(["-"])) == [Source(None, "-")]


def test_batch_takes_the_same_files_plus_warc_archives(tree: Path) -> None:
    assert walk(tree) == [tree / "a.jsonl", tree / "b.txt", tree / "sub" / "c.htm"]
    assert walk(tree, BATCH_TYPES) == [tree / "a.jsonl", tree / "b.txt", tree / "crawl.warc.gz",
                                       tree / "sub" / "c.htm"]
    assert ".warc.gz" in BATCH_TYPES.listing and ".warc" not in DOCUMENT_TYPES.listing


def test_both_doors_name_records_and_errors_alike(tree: Path) -> None:
    """Outside WARC, `rasd batch` yields a record (or an error) where `rasd analyze` yields a
    document (or an error), under the same name, and the worker words errors as ingest does."""
    specs = [s for s in SPECS if s != "in"] + ["in/a.jsonl", "-"]
    analyze = []
    for item in iter_documents(specs[:-1]):
        analyze.append((item.input, item.reason) if isinstance(item, InputError)
                       else (item.source, "doc"))
    batch = []
    for rec in iter_records(specs, 10**8):
        try:
            batch.extend((d.source, "doc") for d in to_documents(rec))
        except InputError as err:
            batch.append((err.input, err.reason.replace(BATCH_TYPES.listing,
                                                        DOCUMENT_TYPES.listing)))
    assert batch[:-1] == analyze  # the listings of accepted types aside
    assert ("in/a.jsonl:3", "invalid JSON: Expecting property name enclosed in double quotes "
            "(column 2)") in analyze
    assert batch[-1] == ("-", "stdin cannot be resumed; give files to `rasd batch`")


def test_jsonl_lines_limit_bom_blank_and_empty() -> None:
    lines = [b"\xef\xbb\xbf{\"text\": 1}\n", b"  \n", b"x" * 600_001 + b"\n", b"{}\n"]
    out = list(jsonl_lines(lines, "f.jsonl", 500_000))
    assert out[0] == ("f.jsonl:1", b"{\"text\": 1}\n")
    assert isinstance(out[1], InputError) and out[1].input == "f.jsonl:3"
    assert out[1].reason == "record too large (0.6 MB, limit 0.5 MB)"
    assert out[2] == ("f.jsonl:4", b"{}\n")
    [empty] = jsonl_lines([b"\n", b"  "], "e.jsonl", 10)
    assert (empty.input, empty.reason) == ("e.jsonl", "empty input (no JSON records)")


def test_too_large_file_reads_alike_in_both_doors(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(TEXT * 100, encoding="utf-8")
    [err] = iter_documents([str(path)], max_bytes=1000)
    [rec] = iter_records([str(path)], 1000)
    with pytest.raises(InputError) as batch_err:
        to_documents(rec)
    assert str(batch_err.value) == str(err)
    assert "RASD_MAX_INPUT_MB" in err.reason
