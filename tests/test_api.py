"""The HTTP API with FastAPI's TestClient: analysis, ingest, search, entities, exports, limits."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from rasd.api.app import create_app  # noqa: E402
from rasd.document import (  # noqa: E402
    Claim,
    Document,
    Entity,
    Event,
    Mention,
    Sentence,
    Span,
)
from rasd.export.formats import ACLED_FIELDS  # noqa: E402
from rasd.pipeline import Pipeline  # noqa: E402

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "src/rasd/schema/document.schema.json")
                    .read_text(encoding="utf-8"))
ARTICLE_1 = ("قال خليفة حفتر إن قواته ستدخل العاصمة طرابلس قريبا.\n\n"
             "ورفضت حكومة الوفاق ذلك، وقال فائز السراج إن الهجوم على مطار طرابلس فشل.")
ARTICLE_2 = "وأكد خليفة حفتر أن قواته تتقدم بطرابلس، بينما نفى المتحدث ذلك."
XSS = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"


class FakePipeline:
    """Real structure and tokens, then fixed names, claims and events: the API tests test the
    API (reading, storing, merging, filtering), not the NER model, and stay fast."""

    NAMES = (("خليفة حفتر", "PER", "kb:haftar", None), ("حفتر", "PER", "kb:haftar", None),
             ("فائز السراج", "PER", "kb:sarraj", None),
             ("مطار طرابلس", "FAC", None, (32.66, 13.15)),
             ("طرابلس", "GPE", "gn:2210247", (32.89, 13.19)))
    TRIGGERS = (("الهجوم", "ASSAULT"), ("ستدخل", "ASSAULT"), ("تتقدم", "ASSAULT"),
                ("رفضت", "REJECT"), ("ورفضت", "REJECT"))

    def __init__(self) -> None:
        from rasd.stages.structure import structure_stage
        from rasd.stages.tokens import TokenStage

        self.stages = [structure_stage, TokenStage()]

    def __call__(self, doc: Document) -> Document:
        for stage in self.stages:
            stage(doc)
        taken: list[tuple[int, int]] = []
        ents: dict[str, Entity] = {}
        for name, type_, kb, where in self.NAMES:
            for m in re.finditer(name, doc.text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                key = kb or name
                if key not in ents:
                    ents[key] = Entity(f"e{len(ents) + 1}", type_, name, kb_id=kb,
                                       lat=where[0] if where else None,
                                       lon=where[1] if where else None)
                doc.mentions.append(Mention(f"m{len(doc.mentions) + 1}", m.start(), m.end(),
                                            name, type_, ents[key].id))
        doc.mentions.sort(key=lambda m: m.start)
        doc.entities = list(ents.values())
        by_start = {m.start: m for m in doc.mentions}
        for m in re.finditer(r"(قال|وقال|وأكد|نفى) (\S+ \S+) (?:إن|أن) ([^.،]+)", doc.text):
            speaker = by_start.get(m.start(2))
            doc.claims.append(Claim(f"c{len(doc.claims) + 1}", speaker.entity if speaker else None,
                                    m.group(2), False, doc.span(*m.span(1)),
                                    doc.span(*m.span(3)),
                                    stance="deny" if m.group(1) == "نفى" else "assert"))
        place = next((e.id for e in doc.entities if e.lat is not None), None)
        for i, sent in enumerate(doc.sentences):
            for word, type_ in self.TRIGGERS:
                at = doc.text.find(word, sent.start, sent.end)
                if at >= 0:
                    actor = next((m.entity for m in doc.mentions if m.type == "PER"
                                  and sent.start <= m.start < sent.end), None)
                    doc.events.append(Event(f"v{len(doc.events) + 1}", type_, None,
                                            doc.span(at, at + len(word)), actor=actor,
                                            location=place, sentence=i))
        return doc


@pytest.fixture(scope="module")
def pipeline() -> FakePipeline:
    return FakePipeline()


@pytest.fixture
def make_client(tmp_path: Path, pipeline: FakePipeline):
    """``make_client(**create_app options)``: a TestClient over a fresh store."""
    clients = []

    def make(**options) -> TestClient:
        options.setdefault("pipeline_factory", lambda: pipeline)
        app = create_app(tmp_path / f"api{len(clients)}.db", **options)
        client = TestClient(app)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()


def ingest(client: TestClient, *articles: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = client.post("/api/ingest", json={"documents": list(articles)}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def error_of(r) -> str:
    body = r.json()
    assert set(body) == {"error", "detail"}, body
    return body["error"]


# -- analysis ------------------------------------------------------------------------------

def test_analyze_with_the_real_pipeline(make_client) -> None:
    """The default app builds rasd's Pipeline and returns its output contract."""
    client = make_client(pipeline_factory=None)
    r = client.post("/api/analyze", json={"text": ARTICLE_1, "published": "2019-06-24"})
    assert r.status_code == 200, r.text
    jsonschema.validate(r.json(), SCHEMA)
    assert isinstance(client.app.state.analyzer.pipeline, Pipeline)


