"""rasd batch: Parquet/JSONL partitions, schema, errors file, resume after a kill, WARC input.

Most runs use the ``sync`` scheduler (this process, no Dask) or ``threads`` (Dask in-process),
which start in well under a second; the real multi-process LocalCluster run is marked slow.
The articles are synthetic (written for these tests); the shared news data is used only by
the test that skips without it.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from rasd.batch import SCHEMAS, BatchError, read_documents, run_batch
from rasd.batch import worker as batch_worker
from rasd.batch.parquet import rows, to_tables
from rasd.cli.batch import main
from rasd.document import (
    LAYERS,
    Claim,
    Document,
    Entity,
    Event,
    Heading,
    Mention,
    Paragraph,
    Role,
    Section,
    Sentence,
    Span,
    Time,
    record_fields,
)
from rasd.ingest import InputError, iter_documents
from rasd.pipeline import Pipeline

CITIES = ["طرابلس", "بنغازي", "صنعاء", "عدن", "دمشق", "حلب", "بغداد", "الموصل", "الخرطوم", "غزة"]
SPEAKERS = ["وزير الخارجية", "المتحدث باسم الجيش", "رئيس الحكومة", "مصدر أمني"]
DAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]
REPO = Path(__file__).resolve().parents[1]


def article(i: int) -> str:
    city, speaker, day = CITIES[i % 10], SPEAKERS[i % 4], DAYS[i % 5]
    return (f"اشتباكات جديدة في {city} والحكومة تدعو إلى التهدئة\n\n"
            f"قال {speaker} اليوم {day} إن قوات الأمن سيطرت على مواقع في {city} بعد اشتباكات "
            f"استمرت {i % 7 + 2} ساعات. وأضاف أن الحكومة ستعقد اجتماعا طارئا لبحث الوضع.\n"
            f"وأعلنت وزارة الصحة مقتل {i + 3} أشخاص وإصابة آخرين في القصف الذي استهدف "
            f"حيا سكنيا في المدينة.")


def html_page(i: int, charset_meta: bool = True) -> str:
    title, _, body = article(i).split("\n", 2)
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    meta = '<meta charset="utf-8">' if charset_meta else ""
    return (f"<html><head>{meta}<title>{title}</title></head><body><nav>الرئيسية</nav>"
            f"<article><h1>{title}</h1>{paras}</article></body></html>")


def jsonl(path: Path, records: list[dict | str]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False))
                            + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with text, HTML, JSON and JSONL inputs, two bad records and one bad file."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(article(0), encoding="utf-8")
    (root / "sub" / "b.html").write_text(html_page(1), encoding="utf-8")
    (root / "c.txt").write_text("An English text, not an Arabic article.", encoding="utf-8")
    jsonl(root / "d.jsonl", [{"id": "d1", "text": article(2), "date": "2015-07-21"},
                             "{not json", "", {"id": "d2", "text": article(3), "url": "http://x/2"}])
    (root / "e.json").write_text(json.dumps([{"text": article(4)}, {"text": article(5)}],
                                            ensure_ascii=False), encoding="utf-8")
    return root


def analysed(inputs: list[str]) -> tuple[list[dict], list[str]]:
    """What `rasd analyze --format jsonl` gives: documents, and the names of the bad inputs."""
    pipeline = batch_worker.worker_pipeline()
    docs, bad = [], []
    for item in iter_documents(inputs):
        if isinstance(item, InputError):
            bad.append(item.input)
        else:
            docs.append(pipeline(item).to_dict())
    return docs, bad


def table(out: Path, name: str):
    return pq.read_table(out / name, schema=SCHEMAS[name])


# -- the output ---------------------------------------------------------------------------------

def test_parquet_run_matches_analyze(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    docs, bad = analysed([str(corpus)])
    assert (res.records, res.partitions, res.documents, res.errors) == (8, 4, 6, 2)
    assert res.processed == 4 and res.skipped == 0
    assert list(read_documents(out)) == docs  # nothing lost, nothing changed, same order
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["input"] for e in errors] == bad == [str(corpus / "c.txt"),
                                                   f"{corpus / 'd.jsonl'}:2"]
    assert "not Arabic" in errors[0]["reason"] and "invalid JSON" in errors[1]["reason"]
    assert [e["partition"] for e in errors] == [0, 1]
    for name in SCHEMAS:
        assert sorted(p.name for p in (out / name).iterdir()) == [
            f"part-{i:06d}.parquet" for i in range(4)]
        for part in (out / name).iterdir():
            assert pq.read_schema(part).remove_metadata() == SCHEMAS[name]
    assert table(out, "documents").column("record").to_pylist() == [0, 2, 4, 5, 6, 7]
    assert table(out, "mentions").num_rows == sum(len(d["mentions"]) for d in docs) > 0
    assert table(out, "claims").num_rows == sum(len(d["claims"]) for d in docs) > 0
    summary = json.loads((out / "_DONE").read_text())
    assert summary["documents"] == 6 and summary["errors"] == 2
    [(worker, stats)] = res.workers.items()
    assert stats.pipeline_loads == 1 and stats.partitions == 4 and stats.peak_rss_mb > 50


def test_jsonl_format(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(corpus)], out, scheduler="sync", fmt="jsonl", partition_size=4,
              progress=False)
    lines = [json.loads(line) for p in sorted((out / "documents").glob("part-*.jsonl"))
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert lines == analysed([str(corpus)])[0]
    assert len(list((out / "documents").iterdir())) == 2


def full_document() -> Document:
    """A document with every layer and every optional field filled."""
    text = "عنوان\n\nقال الوزير إن القوات وصلت طرابلس."
    doc = Document(text=text, id="x1", source="s", url="http://u", title="عنوان",
                   published="2015-07-21", outlet="o")

    def at(word: str) -> Span:
        start = text.index(word)
        return doc.span(start, start + len(word))

    city, said, arrived = at("طرابلس"), at("قال"), at("وصلت")
    doc.sections = [Section(0, len(text), Heading(0, 5, "عنوان"))]
    doc.paragraphs = [Paragraph(0, 5), Paragraph(7, len(text))]
    doc.sentences = [Sentence(0, 5), Sentence(7, len(text))]
    doc.mentions = [Mention("m1", city.start, city.end, city.text, "GPE", "e1", 0.9)]
    doc.adjectives = [Mention("m2", 7, 10, "قال", "GPE", "e1", 0.8)]
    doc.entities = [Entity("e1", "GPE", "طرابلس", "Tripoli", "Q3579", "LY", 32.9, 13.2,
                           [Role("عاصمة", "e1", "m1")])]
    doc.times = [Time("t1", said.start, said.end, said.text, "2015-07-21")]
    doc.claims = [Claim("c1", "e1", "الوزير", False, said, at("القوات وصلت طرابلس"),
                        "statement", "t1", "assert", "e1", 0.9)]
    doc.events = [Event("v1", "MOVE", "deploy", arrived, "e1", "e1", "e1", "t1",
                        "reported", True, "c1", 1, 0.8)]
    doc.check_offsets()
    return doc


def test_schema_covers_the_json_contract(tmp_path: Path) -> None:
    """Every field of every layer has its column: a new field must be added to SCHEMAS."""
    d = full_document().to_dict()
    for name, table_rows in rows(d, 0).items():
        assert set(table_rows[0]) == set(SCHEMAS[name].names), name
        assert None not in table_rows[0].values() or name == "documents", name
    record_types = {"mentions": Mention, "adjectives": Mention, "entities": Entity, "times": Time,
                    "claims": Claim, "events": Event}
    for name, rtype in record_types.items():
        flat = {f for f in record_fields(rtype) if f not in ("cue", "content", "trigger")}
        assert flat <= set(SCHEMAS[name].names)
    tables = to_tables([(0, d), (1, Document(text="نص").to_dict())])
    out = tmp_path / "out"
    for name, t in tables.items():
        (out / name).mkdir(parents=True)
        pq.write_table(t, out / name / "part-000000.parquet")
    back = list(read_documents(out))
    assert back[0] == d and back[1] == Document(text="نص").to_dict()
    assert set(LAYERS) <= set(back[0])


def test_tables_are_the_rows_of_each_layer() -> None:
    """to_tables reads the layers' columns straight from the records: the same tables as
    Table.from_pylist over rows()."""
    import pyarrow as pa

    docs = [(0, full_document().to_dict()), (1, Document(text="نص").to_dict()),
            (2, full_document().to_dict())]
    tables = to_tables(docs)
    for name, schema in SCHEMAS.items():
        expected = pa.Table.from_pylist([r for record, d in docs for r in rows(d, record)[name]],
                                        schema=schema)
        assert tables[name].equals(expected), name
        assert tables[name].num_rows == expected.num_rows > 0, name


def test_errors_file_and_a_failing_stage_never_stop_the_batch(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def boom(doc: Document) -> None:
        if "بنغازي" in doc.text:
            raise RuntimeError("stage exploded")

    monkeypatch.setattr(batch_worker, "worker_pipeline", lambda ner=None: Pipeline([boom]))
    out = tmp_path / "out"
    code = main([str(corpus), "--out", str(out), "--scheduler", "sync", "--partition-size",
                 "2"])
    assert code == 1
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    failed = [e for e in errors if "stage exploded" in e["reason"]]
    assert [e["input"] for e in failed] == [str(corpus / "sub" / "b.html")]
    assert failed[0]["reason"] == "analysis failed: RuntimeError: stage exploded"
    assert json.loads((out / "_DONE").read_text())["documents"] == 5
    err = capsys.readouterr().err  # stderr is no terminal here: one line per partition
    assert err.count("rasd batch: part-") == 4 and "ETA" in err and "articles/s" in err


def test_rerun_skips_finished_partitions(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    clean = list(read_documents(out))
    again = run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    assert (again.processed, again.skipped, again.records_processed) == (0, 4, 0)
    # an interrupted partition: marker gone, a table half-written, a temp file left behind
    (out / "_done" / "part-000003.json").unlink()
    (out / "mentions" / "part-000003.parquet").write_bytes(b"PAR1 torn")
    (out / "claims" / ".part-000003.parquet.tmp").write_bytes(b"junk")
    (out / "_DONE").unlink()
    resumed = run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    assert (resumed.processed, resumed.skipped, resumed.records_processed) == (1, 3, 2)
    assert list(read_documents(out)) == clean
    assert not list(out.glob("**/*.tmp"))
    assert (resumed.documents, resumed.errors) == (first.documents, first.errors)


def test_refuses_another_run_or_changed_inputs(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    with pytest.raises(BatchError, match="partition_size"):
        run_batch([str(corpus)], out, scheduler="sync", partition_size=3, progress=False)
    (corpus / "a.txt").write_text(article(9), encoding="utf-8")
    with pytest.raises(BatchError, match="inputs changed"):
        run_batch([str(corpus)], out, scheduler="sync", partition_size=2, progress=False)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(BatchError, match="not a `rasd batch` output"):
        run_batch([str(corpus)], other, scheduler="sync", progress=False)
    assert main([str(corpus), "--out", str(other), "--scheduler", "sync"]) == 2


def _batch_cmd(inputs: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "rasd.batch", str(inputs), "--out", str(out),
            "--partition-size", "2", "--no-progress", *extra]


def _kill_midway(cmd: list[str], out: Path, after: int) -> int:
    """Start ``cmd``, SIGKILL its whole process group once ``after`` partitions are done."""
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    markers = out / "_done"
    while time.monotonic() < deadline and proc.poll() is None:
        if markers.is_dir() and len(list(markers.glob("part-*.json"))) >= after:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return len(list(markers.glob("part-*.json")))


def _big_corpus(tmp_path: Path, n: int) -> Path:
    return jsonl(tmp_path / "many.jsonl",
                 [{"id": f"a{i}", "text": article(i)} if i % 17 else "{broken"
                  for i in range(n)])


def test_resume_after_kill_is_exact(tmp_path: Path) -> None:
    inputs = _big_corpus(tmp_path, 60)
    out, clean = tmp_path / "out", tmp_path / "clean"
    done = _kill_midway(_batch_cmd(inputs, out, "--scheduler", "sync"), out, after=3)
    assert 3 <= done < 30 and not (out / "_DONE").exists()
    resumed = run_batch([str(inputs)], out, scheduler="sync", partition_size=2, progress=False)
    assert resumed.skipped == done and resumed.processed == 30 - done
    run_batch([str(inputs)], clean, scheduler="sync", partition_size=2, progress=False)
    assert list(read_documents(out)) == list(read_documents(clean))
    assert (out / "errors.jsonl").read_text() == (clean / "errors.jsonl").read_text()
    ids = table(out, "documents").column("doc_id").to_pylist()
    assert len(ids) == len(set(ids)) == 60 - 4
    for name in SCHEMAS:
        assert table(out, name).equals(table(clean, name)), name


# -- WARC ---------------------------------------------------------------------------------------

def _warc(path: Path) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def response(w: WARCWriter, url: str, body: bytes, ctype: str, status: str = "200 OK"):
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(body),
                                            http_headers=http))

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        w.write_record(w.create_warc_record("", "warcinfo", payload=io.BytesIO(b"x: y\r\n")))
        req = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")],
                               is_http_request=True)
        w.write_record(w.create_warc_record("https://news.example/2015/07/21/a", "request",
                                            payload=io.BytesIO(b""), http_headers=req))
        response(w, "https://news.example/2015/07/21/a", html_page(0).encode("utf-8"),
                 "text/html; charset=utf-8")
        # windows-1256 declared only in the HTTP header, not in the page
        response(w, "https://news.example/b", html_page(1, charset_meta=False).encode("cp1256"),
                 "text/html; charset=windows-1256")
        response(w, "https://news.example/missing", b"<html>404</html>", "text/html",
                 "404 Not Found")
        response(w, "https://news.example/logo.png", b"\x89PNG....", "image/png")
        response(w, "https://news.example/en", b"<html><body><article><p>" + b"English "
                 b"words only here. " * 20 + b"</p></article></body></html>", "text/html")
    return path


def test_warc_input(tmp_path: Path) -> None:
    archive = _warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out"
    res = run_batch([str(archive)], out, scheduler="sync", partition_size=2, progress=False)
    assert (res.records, res.documents, res.errors, res.warc_skipped) == (3, 2, 1, 4)
    docs = list(read_documents(out))
    assert [d["document"]["url"] for d in docs] == ["https://news.example/2015/07/21/a",
                                                    "https://news.example/b"]
    assert docs[0]["document"]["published"] == "2015-07-21"  # from the URL
    assert docs[1]["document"]["outlet"] == "news.example"
    for i, d in enumerate(docs):
        assert d["document"]["title"] == article(i).split("\n")[0]
        assert "وزارة الصحة" in d["document"]["text"] and d["mentions"]
    [error] = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert error["input"].startswith(f"{archive}@") and error["url"] == "https://news.example/en"


def test_truncated_warc_is_reported_never_silently_short(tmp_path: Path) -> None:
    """Cut the archive at every byte: the pages before the cut come through whole, and the
    cut is an error row unless it falls exactly between two records (nothing to see there)."""
    from rasd.batch.raw import EnumStats
    from rasd.batch.warc import warc_records

    archive = _warc(tmp_path / "crawl.warc.gz")
    data = archive.read_bytes()
    full = [(r.name, r.data) for r in warc_records(archive, "w", 10**8, EnumStats())]
    unnoticed = 0
    for cut in range(1, len(data), 7):
        archive.write_bytes(data[:cut])
        recs = list(warc_records(archive, "w", 10**8, EnumStats()))
        pages = [(r.name, r.data) for r in recs if r.kind != "error"]
        assert pages == full[:len(pages)], cut
        if len(pages) < len(full) and not any(r.kind == "error" for r in recs):
            unnoticed += 1  # the cut fell on a record boundary (or the gzip trailer)
    assert unnoticed <= 2 * 7
    archive.write_bytes(data[: len(data) - 40])
    out = tmp_path / "out"
    res = run_batch([str(archive)], out, scheduler="sync", progress=False)
    assert res.documents == 2
    reasons = [json.loads(x)["reason"] for x in (out / "errors.jsonl").read_text().splitlines()]
    assert any("truncated or corrupt WARC" in r for r in reasons)


# -- on Dask ------------------------------------------------------------------------------------

def test_dask_in_process_equals_sync(corpus: Path, tmp_path: Path) -> None:
    sync, dask = tmp_path / "sync", tmp_path / "dask"
    run_batch([str(corpus)], sync, scheduler="sync", partition_size=2, progress=False)
    res = run_batch([str(corpus)], dask, scheduler="threads", partition_size=2, progress=False)
    assert list(read_documents(dask)) == list(read_documents(sync))
    [(_, stats)] = res.workers.items()
    assert stats.partitions == 4
    # Stories: one pass over every partition's features, so the same whatever the workers
    # and the partitioning.
    other = tmp_path / "other"
    run_batch([str(corpus)], other, scheduler="threads", workers=2, partition_size=3,
              progress=False)
    for name in ("stories.jsonl", "stories.json"):
        assert (dask / name).read_bytes() == (sync / name).read_bytes() == \
            (other / name).read_bytes()
    ids = [json.loads(x)["id"] for x in (sync / "stories.jsonl").read_text().splitlines()]
    assert ids == [d["document"]["id"] for d in read_documents(sync)]


def test_a_record_that_kills_its_worker_is_isolated(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A task that fails outright (as when a record kills the worker process) is retried
    record by record: that record goes to errors.jsonl, its partition neighbours are kept."""
    from rasd.batch import run as batch_run

    real = batch_run.process_partition

    def crashing(part, *args, **kwargs):
        if any(r.name.endswith("e.json:1") for r in part.records):
            raise RuntimeError("worker process died")
        return real(part, *args, **kwargs)

    monkeypatch.setattr(batch_run, "process_partition", crashing)
    out = tmp_path / "out"
    res = run_batch([str(corpus)], out, scheduler="threads", partition_size=3, progress=False)
    assert (res.documents, res.errors) == (5, 3)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert errors[-1]["input"] == f"{corpus / 'e.json'}:1"
    assert errors[-1]["reason"].startswith("worker failed on this record (RuntimeError")
    titles = [d["document"]["id"] for d in read_documents(out)]
    assert "d2" in titles and len(titles) == 5  # e.json:1's neighbours d2 and e.json:2 kept


