"""A hostile and careless user's probe of rasd, rebuilt from issue #21's list (not a test).

    .venv/bin/python scripts/hostile_probe.py [--only NAME] [--keep DIR]

Every case makes its bad input here, in a temporary folder (no binary fixtures in the
repository), runs rasd as a user would (the CLI in a subprocess, the API through FastAPI's
TestClient, or a real uvicorn server), and checks what a careful tool must do: the right
answer, or one line naming the input and the reason with exit 1 or 2, no traceback, nothing
lost, nothing hung. Prints one line per case and the count that passes; exit 1 if any fails.
The original probe had 119 cases; this one has fewer, one or more per behaviour the issue
names, and is the one docs/reliability.md reports.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "samples" / "libya-2019-rajma.txt"
PY = sys.executable
ARTICLE = ("قال خليفة حفتر إن قواته ستدخل العاصمة طرابلس قريبا، ونفت حكومة الوفاق ذلك.\n\n"
           "وأكد المتحدث باسم الجيش الليبي أحمد المسماري أن القوات تتقدم نحو مطار طرابلس.")
CASES: list[tuple[str, Callable[[Path], str | None]]] = []


def case(fn: Callable[[Path], str | None]) -> Callable[[Path], str | None]:
    """A probe case: returns None when rasd behaves, else what went wrong."""
    CASES.append((fn.__name__, fn))
    return fn


def rasd(*args: str, timeout: float = 300, stdin: bytes | None = None,
         preexec: Callable[[], None] | None = None, env: dict | None = None
         ) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "rasd", *args], input=stdin, capture_output=True,
                          timeout=timeout, preexec_fn=preexec, cwd=ROOT,
                          env={**os.environ, **(env or {})})


def one_line_error(r: subprocess.CompletedProcess, codes: tuple[int, ...] = (1,),
                   needle: str = "") -> str | None:
    err = r.stderr.decode("utf-8", "replace")
    if b"Traceback" in r.stderr:
        return "traceback: " + err.strip().splitlines()[-1][:120]
    if r.returncode not in codes:
        return f"exit {r.returncode}, wanted {codes}: {err.strip()[:120]}"
    # "rasd: NAME: reason", or argparse's usage error ("rasd batch: error: ...", exit 2)
    lines = [ln for ln in err.splitlines() if ln.startswith("rasd:")
             or (r.returncode == 2 and ln.startswith("rasd") and "error:" in ln)]
    if not lines:
        return f"no 'rasd:' line on stderr: {err.strip()[:120]}"
    if needle and needle not in err:
        return f"stderr lacks {needle!r}: {err.strip()[:120]}"
    return None


def article_file(tmp: Path, name: str = "a.txt", text: str = ARTICLE) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def analysed(r: subprocess.CompletedProcess) -> dict:
    return json.loads(r.stdout.decode("utf-8"))


# -- nothing garbled ------------------------------------------------------------------------

@case
def utf8_cut_inside_a_character(tmp: Path) -> str | None:
    data = ARTICLE.encode("utf-8")
    p = tmp / "cut.txt"
    p.write_bytes(data[: len(data) - 2])  # the final "." off, the ك before it cut in half
    r = rasd("analyze", str(p), "--fast")
    if r.returncode != 0:
        return f"exit {r.returncode}"
    text = analysed(r)["document"]["text"]
    if "حفتر" not in text or "ظ" in text:
        return "not read as UTF-8"
    return None if b"not valid UTF-8" in r.stderr else "no warning line"


@case
def windows_1256_reads_like_utf8(tmp: Path) -> str | None:
    p = tmp / "cp.txt"
    p.write_bytes(ARTICLE.encode("cp1256"))
    r = rasd("analyze", str(p), "--fast")
    return None if analysed(r)["document"]["text"] == ARTICLE else "text differs"


@case
def utf16_with_bom(tmp: Path) -> str | None:
    p = tmp / "u16.txt"
    p.write_bytes(ARTICLE.encode("utf-16"))
    r = rasd("analyze", str(p), "--fast")
    return None if analysed(r)["document"]["text"] == ARTICLE else "text differs"


@case
def an_rlm_inside_every_word(tmp: Path) -> str | None:
    plain = analysed(rasd("analyze", str(article_file(tmp)), "--fast"))
    marked = " ".join(w[:1] + "\u200f" + w[1:] if len(w) > 2 else w for w in ARTICLE.split(" "))
    r = rasd("analyze", str(article_file(tmp, "rlm.txt", marked)), "--fast")
    got = analysed(r)
    if (len(got["events"]), len(got["claims"])) != (len(plain["events"]), len(plain["claims"])):
        return f"events/claims {len(got['events'])}/{len(got['claims'])} vs " \
               f"{len(plain['events'])}/{len(plain['claims'])}"
    return None


@case
def text_in_10000_nested_divs(tmp: Path) -> str | None:
    p = tmp / "deep.html"
    p.write_text("<html><body>" + "<div>" * 10_000 + f"<p>{ARTICLE}</p>" + "</div>" * 10_000
                 + "</body></html>", encoding="utf-8")
    r = rasd("analyze", str(p), "--fast")
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr.decode()[:100]}"
    return None if "حفتر" in analysed(r)["document"]["text"] else "text lost"


@case
def csv_formula_cells_neutralised(tmp: Path) -> str | None:
    evil = "=HYPERLINK(\"http://evil.example\") قال خليفة حفتر إن قواته قصفت مطار طرابلس."
    out = rasd("analyze", str(article_file(tmp, "f.txt", evil)), "--fast", "--format", "jsonl")
    src = tmp / "f.jsonl"
    src.write_bytes(out.stdout)
    r = rasd("export", str(src), "--format", "acled-csv")
    text = r.stdout.decode("utf-8")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))[1:]
    bad = [c for row in rows for c in row if c and c[0] in "=+-@\t\r"]
    if not rows:
        return "no rows exported"
    return f"cells start a formula: {bad[:2]}" if bad else None


# -- bounded time -----------------------------------------------------------------------------

def _long(chars: int) -> str:
    parts, n = [], 0
    while sum(map(len, parts)) < chars:
        n += 1
        parts.append(f"الفقرة {n}. " + ARTICLE)
    return "\n\n".join(parts)


@case
def a_1_mb_article_in_bounded_time(tmp: Path) -> str | None:
    p = article_file(tmp, "big.txt", _long(550_000))  # about 1 MB of UTF-8
    t0 = time.monotonic()
    r = rasd("analyze", str(p), "--fast", "--format", "text", timeout=240)
    took = time.monotonic() - t0
    return None if r.returncode == 0 and took < 120 else f"exit {r.returncode} in {took:.0f} s"


@case
def a_200000_line_file(tmp: Path) -> str | None:
    p = article_file(tmp, "lines.txt", "\n".join(f"سطر {i} عن طرابلس" for i in range(200_000)))
    t0 = time.monotonic()
    r = rasd("analyze", str(p), "--fast", "--format", "text", timeout=300)
    took = time.monotonic() - t0
    return None if r.returncode == 0 and took < 240 else f"exit {r.returncode} in {took:.0f} s"


@case
def over_the_time_budget_is_one_line(tmp: Path) -> str | None:
    p = article_file(tmp, "big.txt", _long(300_000))
    r = rasd("analyze", str(p), str(article_file(tmp)), "--fast",
             env={"RASD_MAX_SECONDS": "0.5"}, timeout=240)
    return one_line_error(r, (1,), "budget")


# -- nothing written by a stranger ------------------------------------------------------------

def _client(tmp: Path, **kw):
    from fastapi.testclient import TestClient

    from rasd.api.app import create_app
    from rasd.pipeline import Pipeline

    fast = Pipeline(ner="fast")
    kw.setdefault("pipeline_factory", lambda: fast)
    kw.setdefault("heavy_per_minute", 0)
    return TestClient(create_app(tmp / "api.db", **kw))


@case
def cross_origin_write_refused(tmp: Path) -> str | None:
    with _client(tmp) as c:
        r = c.post("/api/ingest", json={"text": ARTICLE},
                   headers={"Origin": "https://evil.example"})
        if r.status_code != 403:
            return f"status {r.status_code}"
        return None if c.get("/api/stats").json()["documents"] == 0 else "stored"


@case
def form_and_plain_text_writes_refused(tmp: Path) -> str | None:
    with _client(tmp) as c:
        a = c.post("/api/ingest", data={"text": ARTICLE}).status_code
        b = c.post("/api/ingest", content=ARTICLE.encode(),
                   headers={"Content-Type": "text/plain"}).status_code
        return None if a == b == 415 else f"statuses {a}, {b}"


@case
def dns_rebinding_host_refused(tmp: Path) -> str | None:
    from rasd.api.hosts import serve_hosts

    with _client(tmp, allowed_hosts=serve_hosts("127.0.0.1")) as c:
        r = c.get("/api/stats", headers={"Host": "attacker.example:18080"})
        return None if r.status_code == 421 else f"status {r.status_code}"


@case
def huge_integers_in_urls(tmp: Path) -> str | None:
    big = str(2**63)
    with _client(tmp) as c:
        for url in (f"/api/documents/{big}", f"/api/entities/{big}",
                    f"/api/entities/{big}/mentions", f"/api/events?offset={big}",
                    f"/api/claims?limit={big}", f"/api/entities?limit={big}",
                    f"/api/search?q=x&offset={big}", f"/api/events?entity={big}"):
            r = c.get(url)
            if r.status_code >= 500:
                return f"{url}: {r.status_code}"
    return None


@case
def deeply_nested_json(tmp: Path) -> str | None:
    with _client(tmp) as c:
        r = c.post("/api/analyze", content=b"[" * 100_000 + b"]" * 100_000,
                   headers={"Content-Type": "application/json"})
        return None if r.status_code == 400 else f"status {r.status_code}"


@case
def body_over_the_limit(tmp: Path) -> str | None:
    with _client(tmp, max_body_bytes=10_000) as c:
        r = c.post("/api/analyze", json={"text": ARTICLE * 200})
        return None if r.status_code == 413 else f"status {r.status_code}"


@case
def forwarded_for_not_believed(tmp: Path) -> str | None:
    with _client(tmp, heavy_per_minute=2) as c:
        codes = [c.post("/api/analyze", json={"text": ARTICLE},
                        headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code
                 for i in range(4)]
        return None if 429 in codes else f"rate limit dodged: {codes}"


@case
def a_small_analysis_while_a_large_one_runs(tmp: Path) -> str | None:
    with _client(tmp, job_pipeline="fast", job_chars=20_000) as c:
        c.post("/api/analyze", json={"text": ARTICLE})
        job = c.post("/api/jobs", json={"text": _long(550_000)}).json()
        end = time.monotonic() + 60
        while c.get(f"/api/jobs/{job['id']}").json()["stage_index"] < 3:
            if time.monotonic() > end:
                return "the job never started"
            time.sleep(0.1)
        t0 = time.monotonic()
        ok = c.post("/api/analyze", json={"text": ARTICLE}).status_code == 200
        took = time.monotonic() - t0
        c.delete(f"/api/jobs/{job['id']}")
        return None if ok and took < 2 else f"{took:.1f} s"


@case
def a_client_that_leaves_cancels_its_analysis(tmp: Path) -> str | None:
    from urllib.parse import urlsplit

    from rasd.api.app import create_app
    from rasd.api.local_server import serving

    app = create_app(tmp / "g.db", job_pipeline="fast", job_chars=20_000, heavy_per_minute=0)
    with serving(app, log_level="error") as url:
        body = json.dumps({"text": _long(1_000_000)}, ensure_ascii=False).encode()
        conn = socket.create_connection(("127.0.0.1", urlsplit(url).port))
        conn.sendall(b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                     b"application/json\r\n" + f"Content-Length: {len(body)}\r\n\r\n".encode()
                     + body)
        jobs = app.state.jobs
        end = time.monotonic() + 60
        while not (jobs.list() and jobs.list()[0].stage_index >= 3):
            if time.monotonic() > end:
                return "no job"
            time.sleep(0.1)
        conn.close()
        job = jobs.list()[0]
        return None if jobs.wait(job, 10) and job.status == "cancelled" else job.status


# -- same input, same output ------------------------------------------------------------------

@case
def an_article_alone_and_after_others(tmp: Path) -> str | None:
    one = article_file(tmp, "one.txt")
    other = article_file(tmp, "0other.txt", "يوهانس فان در كلاوو قال إن الوضع في اليمن صعب.")
    alone = rasd("analyze", str(one), "--fast", "--format", "jsonl").stdout.splitlines()[0]
    both = rasd("analyze", str(other), str(one), "--fast", "--format", "jsonl").stdout
    return None if both.splitlines()[1] == alone else "different analysis after another"


@case
def batch_output_does_not_depend_on_partitions(tmp: Path) -> str | None:
    src = tmp / "n.jsonl"
    src.write_text("\n".join(json.dumps({"text": f"{i}. {ARTICLE}"}, ensure_ascii=False)
                             for i in range(12)), encoding="utf-8")
    outs = []
    for size in ("1", "5"):
        out = tmp / f"b{size}"
        r = rasd("batch", str(src), "--fast", "--scheduler", "sync", "--partition-size", size,
                 "--format", "jsonl", "--out", str(out))
        if r.returncode:
            return f"exit {r.returncode}"
        lines = sorted(ln for f in sorted(out.glob("documents/*.jsonl"))
                       for ln in f.read_text(encoding="utf-8").splitlines())
        outs.append([json.loads(ln)["events"] for ln in lines])
    return None if outs[0] == outs[1] else "events differ with the partition size"


# -- nothing hung -----------------------------------------------------------------------------

@case
def a_fifo_in_the_input_folder(tmp: Path) -> str | None:
    folder = tmp / "in"
    folder.mkdir()
    os.mkfifo(folder / "0pipe.txt")
    article_file(folder, "1a.txt")
    for cmd in (["analyze", str(folder), "--fast", "--format", "jsonl"],
                ["ingest", str(folder), "--fast", "--db", str(tmp / "f.db")]):
        try:
            r = rasd(*cmd, timeout=60)
        except subprocess.TimeoutExpired:
            return f"{cmd[0]} hung"
        if b"not a regular file" not in r.stderr and b"skipp" not in r.stderr:
            return f"{cmd[0]}: no notice"
    return None


# -- the store --------------------------------------------------------------------------------

@case
def first_time_ingests_race(tmp: Path) -> str | None:
    db = tmp / "race.db"
    arts = [article_file(tmp, f"r{i}.txt", f"{i}. {ARTICLE}") for i in range(4)]
    procs = [subprocess.Popen([PY, "-m", "rasd", "ingest", str(a), "--no-analyze", "--db",
                               str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              cwd=ROOT) for a in arts]
    codes = [p.wait(120) for p in procs]
    n = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    return None if codes == [0] * 4 and n == 4 else f"exits {codes}, {n} stored"


@case
def a_damaged_store_is_refused(tmp: Path) -> str | None:
    db = tmp / "d.db"
    rasd("ingest", str(article_file(tmp)), "--no-analyze", "--db", str(db))
    data = bytearray(db.read_bytes())
    for i in range(4096, min(len(data), 12288)):
        data[i] = 0xAB
    db.write_bytes(bytes(data))
    return one_line_error(rasd("search", "طرابلس", "--db", str(db)), (1, 2))


@case
def a_foreign_sqlite_file_is_left_alone(tmp: Path) -> str | None:
    db = tmp / "users.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE users (name TEXT)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    err = one_line_error(rasd("ingest", str(article_file(tmp)), "--db", str(db), "--fast"),
                         (1, 2))
    return err or (None if db.read_bytes() == before else "the file was changed")


@case
def a_store_in_a_missing_folder(tmp: Path) -> str | None:
    return one_line_error(rasd("search", "x", "--db", str(tmp / "nope" / "s.db")), (1, 2),
                          "no such store") or one_line_error(
        rasd("ingest", str(article_file(tmp)), "--db", str(tmp / "nope" / "s.db")), (1, 2),
        "does not exist")


# -- ordinary mistakes ------------------------------------------------------------------------

@case
def closed_stdin(tmp: Path) -> str | None:
    r = subprocess.run(f"{PY} -m rasd analyze - --fast <&-", shell=True, capture_output=True,
                       cwd=ROOT, timeout=60)
    return one_line_error(r, (1,), "closed")


@case
def closed_stdout(tmp: Path) -> str | None:
    r = rasd("analyze", str(article_file(tmp)), "--fast", preexec=lambda: os.close(1))
    return one_line_error(r, (1,), "closed")


@case
def a_huge_entity_number(tmp: Path) -> str | None:
    db = tmp / "s.db"
    rasd("ingest", str(article_file(tmp)), "--no-analyze", "--db", str(db))
    r = rasd("search", "", "--entity", str(2**64), "--db", str(db))
    return None if r.returncode in (0, 1) and b"Traceback" not in r.stderr else \
        f"exit {r.returncode}"


def _fsize(limit: int) -> Callable[[], None]:
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@case
def a_full_disk_during_export(tmp: Path) -> str | None:
    from rasd.document import Document, Event

    doc = Document(text="قصفت الطائرات مواقع قرب غريان")
    doc.events = [Event(f"v{i}", "ASSAULT", None, doc.span(0, 4)) for i in range(2000)]
    src = tmp / "o.jsonl"
    src.write_text(doc.to_json() + "\n", encoding="utf-8")
    dest = tmp / "e.csv"
    err = one_line_error(rasd("export", str(src), "--format", "acled-csv", "-o", str(dest),
                              preexec=_fsize(50_000)), (1,), "cannot write")
    if err:
        return err
    return "a truncated file was left" if dest.exists() or list(tmp.glob(".*.tmp")) else None


@case
def a_full_disk_during_batch(tmp: Path) -> str | None:
    src = tmp / "n.jsonl"
    src.write_text("\n".join(json.dumps({"text": f"{i}. {ARTICLE * 10}"}, ensure_ascii=False)
                             for i in range(40)), encoding="utf-8")
    out = tmp / "b"
    cmd = ["batch", str(src), "--fast", "--scheduler", "sync", "--partition-size", "10",
           "--out", str(out)]
    err = one_line_error(rasd(*cmd, preexec=_fsize(15_000)), (1,), "cannot write")
    if err:
        return err
    if list(out.glob("**/*.tmp")):
        return "a .tmp was left"
    return None if rasd(*cmd).returncode == 0 else "did not resume"


@case
def batch_usage_mistakes(tmp: Path) -> str | None:
    art = article_file(tmp)
    a_file = article_file(tmp, "x.txt", "x")
    for args, needle in (
            (["--out", str(tmp / "o"), "--memory-limit", "abc"], "memory"),
            (["--out", str(a_file)], "not a folder")):
        err = one_line_error(rasd("batch", str(art), "--fast", *args), (2,), needle)
        if err:
            return err
    out = tmp / "o2"
    rasd("batch", str(art), "--fast", "--scheduler", "sync", "--out", str(out))
    (out / "_manifest.json").write_text("{bad", encoding="utf-8")
    return one_line_error(rasd("batch", str(art), "--fast", "--out", str(out)), (2,),
                          "damaged")


@case
def a_port_out_of_range(tmp: Path) -> str | None:
    return one_line_error(rasd("serve", "--port", "99999", "--db", str(tmp / "s.db")), (2,))


@case
def export_to_a_folder(tmp: Path) -> str | None:
    out = rasd("analyze", str(article_file(tmp)), "--fast", "--format", "jsonl")
    src = tmp / "o.jsonl"
    src.write_bytes(out.stdout)
    (tmp / "folder").mkdir()
    return one_line_error(rasd("export", str(src), "--format", "geojson", "-o",
                               str(tmp / "folder")), (1,), "cannot write")


@case
def a_bogus_ner_backend(tmp: Path) -> str | None:
    return one_line_error(rasd("analyze", str(article_file(tmp)), "--ner", "bogus"), (1, 2),
                          "bogus")


@case
def a_filename_with_a_newline_and_escapes(tmp: Path) -> str | None:
    p = tmp / "bad\nname\x1b[31m.txt"
    p.write_bytes(b"\xff\xfe\x00")
    r = rasd("analyze", str(p), "--fast")
    err = r.stderr.decode("utf-8", "replace")
    if "\x1b" in err or "bad\nname" in err:
        return "control characters echoed raw"
    return one_line_error(r, (1,))


@case
def api_docs_where_the_readme_says(tmp: Path) -> str | None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    with _client(tmp) as c:
        ok = c.get("/api/docs").status_code == 200
    return None if ok and "/api/docs" in readme else "docs not where the README says"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="run the cases whose name contains this")
    ap.add_argument("--keep", type=Path, help="keep the generated inputs under this folder")
    args = ap.parse_args()
    cases = [(n, f) for n, f in CASES if not args.only or args.only in n]
    passed = 0
    for name, fn in cases:
        tmp = Path(tempfile.mkdtemp(prefix=f"probe-{name}-", dir=args.keep))
        t0 = time.monotonic()
        try:
            problem = fn(tmp)
        except Exception as exc:  # the probe's own failure counts as a failed case
            problem = f"probe error: {type(exc).__name__}: {exc}"[:160]
        took = time.monotonic() - t0
        passed += problem is None
        print(f"{'ok  ' if problem is None else 'FAIL'} {name} ({took:.1f} s)"
              + (f": {problem}" if problem else ""), flush=True)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} of {len(cases)} cases pass")
    return 0 if passed == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