def test_analyze_json_returns_the_document_contract(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"text": ARTICLE_1, "published": "2019-06-24",
                                          "url": "http://example.org/1"})
    assert r.status_code == 200
    doc = r.json()
    jsonschema.validate(doc, SCHEMA)
    assert doc["document"]["url"] == "http://example.org/1"
    names = " ".join(m["text"] for m in doc["mentions"])
    assert "حفتر" in names and "السراج" in names
    assert doc["claims"]
    assert client.get("/api/stats").json()["documents"] == 0  # analysis stores nothing


def test_analyze_accepts_upload_plain_text_and_jsonl(client: TestClient) -> None:
    r = client.post("/api/analyze", files={"file": ("a.txt", ARTICLE_1.encode("utf-8"),
                                                    "text/plain")})
    assert r.status_code == 200 and r.json()["document"]["source"] == "a.txt"
    r = client.post("/api/analyze", content=ARTICLE_2.encode("utf-8"),
                    headers={"Content-Type": "text/plain; charset=utf-8"})
    assert r.status_code == 200 and "حفتر" in r.json()["document"]["text"]
    lines = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in (ARTICLE_1, ARTICLE_2))
    r = client.post("/api/analyze", files={"file": ("b.jsonl", lines.encode("utf-8"))})
    assert r.status_code == 200 and len(r.json()) == 2
    r = client.post("/api/analyze", data={"text": ARTICLE_2, "title": "عنوان"})
    assert r.status_code == 200 and r.json()["document"]["title"] == "عنوان"
    # the form's title, date, outlet and URL describe the one uploaded article
    r = client.post("/api/analyze", files={"file": ("a.txt", ARTICLE_1.encode("utf-8"))},
                    data={"title": "عنوان", "published": "2019-07-01", "outlet": "عكاظ",
                          "url": "https://example.test/a"})
    meta = r.json()["document"]
    assert (meta["title"], meta["published"], meta["outlet"], meta["url"]) == (
        "عنوان", "2019-07-01", "عكاظ", "https://example.test/a")
    # not the many articles of a JSONL upload
    r = client.post("/api/analyze", files={"file": ("b.jsonl", lines.encode("utf-8"))},
                    data={"url": "https://example.test/same"})
    assert [d["document"]["url"] for d in r.json()] == [None, None]


def test_analyze_keeps_markup_as_text(client: TestClient) -> None:
    text = f"{ARTICLE_1}\n\n{XSS}"
    r = client.post("/api/analyze", json={"text": text})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert XSS in r.json()["document"]["text"]


@pytest.mark.parametrize(("kwargs", "status", "code"), [
    ({"json": {"text": "This is English text, not an Arabic article at all."}}, 400,
     "bad_input"),
    ({"json": {"title": "no text"}}, 400, "bad_input"),
    ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 400,
     "bad_json"),
    ({"content": b"", "headers": {"Content-Type": "application/json"}}, 400, "bad_input"),
    ({"content": b"\x89PNG", "headers": {"Content-Type": "image/png"}}, 415,
     "unsupported_media_type"),
])
def test_bad_inputs_are_clear_json_errors(client: TestClient, kwargs, status, code) -> None:
    r = client.post("/api/analyze", **kwargs)
    assert r.status_code == status
    assert error_of(r) == code


