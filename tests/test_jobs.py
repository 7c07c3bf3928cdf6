"""Background jobs: large analyses run in a worker process, with progress and cancel, and
never hold up the server's other requests (issue #20.7, #21.2)."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from rasd.api.app import create_app  # noqa: E402
from rasd.pipeline import Pipeline  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "shared/samples/libya-2019-rajma.txt"
ARTICLE = ("قال خليفة حفتر إن قواته ستدخل العاصمة طرابلس قريبا.\n\n"
           "ورفضت حكومة الوفاق ذلك، وقال فائز السراج إن الهجوم على مطار طرابلس فشل.\n\n"
           "وأكد المتحدث باسم الجيش الليبي أحمد المسماري أن القوات تتقدم نحو مطار طرابلس.")


def long_text(chars: int) -> str:
    """Distinct paragraphs (numbered) until ``chars``: a long input, not one line repeated."""
    parts, n = [], 0
    while sum(map(len, parts)) < chars:
        n += 1
        parts.append(f"الفقرة {n}. " + ARTICLE)
    return "\n\n".join(parts)


@pytest.fixture(scope="module")
def fast() -> Pipeline:
    return Pipeline(ner="fast")


@pytest.fixture
def client(tmp_path: Path, fast: Pipeline):
    app = create_app(tmp_path / "jobs.db", pipeline_factory=lambda: fast, job_pipeline="fast",
                     job_chars=20_000, heavy_per_minute=0)
    with TestClient(app) as c:
        yield c


def wait(client: TestClient, job_id: str, until=lambda v: v["status"] in
         ("done", "failed", "cancelled"), timeout: float = 120) -> dict:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = client.get(f"/api/jobs/{job_id}").json()
        if until(v):
            return v
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not get there: {v}")


def test_a_job_gives_the_analysis_the_server_would_give(client: TestClient, fast: Pipeline
                                                        ) -> None:
    r = client.post("/api/jobs", json={"text": ARTICLE, "title": "عنوان"})
    assert r.status_code == 202 and r.headers["location"] == f"/api/jobs/{r.json()['id']}"
    v = wait(client, r.json()["id"])
    assert v["status"] == "done" and v["done"] == 1 and v["error"] is None
    assert v["stage_index"] == v["stages"] == len(fast.stage_names)
    assert v["stage"] == "events"
    # the same answer as the server's own pipeline (the small-request path)
    expected = client.post("/api/analyze", json={"text": ARTICLE, "title": "عنوان"}).json()
    got = v["result"][0]
    assert got["document"]["title"] == "عنوان" and got["mentions"]
    assert got == expected
    listed = client.get("/api/jobs").json()
    assert listed["job_chars"] == 20_000 and listed["jobs"][0]["id"] == v["id"]
    assert "result" not in listed["jobs"][0]


def test_a_small_analysis_answers_while_a_large_one_runs(client: TestClient) -> None:
    """A 1 MB article in the worker; the in-process pipeline answers a small one meanwhile."""
    client.post("/api/analyze", json={"text": ARTICLE})  # the in-process pipeline is built
    big = client.post("/api/jobs", json={"text": long_text(1_000_000)}).json()
    wait(client, big["id"], lambda v: v["stage_index"] >= 3)  # past loading, analysing
    t0 = time.monotonic()
    r = client.post("/api/analyze", json={"text": ARTICLE})
    answered = time.monotonic() - t0
    assert r.status_code == 200 and r.json()["mentions"]
    running = client.get(f"/api/jobs/{big['id']}").json()
    assert running["status"] == "running", running
    assert answered < 2.0, answered
    assert client.delete(f"/api/jobs/{big['id']}").json()["status"] in ("running", "cancelled")
    assert wait(client, big["id"])["status"] == "cancelled"


def test_cancel_stops_the_worker_and_the_next_job_runs(client: TestClient) -> None:
    jobs = client.app.state.jobs
    big = client.post("/api/jobs", json={"text": long_text(2_000_000)}).json()
    queued = client.post("/api/jobs", json={"text": ARTICLE}).json()
    wait(client, big["id"], lambda v: v["stage_index"] >= 3)
    worker = jobs._proc
    assert worker is not None and worker.is_alive()
    # a queued job is cancelled without running
    assert client.delete(f"/api/jobs/{queued['id']}").json()["status"] == "cancelled"
    t0 = time.monotonic()
    client.delete(f"/api/jobs/{big['id']}")
    v = wait(client, big["id"])
    assert v["status"] == "cancelled" and time.monotonic() - t0 < 5
    worker.join(5)
    assert not worker.is_alive()
    again = client.post("/api/jobs", json={"text": ARTICLE}).json()
    assert wait(client, again["id"])["status"] == "done"
    assert jobs.workers_started == 2


def test_a_large_request_to_analyze_runs_as_a_job(client: TestClient) -> None:
    text = long_text(25_000)
    r = client.post("/api/analyze", json={"text": text})
    assert r.status_code == 200 and r.json()["document"]["text"] == text
    assert client.app.state.jobs.workers_started == 1
    assert client.get("/api/jobs").json()["jobs"][0]["kind"] == "analyze"


def test_an_ingest_job_stores_and_needs_the_token(tmp_path: Path, fast: Pipeline) -> None:
    app = create_app(tmp_path / "t.db", token="s3cret", pipeline_factory=lambda: fast,
                     job_pipeline="fast", heavy_per_minute=0)
    with TestClient(app) as c:
        body = {"text": ARTICLE, "title": "عنوان", "url": "https://example.org/a"}
        assert c.post("/api/jobs?store=true", json=body).status_code == 401
        r = c.post("/api/jobs?store=true", json=body,
                   headers={"Authorization": "Bearer s3cret"})
        v = wait(c, r.json()["id"])
        assert v["status"] == "done" and v["kind"] == "ingest"
        assert v["result"]["added"] == 1 and v["result"]["documents"] == 1
        assert c.get("/api/stats").json()["documents"] == 1
        # analysis jobs need no token, but are refused from another site
        assert c.post("/api/jobs", json=body).status_code == 202
        assert c.post("/api/jobs", json=body,
                      headers={"Origin": "https://evil.example"}).status_code == 403


def test_a_worker_that_cannot_analyse_fails_the_job_in_one_line(tmp_path: Path) -> None:
    app = create_app(tmp_path / "f.db", job_pipeline="no_such_module:Pipeline",
                     heavy_per_minute=0)
    with TestClient(app) as c:
        v = wait(c, c.post("/api/jobs", json={"text": ARTICLE}).json()["id"])
        assert v["status"] == "failed" and v["error"]["error"] == "analysis_failed"
        assert "no_such_module" in v["error"]["detail"] and "\n" not in v["error"]["detail"]


def test_unknown_and_malformed_job_ids(client: TestClient) -> None:
    assert client.get("/api/jobs/" + "0" * 32).status_code == 404
    assert client.delete("/api/jobs/" + "0" * 32).status_code == 404
    assert client.get("/api/jobs/nope").status_code == 422


def test_a_client_that_goes_away_cancels_its_analysis(tmp_path: Path, fast: Pipeline) -> None:
    """Through a real server: the client sends a large article to /api/analyze and closes
    the connection; the job it started is cancelled and the worker stopped."""
    from urllib.parse import urlsplit

    from rasd.api.local_server import serving

    app = create_app(tmp_path / "g.db", pipeline_factory=lambda: fast, job_pipeline="fast",
                     job_chars=20_000, heavy_per_minute=0)
    with serving(app, log_level="error") as url:
        port = urlsplit(url).port
        body = json.dumps({"text": long_text(1_500_000)}, ensure_ascii=False).encode()
        conn = socket.create_connection(("127.0.0.1", port))
        conn.sendall(b"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        jobs = app.state.jobs
        end = time.monotonic() + 60
        while not (jobs.list() and jobs.list()[0].stage_index >= 3):
            assert time.monotonic() < end
            time.sleep(0.1)
        conn.close()
        job = jobs.list()[0]
        assert jobs.wait(job, timeout=10) and job.status == "cancelled"