def test_existing_scheduler_address(corpus: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """--scheduler ADDRESS: the run goes to that cluster; workers must run the same rasd."""
    from distributed import LocalCluster

    from rasd.batch import cluster as batch_cluster

    sync = tmp_path / "sync"
    run_batch([str(corpus)], sync, scheduler="sync", partition_size=3, progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster:
        out = tmp_path / "out"
        res = run_batch([str(corpus)], out, scheduler=cluster.scheduler_address,
                        partition_size=3, progress=False)
        assert res.processed == 3
        assert list(read_documents(out)) == list(read_documents(sync))
        monkeypatch.setattr(batch_cluster, "fingerprint", lambda: {"rasd": "0.0.0"})
        with pytest.raises(BatchError, match="install the same rasd"):
            run_batch([str(corpus)], tmp_path / "other", scheduler=cluster.scheduler_address,
                      progress=False)


@pytest.mark.slow
def test_local_cluster_two_workers_models_once(tmp_path: Path) -> None:
    inputs = _big_corpus(tmp_path, 40)
    out, sync = tmp_path / "out", tmp_path / "sync"
    res = run_batch([str(inputs)], out, workers=2, partition_size=2, progress=False)
    run_batch([str(inputs)], sync, scheduler="sync", partition_size=2, progress=False)
    assert list(read_documents(out)) == list(read_documents(sync))
    assert (out / "stories.jsonl").read_bytes() == (sync / "stories.jsonl").read_bytes()
    assert len(res.workers) == 2, res.workers
    for stats in res.workers.values():  # each worker loaded the models once, for many parts
        assert stats.pipeline_loads == 1 and stats.partitions > 1
        assert 50 < stats.peak_rss_mb < 2048


@pytest.mark.slow
def test_local_cluster_resume_after_kill(tmp_path: Path) -> None:
    inputs = _big_corpus(tmp_path, 60)
    out, clean = tmp_path / "out", tmp_path / "clean"
    done = _kill_midway(_batch_cmd(inputs, out, "--workers", "2"), out, after=3)
    assert done < 30
    res = run_batch([str(inputs)], out, workers=2, partition_size=2, progress=False)
    assert res.skipped == done
    run_batch([str(inputs)], clean, scheduler="sync", partition_size=2, progress=False)
    assert list(read_documents(out)) == list(read_documents(clean))


# -- real articles ------------------------------------------------------------------------------

def test_real_news_articles(shared, tmp_path: Path) -> None:
    news = shared("data/news/saudinewsnet-2015.jsonl")
    with news.open(encoding="utf-8") as fh:
        sample = jsonl(tmp_path / "news.jsonl", [json.loads(next(fh)) for _ in range(6)])
    out = tmp_path / "out"
    res = run_batch([str(sample)], out, scheduler="sync", partition_size=4, progress=False)
    assert (res.documents, res.errors) == (6, 0)
    assert list(read_documents(out)) == analysed([str(sample)])[0]
    assert table(out, "mentions").num_rows > 20 and table(out, "events").num_rows > 0


# -- worker memory management -------------------------------------------------------------------

_FREEZE_PROBE = """
import gc
import multiprocessing as mp

from rasd.batch import worker


def child(q):
    before = gc.get_freeze_count()
    survivors = [[i] for i in range(1000)]  # stand-in for the caches a partition grows
    worker._freeze_survivors()
    q.put((before, gc.get_freeze_count(), len(survivors)))


if __name__ == "__main__":
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=child, args=(q,))
    p.start()
    print(*q.get(timeout=60))
    p.join()
"""


def test_survivors_are_frozen_in_a_worker_process_only(tmp_path: Path) -> None:
    """Between partitions a worker moves what is alive (models, word caches) out of the
    cyclic GC's reach; the driver's heap (the user's process) is never touched."""
    import gc

    before = gc.get_freeze_count()
    batch_worker._freeze_survivors()
    assert gc.get_freeze_count() == before  # the driver: untouched
    probe = tmp_path / "probe.py"
    probe.write_text(_FREEZE_PROBE, encoding="utf-8")
    out = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    was, now, n = map(int, out)
    assert now >= was + n  # the child's survivors went to the permanent generation


def _worker_settings() -> tuple[str | None, str, str]:
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            dask.config.get("distributed.admin.tick.interval"),
            dask.config.get("distributed.worker.memory.monitor-interval"))


def test_local_cluster_workers_keep_glibc_adaptive_and_wake_rarely(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """rasd's local workers start without Dask's MALLOC_TRIM_THRESHOLD_ (which turns every
    large NumPy array into a fresh mmap) and with slow event-loop ticks and memory polls."""
    from rasd.batch.cluster import connect

    # Dask's nanny leaves the variable in the driver's environment once it has set it (an
    # earlier cluster in this process may have): the worker would inherit it from there.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    client, cluster = connect(None, 1, "2GiB")
    try:
        [(trim, tick, monitor)] = client.run(_worker_settings).values()
    finally:
        client.close()
        cluster.close()
    assert trim is None
    assert (tick, monitor) == ("1s", "1s")
    assert "MALLOC_TRIM_THRESHOLD_" not in os.environ


def test_batch_usage_mistakes_are_one_line(tmp_path: Path) -> None:
    """Issue #21.8: --memory-limit abc, --out an existing file, a damaged _manifest.json."""
    import subprocess
    import sys

    art = tmp_path / "a.txt"
    art.write_text("قال خليفة حفتر إن قواته تتقدم نحو طرابلس.", encoding="utf-8")
    a_file = tmp_path / "afile"
    a_file.write_text("x")
    out = tmp_path / "out"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "rasd", "batch", str(art), "--fast",
                               "--scheduler", "sync", *args], capture_output=True, text=True,
                              timeout=300)

    r = run("--out", str(out), "--memory-limit", "abc")
    assert r.returncode == 2 and "not a memory size" in r.stderr
    r = run("--out", str(a_file))
    assert r.returncode == 2 and "is not a folder" in r.stderr
    assert run("--out", str(out)).returncode == 0
    (out / "_manifest.json").write_text("{bad", encoding="utf-8")
    r = run("--out", str(out))
    assert r.returncode == 2 and "damaged" in r.stderr
    for res in (r,):
        assert "Traceback" not in res.stderr