def test_a_crash_in_analysis_is_a_json_500(make_client) -> None:
    def broken() -> FakePipeline:
        def fail(doc: Document) -> Document:
            raise RuntimeError("model exploded")
        return fail  # type: ignore[return-value]

    client = make_client(pipeline_factory=broken)
    client = TestClient(client.app, raise_server_exceptions=False)
    r = client.post("/api/analyze", json={"text": ARTICLE_2})
    assert r.status_code == 500 and error_of(r) == "internal_error"
    assert "model exploded" not in r.text  # no internals leak to the client
    r = client.post("/api/ingest", json={"text": ARTICLE_2})
    assert r.status_code == 200 and r.json()["failed"] == 1  # a batch survives one bad doc


def test_pipeline_is_built_once_and_lazily(make_client, pipeline: FakePipeline) -> None:
    built = []

    def factory() -> FakePipeline:
        built.append(1)
        return pipeline

    client = make_client(pipeline_factory=factory)
    client.get("/api/search", params={"q": "طرابلس"})
    assert built == []
    for _ in range(3):
        assert client.post("/api/analyze", json={"text": ARTICLE_2}).status_code == 200
    assert built == [1]
    assert client.app.state.analyzer.builds == 1


# -- limits and auth -----------------------------------------------------------------------

def test_body_size_limit(make_client) -> None:
    client = make_client(max_body_bytes=2_000)
    big = "طرابلس " * 1000
    r = client.post("/api/analyze", json={"text": big})
    assert r.status_code == 413 and error_of(r) == "too_large"

    def chunks():  # no Content-Length: the limit is counted while reading
        for _ in range(10):
            yield ("ب" * 300).encode("utf-8")

    r = client.post("/api/analyze", content=chunks(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 413 and error_of(r) == "too_large"
    r = client.post("/api/analyze", files={"file": ("big.txt", big.encode("utf-8"))})
    assert r.status_code == 413
    assert client.post("/api/analyze", json={"text": ARTICLE_2}).status_code == 200


def test_heavy_calls_are_rate_limited_per_client(make_client) -> None:
    client = make_client(heavy_per_minute=2)
    for _ in range(2):
        assert client.post("/api/analyze", json={"text": ARTICLE_2}).status_code == 200
    r = client.post("/api/analyze", json={"text": ARTICLE_2})
    assert r.status_code == 429 and error_of(r) == "rate_limited"
    assert int(r.headers["Retry-After"]) > 0
    assert client.get("/api/search", params={"q": "حفتر"}).status_code == 200  # light calls pass


def test_ingest_needs_the_token_when_one_is_set(make_client) -> None:
    client = make_client(token="s3cret")
    body = {"text": ARTICLE_1}
    r = client.post("/api/ingest", json=body)
    assert r.status_code == 401 and error_of(r) == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = client.post("/api/ingest", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert ingest(client, body, token="s3cret")["added"] == 1
    assert client.post("/api/analyze", json=body).status_code == 200  # reading stays open
    assert client.get("/api/stats").json()["write_token"] is True


# -- store, search, entities ---------------------------------------------------------------

def test_ingest_is_idempotent_and_reports_each_item(client: TestClient) -> None:
    a = {"text": ARTICLE_1, "url": "http://n/1", "published": "2019-06-24"}
    first = ingest(client, a, {"text": ARTICLE_2, "published": "2019-06-25"},
                   {"text": "English only, not Arabic."})
    assert (first["added"], first["failed"]) == (2, 1)
    assert [i["status"] for i in first["items"]] == ["added", "added", "failed"]
    again = ingest(client, a)
    assert again["unchanged"] == 1 and again["documents"] == 2
    changed = ingest(client, {**a, "text": ARTICLE_1 + "\n\nوتجددت الاشتباكات في سرت."})
    assert changed["updated"] == 1 and changed["documents"] == 2
    doc = client.get(f"/api/documents/{first['items'][0]['id']}").json()
    assert "سرت" in doc["document"]["text"] and doc["store"]["entities"]
    r = client.get("/api/documents/999")
    assert r.status_code == 404 and error_of(r) == "not_found"


def test_search_endpoint(client: TestClient) -> None:
    ingest(client, {"text": ARTICLE_1, "published": "2019-06-24", "outlet": "alwasat"},
           {"text": ARTICLE_2, "published": "2019-06-25", "outlet": "libyaobserver"})
    r = client.get("/api/search", params={"q": "طرابلس"}).json()
    assert r["count"] == 2  # بطرابلس in the second article
    assert client.get("/api/search", params={"q": "طرابلس", "until": "2019-06-24"}
                      ).json()["count"] == 1
    assert client.get("/api/search", params={"q": "", "source": "libyaobserver"}
                      ).json()["count"] == 1
    for kind in ("documents", "events", "claims"):
        newest = client.get("/api/search", params={"q": "طرابلس", "kind": kind,
                                                   "sort": "newest"}).json()["results"]
        oldest = client.get("/api/search", params={"q": "طرابلس", "kind": kind,
                                                   "sort": "oldest"}).json()["results"]
        dates = [h["date"] for h in newest]
        assert dates == sorted(dates, reverse=True), kind
        assert [h["date"] for h in oldest] == sorted(dates), kind
    assert client.get("/api/search", params={"q": "x", "sort": "random"}).status_code == 422
    facets = client.get("/api/search", params={"q": "طرابلس"}).json()["facets"]
    assert sorted(facets["outlet"]) == [["alwasat", 1], ["libyaobserver", 1]]
    ev = client.get("/api/search", params={"q": "", "kind": "events"}).json()
    assert sum(n for _, n in ev["facets"]["type"]) == ev["total"]
    claims = client.get("/api/search", params={"q": "مطار", "kind": "claims"}).json()
    assert claims["results"] and all("مطار" in c["content"]["text"] for c in claims["results"])
    events = client.get("/api/search", params={"q": "", "kind": "events"}).json()
    assert events["count"] >= 1 and all("type" in e for e in events["results"])
    r = client.get("/api/search", params={"q": "x", "since": "yesterday"})
    assert r.status_code == 400 and error_of(r) == "bad_query"
    r = client.get("/api/search", params={"q": "x", "kind": "people"})
    assert r.status_code == 422 and error_of(r) == "invalid_request"


def _said_doc(text: str, speaker: str, kb_id: str | None, content: str, about: str,
              published: str) -> Document:
    """A hand-made analysed document: ``speaker`` says ``content``, which names ``about``."""
    doc = Document(text=text, published=published, title=text[:15])
    doc.sentences = [Sentence(0, len(text))]
    s, c, a = text.index(speaker), text.index(content), text.index(about)
    doc.entities = [Entity("e1", "PER", speaker, kb_id=kb_id),
                    Entity("e2", "PER", about, kb_id="kb:" + about)]
    doc.mentions = [Mention("m1", s, s + len(speaker), speaker, "PER", "e1"),
                    Mention("m2", a, a + len(about), about, "PER", "e2")]
    doc.claims = [Claim("c1", "e1", speaker, False, doc.span(c - 4, c - 1),
                        doc.span(c, c + len(content)), stance="deny")]
    return doc


def test_entity_page_gathers_mentions_events_and_claims_across_documents(
        client: TestClient) -> None:
    store = client.app.state.store
    store.put(_said_doc("قال خليفة حفتر إن السراج فشل", "خليفة حفتر", "kb:haftar",
                        "السراج فشل", "السراج", "2019-06-24"))
    store.put(_said_doc("نفى المشير حفتر أن السراج انتصر", "حفتر", "kb:haftar",
                        "السراج انتصر", "السراج", "2019-06-25"))
    store.put(_located_doc("قصفت قوات حفتر مدينة غريان", "غريان", 32.17, 13.02, "2019-06-26"))
    found = client.get("/api/entities", params={"q": "حفتر", "type": "PER"}).json()
    haftar = found["results"][0]
    assert haftar["name"] == "خليفة حفتر" and haftar["documents"] == 2  # merged by KB id
    page = client.get(f"/api/entities/{haftar['id']}").json()
    assert {m["doc"] for m in page["mentions"]} == {1, 2}
    assert sorted((a["text"], a["count"]) for a in page["aliases"]) == [
        ("حفتر", 1), ("خليفة حفتر", 1)]
    assert page["generic"] == [] and page["mentions_total"] == 2
    more = client.get(f"/api/entities/{haftar['id']}/mentions", params={"offset": 1}).json()
    assert more["total"] == 2 and more["count"] == 1 and more["offset"] == 1
    assert page["mentions"][0]["before"] and page["mentions"][0]["after"] is not None
    assert [c["content"]["text"] for c in page["claims"]] == ["السراج انتصر", "السراج فشل"]
    assert all(c["stance"] == "deny" for c in page["claims"])
    sarraj = client.get("/api/entities", params={"kb_id": "kb:السراج"}).json()["results"][0]
    about = client.get(f"/api/entities/{sarraj['id']}").json()
    assert about["claims"] == [] and len(about["claims_about"]) == 2
    # The located document's حفتر has no KB id: another entity, with its own event.
    other = client.get("/api/entities", params={"q": "خليفة حفتر"}).json()["results"]
    assert len(other) == 2 and client.get(f"/api/entities/{other[1]['id']}").json()["events"]
    assert client.get("/api/entities/424242").status_code == 404


def _located_doc(text: str, place: str, lat: float, lon: float, published: str) -> Document:
    """A hand-made analysed document whose event happens at a place with coordinates."""
    doc = Document(text=text, published=published, title=text[:15])
    doc.sentences = [Sentence(0, len(text))]
    actor = "حفتر"
    a, p = text.index(actor), text.index(place)
    doc.entities = [Entity("e1", "PER", "خليفة حفتر"),
                    Entity("e2", "GPE", place, lat=lat, lon=lon, country="LY")]
    doc.mentions = [Mention("m1", a, a + len(actor), actor, "PER", "e1"),
                    Mention("m2", p, p + len(place), place, "GPE", "e2")]
    trig = "قصفت"
    t = text.index(trig)
    doc.events = [Event("v1", "ASSAULT", None, Span(t, t + len(trig), trig), actor="e1",
                        location="e2", sentence=0)]
    return doc


def test_events_claims_and_exports(client: TestClient) -> None:
    store = client.app.state.store
    store.put(_located_doc("قصفت قوات حفتر مدينة غريان", "غريان", 32.17, 13.02, "2019-06-26"))
    store.put(_located_doc("قصفت قوات حفتر مطار معيتيقة في طرابلس", "طرابلس", 32.89, 13.19,
                           "2019-07-01"))
    store.put(_said_doc("قال فائز السراج إن حفتر فشل", "فائز السراج", None, "حفتر فشل", "حفتر",
                        "2019-06-27"))
    ev = client.get("/api/events", params={"type": "ASSAULT", "entity": "حفتر"}).json()
    assert ev["count"] == 2 and ev["results"][0]["date"] == "2019-07-01"  # newest first
    assert client.get("/api/events", params={"type": "ASSAULT", "since": "2019-07-01"}
                      ).json()["count"] == 1
    assert client.get("/api/events", params={"status": "denied", "type": "ASSAULT"}
                      ).json()["count"] == 0
    claims = client.get("/api/claims", params={"source": "السراج"}).json()
    assert [(c["source_text"], c["stance"]) for c in claims["results"]] == [("فائز السراج",
                                                                             "deny")]
    assert client.get("/api/claims", params={"stance": "assert"}).json()["count"] == 0
    r = client.get("/api/export/events.csv", params={"type": "ASSAULT"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert list(rows[0]) == list(ACLED_FIELDS)  # the columns of `rasd export --format acled-csv`
    assert {row["location"] for row in rows} >= {"غريان", "طرابلس"}
    assert all(row["event_type"] == "ASSAULT" for row in rows)
    assert [row["event_date"] for row in rows] == ["2019-07-01", "2019-06-26"]  # newest first
    geo = client.get("/api/export/events.geojson").json()
    assert geo["type"] == "FeatureCollection"
    coords = {tuple(f["geometry"]["coordinates"]) for f in geo["features"]}
    assert coords >= {(13.02, 32.17), (13.19, 32.89)}  # lon, lat
    assert all(f["geometry"]["type"] == "Point" for f in geo["features"])
    assert all(list(f["properties"]) == [k for k in ACLED_FIELDS if k not in (
        "latitude", "longitude")] for f in geo["features"])  # rasd export's geojson
    located = client.get("/api/entities", params={"located": "true"}).json()
    assert {e["name"] for e in located["results"]} >= {"غريان", "طرابلس"}
    assert all(e["lat"] is not None for e in located["results"])


def test_confidence_filters_events_claims_and_exports(client: TestClient) -> None:
    store = client.app.state.store
    for conf, place, lat in ((0.9, "غريان", 32.17), (0.3, "طرابلس", 32.89), (None, "سرت", 31.2)):
        doc = _located_doc(f"قصفت قوات حفتر مدينة {place}", place, lat, 13.0, "2019-06-26")
        doc.events[0].confidence = conf
        store.put(doc)
    said = _said_doc("قال فائز السراج إن حفتر فشل", "فائز السراج", None, "حفتر فشل", "حفتر",
                     "2019-06-27")
    said.claims[0].confidence = 0.8
    store.put(said)

    def places(params: dict) -> set[str]:
        hits = client.get("/api/events", params=params).json()["results"]
        return {h["location"]["name"] for h in hits}

    assert places({}) == {"غريان", "طرابلس", "سرت"}
    assert places({"min_confidence": 0.5}) == {"غريان"}
    assert places({"min_confidence": 0.2}) == {"غريان", "طرابلس"}
    hit = client.get("/api/events", params={"min_confidence": 0.5}).json()["results"][0]
    assert hit["confidence"] == 0.9
    assert client.get("/api/claims", params={"min_confidence": 0.7}).json()["count"] == 1
    assert client.get("/api/claims", params={"min_confidence": 0.9}).json()["count"] == 0
    r = client.get("/api/events", params={"min_confidence": 2})
    assert r.status_code == 422 and error_of(r) == "invalid_request"
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/export/events.csv", params={"min_confidence": 0.5}).text.lstrip("\ufeff"))))
    assert [(row["location"], row["confidence"]) for row in rows] == [("غريان", "0.9")]
    geo = client.get("/api/export/events.geojson", params={"min_confidence": 0.2}).json()
    assert len(geo["features"]) == 2


def test_csv_export_neutralises_formulas(client: TestClient) -> None:
    doc = _located_doc("قصفت قوات حفتر مدينة غريان", "غريان", 32.17, 13.02, "2019-06-26")
    doc.outlet = "=HYPERLINK(\"http://evil.example\",\"x\")"
    doc.source = "@SUM(1+1)"
    client.app.state.store.put(doc)
    text = client.get("/api/export/events.csv").text.lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["outlet"].startswith("'=") and row["source"] == "'@SUM(1+1)"
    assert float(row["longitude"]) == 13.02


# -- pages and docs ------------------------------------------------------------------------

def test_web_page_and_openapi_docs(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and 'dir="rtl"' in r.text and 'lang="ar"' in r.text
    for asset in ("app.js", "map.js", "chart.js", "style.css", "areas.json",
                  "vendor/leaflet/leaflet.js", "vendor/markercluster/leaflet.markercluster.js",
                  "vendor/uplot/uPlot.iife.min.js"):
        assert client.get(f"/static/{asset}").status_code == 200
    big = client.get("/static/areas.json", headers={"Accept-Encoding": "gzip"})
    assert big.headers.get("content-encoding") == "gzip"  # the map's 902 kB base layer
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/analyze", "/api/ingest", "/api/search", "/api/entities/{entity_id}",
                 "/api/events", "/api/claims", "/api/export/events.csv",
                 "/api/export/events.geojson"):
        assert path in spec["paths"], path
    assert "Article" in spec["components"]["schemas"]
    assert "multipart/form-data" in spec["paths"]["/api/analyze"]["post"]["requestBody"]["content"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and error_of(r) == "not_found"


def test_page_script_never_writes_html(client: TestClient) -> None:
    """XSS by construction: the page's script puts text on the page only as text."""
    js = re.sub(r"//.*", "", client.get("/static/app.js").text)  # code, not comments
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function"):
        assert sink not in js, sink
    page = client.get("/").text
    assert "Content-Security-Policy" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "element ids must be unique (the script finds by id)"
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_serve_arguments(tmp_path: Path) -> None:
    import argparse

    from rasd.cli import serve

    p = argparse.ArgumentParser()
    serve.add_arguments(p)
    args = p.parse_args([])
    assert (args.db, args.host, args.port, args.token) == ("rasd.db", "127.0.0.1", 8000, None)
    args = p.parse_args(["--db", str(tmp_path / "x.db"), "--port", "8123", "--token", "T",
                         "--max-body-mb", "1", "--rate", "5", "--job-chars", "1000"])
    assert (args.port, args.token, args.max_body_mb, args.rate, args.job_chars) == (
        8123, "T", 1.0, 5, 1000)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 200)
    assert serve.run(p.parse_args(["--db", str(junk)])) == 1  # no server started


# -- cross-site writes and DNS rebinding (issue #21.3) --------------------------------------

def test_cross_origin_writes_are_refused(client: TestClient) -> None:
    body = {"documents": [{"text": ARTICLE_2}]}
    r = client.post("/api/ingest", json=body, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and error_of(r) == "cross_origin"
    r = client.post("/api/ingest", json=body,
                    headers={"Referer": "https://evil.example/page.html"})
    assert r.status_code == 403 and error_of(r) == "cross_origin"
    # An HTML form's (or a "simple" fetch's) body types are refused for writes.
    for ctype, data in (("application/x-www-form-urlencoded", "text=" + ARTICLE_2),
                        ("text/plain", ARTICLE_2)):
        r = client.post("/api/ingest", content=data.encode(), headers={"Content-Type": ctype})
        assert r.status_code == 415 and error_of(r) == "unsupported_media_type"
    assert client.get("/api/stats").json()["documents"] == 0
    # The page's own requests (same origin) and clients without Origin still write.
    r = client.post("/api/ingest", json=body, headers={"Origin": "http://testserver"})
    assert r.status_code == 200 and r.json()["added"] == 1
    # Analysis writes nothing: raw text stays accepted there.
    assert client.post("/api/analyze", content=ARTICLE_2.encode(),
                       headers={"Content-Type": "text/plain"}).status_code == 200


def test_host_header_must_name_this_server(make_client) -> None:
    from rasd.api.hosts import serve_hosts

    client = make_client(allowed_hosts=serve_hosts("127.0.0.1"))
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost", "10.0.0.7"):
        assert client.get("/api/stats", headers={"Host": host}).status_code == 200, host
    r = client.get("/api/stats", headers={"Host": "attacker.example:18080"})
    assert r.status_code == 421 and error_of(r) == "bad_host"
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 421
    allowed = make_client(allowed_hosts=serve_hosts("127.0.0.1", ["rasd.lan"]))
    assert allowed.get("/api/stats", headers={"Host": "rasd.lan:8000"}).status_code == 200


def test_huge_ids_and_deep_json_are_clear_4xx(client: TestClient) -> None:
    """Issue #21.8: integers >= 2**63 in URLs were 500 (OverflowError), 100,000 nested
    arrays a 500 (RecursionError)."""
    big = str(2**63)
    for url in (f"/api/documents/{big}", f"/api/entities/{big}",
                f"/api/entities/{big}/mentions", f"/api/events?offset={big}",
                f"/api/claims?offset={big}", f"/api/search?q=x&offset={big}",
                f"/api/entities?offset={big}", f"/api/stories?offset={big}"):
        r = client.get(url)
        assert r.status_code == 422 and error_of(r) == "invalid_request", url
    for url in ("/api/events", "/api/claims", "/api/search", "/api/export/events.csv"):
        r = client.get(url, params={"entity": big})
        assert r.status_code == 200, url
    r = client.post("/api/analyze", content=b"[" * 100_000 + b"]" * 100_000,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_of(r) == "bad_json"


def test_an_analysis_over_the_budget_is_a_clear_422(make_client, monkeypatch) -> None:
    from rasd.pipeline import BudgetExceeded

    def slow(doc):
        raise BudgetExceeded("stopped after 901 s (budget 900 s) at the EncoderStage stage")

    client = make_client(pipeline_factory=lambda: slow)
    r = client.post("/api/analyze", json={"text": ARTICLE_2})
    assert r.status_code == 422 and error_of(r) == "analysis_too_long"
    assert "budget" in r.json()["detail"]


def test_lists_report_true_totals_and_page(client: TestClient) -> None:
    """Issue #20.1: the page said "1000 events" of 3,265; every list now has its total."""
    store = client.app.state.store
    for i in range(7):
        store.put(_located_doc(f"قصفت قوات حفتر مدينة غريان رقم {i}", "غريان", 32.17, 13.02,
                               f"2019-06-{10 + i}"))
    first = client.get("/api/events", params={"limit": 3}).json()
    assert first["count"] == 3 and first["total"] == 7 and first["offset"] == 0
    last = client.get("/api/events", params={"limit": 3, "offset": 6}).json()
    assert last["count"] == 1 and last["total"] == 7
    seen = {h["id"] for o in (0, 3, 6) for h in client.get(
        "/api/events", params={"limit": 3, "offset": o}).json()["results"]}
    assert len(seen) == 7  # pages do not overlap
    assert client.get("/api/events", params={"since": "2019-06-15"}).json()["total"] == 2
    s = client.get("/api/search", params={"q": "غريان", "kind": "events", "limit": 2}).json()
    assert s["count"] == 2 and s["total"] == 7
    d = client.get("/api/search", params={"q": "غريان", "limit": 5}).json()
    assert d["total"] == 7 and d["count"] == 5
    assert client.get("/api/claims", params={"limit": 1}).json()["total"] == 0



def test_claims_by_body_topic_outlet_and_text(client: TestClient) -> None:
    """The claims explorer's filters (issue #20.5): who speaks (also for a body), about
    whom, in which outlet (Arabic or Latin name), with which words."""
    ingest(client, {"text": ARTICLE_1, "url": "https://example.test/1", "outlet": "Okaz",
                    "published": "2019-07-01"})
    every = client.get("/api/claims").json()
    assert every["total"] >= 1
    for outlet in ("Okaz", "عكاظ"):
        assert client.get("/api/claims", params={"outlet": outlet}).json()["total"] \
            == every["total"], outlet
    assert client.get("/api/claims", params={"outlet": "سبق"}).json()["total"] == 0
    spoken = client.get("/api/claims", params={"source": "السراج"}).json()
    assert spoken["total"] >= 1 and all("speaks_for" in c for c in spoken["results"])
    about = client.get("/api/claims", params={"about": "طرابلس"}).json()
    assert about["total"] >= 1
    assert all("طرابلس" in (c["content"] or {}).get("text", "") for c in about["results"])
    assert client.get("/api/claims", params={"about": "لا أحد"}).json()["total"] == 0
    worded = client.get("/api/claims", params={"q": "فشل"}).json()
    assert worded["total"] >= 1
    assert client.get("/api/claims", params={"since": "2019-07-02"}).json()["total"] == 0
    newest = [c["date"] for c in client.get("/api/claims", params={"sort": "newest"}).json()[
        "results"]]
    oldest = [c["date"] for c in client.get("/api/claims", params={"sort": "oldest"}).json()[
        "results"]]
    assert newest == sorted(newest, reverse=True) and oldest == sorted(newest)


def test_a_store_that_cannot_be_written_is_served_read_only(tmp_path: Path, pipeline,
                                                             monkeypatch) -> None:
    """Issue #21.7: rasd serve on read-only media searches and shows the store; writes get
    one clear 403, and the file is not touched."""
    import os

    from rasd.store import Store

    path = tmp_path / "ro.db"
    with Store(path) as s:
        s.ingest([Document(text=ARTICLE_1, url="https://example.test/1")], pipeline)
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    before = path.read_bytes()
    monkeypatch.setattr(os, "access", lambda *a, **k: False)  # as on a read-only mount
    app = create_app(path, pipeline_factory=lambda: pipeline, heavy_per_minute=0)
    with TestClient(app) as c:
        stats = c.get("/api/stats").json()
        assert stats["read_only"] is True and stats["documents"] == 1
        assert c.get("/api/search", params={"q": "طرابلس"}).json()["total"] == 1
        r = c.post("/api/ingest", json={"text": ARTICLE_2})
        assert r.status_code == 403 and r.json()["error"] == "read_only"
        assert c.post("/api/jobs?store=true", json={"text": ARTICLE_2}).status_code == 403
        assert c.post("/api/analyze", json={"text": ARTICLE_2}).status_code == 200
    assert path.read_bytes() == before