def _file_size_limit(limit: int):
    """A subprocess preexec setting RLIMIT_FSIZE: writes past ``limit`` bytes fail with
    EFBIG (Python ignores SIGXFSZ), as they would on a full disk."""
    import resource

    def set_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return set_limit


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE semantics")
def test_a_full_disk_during_batch_is_one_line_and_the_run_resumes(tmp_path: Path) -> None:
    """Issue #21.8: a write that fails halfway (here a file-size limit) stops the batch with
    one line and exit 1, leaves no .tmp, and the same command then finishes the run."""
    art = tmp_path / "news.jsonl"
    art.write_text("\n".join(json.dumps({"text": f"الفقرة {i}. " + "قال خليفة حفتر إن "
                                         "قواته تتقدم نحو طرابلس، ونفت حكومة الوفاق ذلك. " * 20},
                                        ensure_ascii=False) for i in range(60)),
                   encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "rasd", "batch", str(art), "--fast", "--scheduler", "sync",
           "--partition-size", "20", "--out", str(out)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                       preexec_fn=_file_size_limit(15_000))
    assert r.returncode == 1, r.stderr
    assert "cannot write" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()[-1]) > 0
    assert not list(out.glob("**/*.tmp")) and not list(out.glob("**/.*.tmp"))
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert sum(1 for _ in read_documents(out)) == 60
