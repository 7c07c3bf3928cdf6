"""The SQLite store: migrations, idempotent and transactional ingest, merging, Arabic search."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

import pytest

from rasd.cli import ingest as ingest_cli
from rasd.cli import search as search_cli
from rasd.document import Claim, Document, Entity, Event, Mention, Sentence, Span, Time
from rasd.store import Store, StoreError, lists, schema, writer
from rasd.store.errors import SearchError
from rasd.store.filters import entity_ids
from rasd.store.search import search


def make_doc(text: str, *, url: str | None = None, published: str | None = "2019-06-24",
             outlet: str | None = "test", entities: list[tuple[str, str, str | None]] = (),
             claim: tuple[str, str] | None = None,
             event: tuple[str, str, str | None] | None = None) -> Document:
    """A document with hand-made layers: ``entities`` are (name, type, kb_id) found in text;
    ``claim`` is (speaker name, content); ``event`` is (trigger, type, time value)."""
    doc = Document(text=text, url=url, published=published, outlet=outlet, title=text[:20])
    doc.sentences = [Sentence(0, len(text))]
    by_name = {}
    for i, (name, type_, kb) in enumerate(entities, 1):
        start = text.index(name)
        doc.entities.append(Entity(f"e{i}", type_, name, kb_id=kb,
                                   lat=32.9 if type_ == "GPE" else None,
                                   lon=13.2 if type_ == "GPE" else None))
        doc.mentions.append(Mention(f"m{i}", start, start + len(name), name, type_, f"e{i}"))
        by_name[name] = f"e{i}"
    if claim:
        who, content = claim
        s = text.index(content)
        doc.claims.append(Claim("c1", by_name.get(who), who, False, doc.span(s - 1, s),
                                doc.span(s, s + len(content)), stance="assert"))
    if event:
        trig, type_, value = event
        s = text.index(trig)
        time_id = None
        if value:
            doc.times.append(Time("t1", 0, 1, text[0], value))
            time_id = "t1"
        ids = list(by_name.values())
        doc.events.append(Event("v1", type_, None, Span(s, s + len(trig), trig),
                                actor=ids[0] if ids else None,
                                location=ids[-1] if len(ids) > 1 else None,
                                time=time_id, sentence=0,
                                claim="c1" if claim else None))
    doc.check_offsets()
    return doc


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def titles(hits: list[dict]) -> list[str]:
    return sorted(h["title"] for h in hits)


# -- schema --------------------------------------------------------------------------------

def test_migrations_set_user_version_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    with Store(path) as s:
        assert s.version == schema.SCHEMA_VERSION >= 2
        s.put(make_doc("نص أول عن طرابلس"))
    with Store(path) as s:  # reopening applies nothing and keeps the data
        assert s.version == schema.SCHEMA_VERSION
        assert s.count() == 1


def test_partial_schema_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    schema.MIGRATIONS[0](conn)  # a store written by a rasd with only the first migration
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.version == schema.SCHEMA_VERSION
        s.put(make_doc("خبر عن بنغازي"))
        assert s.search("بنغازي")


def test_version_2_store_gets_confidence_and_via_from_its_json(tmp_path: Path) -> None:
    """Migration 3 adds the confidence columns and the claim-to-claim ``via`` link, filled
    from each stored document's JSON."""
    path = tmp_path / "v2.db"
    doc = make_doc("قال فائز السراج إن حفتر فشل في طرابلس", entities=[
        ("فائز السراج", "PER", None), ("طرابلس", "GPE", None)],
        claim=("فائز السراج", "حفتر فشل"), event=("فشل", "ASSAULT", None))
    doc.claims[0].confidence = 0.75
    doc.events[0].confidence = 0.6
    inner = Claim("c2", None, "مصدر", True, doc.span(0, 3), None, stance="neutral", via="c1")
    doc.claims.append(inner)
    conn = sqlite3.connect(path)
    for m in schema.MIGRATIONS[:2]:
        m(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    old_migrations = schema.MIGRATIONS
    # Write the document as a version-2 rasd would: without the new columns.
    with Store(path) as s:
        assert s.version == schema.SCHEMA_VERSION
    conn = sqlite3.connect(path)
    conn.execute("UPDATE claims SET confidence = NULL")
    conn.close()
    assert old_migrations is schema.MIGRATIONS
    with Store(path) as s:
        s.put(doc)
        ev = lists.list_events(s, min_confidence=0.5)
        assert [e["confidence"] for e in ev] == [0.6]
        assert lists.list_events(s, min_confidence=0.7) == []
        claims = {c["local_id"]: c for c in lists.list_claims(s)}
        assert claims["c1"]["confidence"] == 0.75 and claims["c2"]["confidence"] is None
        assert claims["c2"]["via"]["local_id"] == "c1"
        assert claims["c2"]["via"]["source_text"] == "فائز السراج"
        assert [c["local_id"] for c in lists.list_claims(s, min_confidence=0.5)] == ["c1"]
        with pytest.raises(SearchError):
            lists.list_claims(s, min_confidence=1.5)
        # The backfill: clear the columns, rerun migration 3 on the stored JSON.
        s.conn.execute("ALTER TABLE claims DROP COLUMN via_claim")
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX claims_confidence")
    conn.execute("DROP INDEX events_confidence")
    conn.execute("ALTER TABLE claims DROP COLUMN confidence")
    conn.execute("ALTER TABLE events DROP COLUMN confidence")
    conn.execute("DROP TABLE story_articles")  # a version-2 store had no stories either
    conn.execute("DROP TABLE stories")
    conn.execute("DROP INDEX claims_speaker")  # nor speakers' bodies (version 5)
    conn.execute("ALTER TABLE claims DROP COLUMN speaker")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store(path) as s:
        assert s.version == schema.SCHEMA_VERSION
        claims = {c["local_id"]: c for c in lists.list_claims(s)}
        assert claims["c1"]["confidence"] == 0.75
        assert claims["c2"]["via"]["local_id"] == "c1"
        assert [e["confidence"] for e in lists.list_events(s)] == [0.6]


def test_newer_schema_and_garbage_are_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(newer)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError):
        Store(junk)


# -- ingest --------------------------------------------------------------------------------

def test_ingest_is_idempotent(store: Store) -> None:
    a = make_doc("أعلن الجيش السيطرة على طرابلس", url="http://x/1")
    b = make_doc("خبر آخر عن بنغازي")
    first = store.ingest([a, b])
    assert (first.added, first.unchanged) == (2, 0)
    again = store.ingest([make_doc("أعلن الجيش السيطرة على طرابلس", url="http://x/1"),
                          make_doc("خبر آخر عن بنغازي")])
    assert (again.added, again.unchanged) == (0, 2)
    # The same wording under another URL, or spelled with other alef/diacritics: one record.
    same = store.ingest([make_doc("أعلن الجيش السيطرة على طرابلس", url="http://mirror/1"),
                         make_doc("خَبَر آخر عن بنغازى")])
    assert same.unchanged == 2
    assert store.count() == 2


def test_changed_article_with_same_url_updates_its_record(store: Store) -> None:
    old = make_doc("قصفت القوات مدينة سرت", url="http://x/a",
                   entities=[("سرت", "GPE", None)])
    db_id, status = store.put(old)
    assert status == "added"
    new = make_doc("قصفت القوات مدينة درنة", url="http://x/a",
                   entities=[("درنة", "GPE", None)])
    result = store.ingest([new])
    assert result.updated == 1 and result.items[0]["id"] == db_id
    assert store.count() == 1
    assert store.search("درنة") and not store.search("سرت")
    names = [r[0] for r in store.conn.execute("SELECT name FROM entities")]
    assert names == ["درنة"]  # the entity only the old version named is gone
    assert store.document(db_id)["document"]["text"] == new.text


def test_failure_mid_document_leaves_nothing_half_written(store: Store, monkeypatch) -> None:
    good = make_doc("وصل الوفد إلى طرابلس", entities=[("طرابلس", "GPE", None)])
    store.put(good)
    before = {t: store.count(t) for t in ("documents", "entities", "mentions", "claims",
                                          "events")}
    original = writer.write_layers

    def crash_after_layers(conn: sqlite3.Connection, db_id: int, doc: Document) -> None:
        original(conn, db_id, doc)  # everything written, then the process "crashes"
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer, "write_layers", crash_after_layers)
    bad = make_doc("قال حفتر إن القوات ستدخل مصراتة", entities=[("حفتر", "PER", "kb:h"),
                                                               ("مصراتة", "GPE", None)],
                   claim=("حفتر", "القوات ستدخل مصراتة"), event=("ستدخل", "ASSAULT", None))
    result = store.ingest([bad])
    assert result.failed == 1 and "disk on fire" in result.items[0]["error"]
    after = {t: store.count(t) for t in before}
    assert after == before
    assert not store.search("مصراتة", kind="documents")
    assert not store.search("مصراتة", kind="claims")
    assert store.conn.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1
    # An update that fails keeps the old version whole.
    url_doc = make_doc("نص قديم عن سبها", url="http://x/u")
    monkeypatch.setattr(writer, "write_layers", original)
    store.put(url_doc)
    monkeypatch.setattr(writer, "write_layers", crash_after_layers)
    assert store.ingest([make_doc("نص جديد عن غات", url="http://x/u")]).failed == 1
    assert store.search("سبها") and not store.search("غات")
    # And the next document after a failure is stored normally.
    monkeypatch.setattr(writer, "write_layers", original)
    assert store.ingest([bad]).added == 1


def test_analysis_runs_only_for_new_or_changed(store: Store) -> None:
    calls = []

    def analyze(doc: Document) -> Document:
        calls.append(doc.url)
        return doc

    docs = [make_doc("خبر أول عن تونس", url="u1"), make_doc("خبر ثان عن الجزائر", url="u2")]
    store.ingest(docs, analyze=analyze)
    store.ingest(docs, analyze=analyze)
    store.ingest([make_doc("خبر ثان معدل عن الجزائر", url="u2")], analyze=analyze)
    assert calls == ["u1", "u2", "u2"]


def test_entities_merge_across_documents(store: Store) -> None:
    store.put(make_doc("التقى أحمد معيتيق الوفد", entities=[("أحمد معيتيق", "PER", None)]))
    store.put(make_doc("قال احمد معيتيق للصحفيين", entities=[("احمد معيتيق", "PER", None)]))
    store.put(make_doc("وصل خليفة حفتر", entities=[("خليفة حفتر", "PER", "Q1")]))
    store.put(make_doc("قال المشير حفتر", entities=[("حفتر", "PER", "Q1")]))
    store.put(make_doc("مدينة أحمد معيتيق", entities=[("أحمد معيتيق", "GPE", None)]))
    rows = store.conn.execute("SELECT e.name, e.type, count(*) FROM entities e JOIN doc_entities"
                              " d ON d.entity = e.id GROUP BY e.id ORDER BY e.id").fetchall()
    assert [tuple(r) for r in rows] == [("أحمد معيتيق", "PER", 2), ("خليفة حفتر", "PER", 2),
                                        ("أحمد معيتيق", "GPE", 1)]
    # An alias a mention used finds the merged entity.
    assert len(entity_ids(store, "حفتر")) == 1
    assert entity_ids(store, "Q1") == entity_ids(store, "خليفة حفتر")


# -- search --------------------------------------------------------------------------------

@pytest.mark.parametrize(("stored", "query"), [
    ("استقبل أحمد الوفد", "احمد"),
    ("استقبل احمد الوفد", "أحمد"),
    ("دخلت القوات مدينة سرت", "مدينه"),
    ("دخلت القوات مدينه سرت", "مدينة"),
    ("دَخَلَتِ القُوّاتُ المَدِينَةَ", "المدينة"),
    ("دخلت القوات المدينة", "المَدِينَة"),
    ("اشتباكات عنيفة بطرابلس", "طرابلس"),
    ("وطرابلس تشهد هدوءا", "طرابلس"),
    ("القتال في طرابلس", "بطرابلس"),
    ("ســـرت مدينة ساحلية", "سرت"),
    ("دخلت القوات المدينة", "مدينة"),
    ("التقى الوزير بحكومته", "حكومة"),
])
def test_arabic_aware_matching(store: Store, stored: str, query: str) -> None:
    store.put(make_doc(stored))
    store.put(make_doc("خبر لا علاقة له بالموضوع"))
    hits = store.search(query)
    assert [h["title"] for h in hits] == [stored[:20]]
    assert hits[0]["highlights"], "the snippet marks where the word was found"


def test_search_is_specific_and_requires_all_words(store: Store) -> None:
    store.put(make_doc("هجوم على مطار طرابلس"))
    store.put(make_doc("هجوم على مطار بنغازي"))
    assert len(store.search("مطار")) == 2
    assert len(store.search("مطار طرابلس")) == 1
    assert store.search("مطا*") and not store.search("مطا")
    assert store.search("؟!") == []
    assert len(store.search("  ")) == 2  # an empty query lists documents


def test_snippet_offsets_point_at_the_match(store: Store) -> None:
    text = "مقدمة طويلة " * 20 + "ثم اشتباكات بطرابلس في المساء"
    store.put(make_doc(text))
    hit = store.search("طرابلس")[0]
    a, b = hit["highlights"][0]
    assert hit["snippet"][a:b] == "بطرابلس"


def test_filters_and_kinds(store: Store) -> None:
    store.put(make_doc("قال حفتر إن قواته ستدخل طرابلس قريبا", published="2019-06-24",
                       outlet="alwasat", entities=[("حفتر", "PER", None), ("طرابلس", "GPE", None)],
                       claim=("حفتر", "قواته ستدخل طرابلس"),
                       event=("ستدخل", "ASSAULT", "2019-06-30")))
    store.put(make_doc("قال السراج إن الحكومة ستفاوض في تونس", published="2019-07-02",
                       outlet="libyaobserver",
                       entities=[("السراج", "PER", None), ("تونس", "GPE", None)],
                       claim=("السراج", "الحكومة ستفاوض في تونس"),
                       event=("ستفاوض", "COOPERATE", None)))
    assert titles(store.search("", entity="حفتر")) == ["قال حفتر إن قواته ست"]
    assert titles(store.search("", type="cooperate")) == ["قال السراج إن الحكوم"]
    assert len(store.search("", since="2019-07")) == 1
    assert len(store.search("", until="2019-06")) == 1
    assert len(store.search("", since="2019-06-24", until="2019-07-02")) == 2
    assert len(store.search("", source="alwasat")) == 1
    events = store.search("طرابلس", kind="events")
    assert [e["type"] for e in events] == ["ASSAULT"]
    assert events[0]["date"] == "2019-06-30"  # the event's own day, not the article's
    assert events[0]["actor"]["name"] == "حفتر" and events[0]["location"]["lat"] == 32.9
    assert store.search("", kind="events", since="2019-06-25", until="2019-06-30")
    claims = store.search("", kind="claims", source="السراج")
    assert [c["content"]["text"] for c in claims] == ["الحكومة ستفاوض في تونس"]
    assert store.search("تونس", kind="claims", entity="السراج")
    assert not store.search("تونس", kind="claims", entity="حفتر")
    assert store.search("", kind="claims", type="ASSAULT")[0]["source_text"] == "حفتر"
    assert store.search("", entity="لا أحد") == []
    with pytest.raises(SearchError):
        store.search("", since="24/06/2019")
    with pytest.raises(SearchError):
        store.search("x", kind="people")


def test_pipeline_output_round_trips(store: Store) -> None:
    from rasd.pipeline import Pipeline

    text = "قال خليفة حفتر إن قواته ستدخل العاصمة طرابلس.\n\nورفضت حكومة الوفاق ذلك في طرابلس."
    doc = Pipeline()(Document(text=text, published="2019-06-24"))
    db_id, _ = store.put(doc)
    back = store.document(db_id)
    assert {k: v for k, v in back.items() if k != "store"} == json.loads(doc.to_json())
    assert set(back["store"]["entities"]) == {e.id for e in doc.entities}
    assert store.search("بطرابلس")


# -- CLI -----------------------------------------------------------------------------------

def _args(module, argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    module.add_arguments(p)
    return p.parse_args(argv)


def test_ingest_and_search_commands(tmp_path: Path, capsys) -> None:
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "a", "title": "اشتباكات بطرابلس", "text": "اشتباكات عنيفة بطرابلس اليوم.",
         "url": "http://n/a", "date": "2019-06-24"},
        {"id": "b", "title": "هدوء في بنغازي", "text": "هدوء حذر في مدينة بنغازي.",
         "url": "http://n/b", "date": "2019-06-25"},
        {"id": "c", "text": "not arabic at all, just english words here"},
    ]) + "\n", encoding="utf-8")
    db = str(tmp_path / "cli.db")
    rc = ingest_cli.run(_args(ingest_cli, [str(src), "--db", db, "--no-analyze"]))
    out = capsys.readouterr()
    assert rc == 1 and "2 added" in out.out and "news.jsonl" in out.err
    assert ingest_cli.run(_args(ingest_cli, [str(src), "--db", db, "--no-analyze"])) == 1
    assert "2 unchanged" in capsys.readouterr().out
    rc = search_cli.run(_args(search_cli, ["طرابلس", "--db", db, "--format", "json"]))
    hits = json.loads(capsys.readouterr().out)
    assert rc == 0 and [h["url"] for h in hits] == ["http://n/a"]
    rc = search_cli.run(_args(search_cli, ["مدينه", "--db", db]))
    assert rc == 0 and "بنغازي" in capsys.readouterr().out
    assert search_cli.run(_args(search_cli, ["x", "--db", db, "--since", "May"])) == 2
    assert search_cli.run(_args(search_cli, ["x", "--db",
                                                       str(tmp_path / "none.db")])) == 1


# -- robustness (issue #21.7) -----------------------------------------------------------------

def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a rasd store"):
        Store(path)
    assert path.read_bytes() == before  # not a byte: not even the journal mode (WAL)
    tables = [r[0] for r in sqlite3.connect(path).execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["users"]


def test_a_damaged_store_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    with Store(path) as s:
        for i in range(30):
            s.put(make_doc(f"خبر رقم {i} عن طرابلس " * 40, url=f"http://x/{i}"))
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for off in range(4096 * 2, len(data), 997):  # scribble over pages after the first two
        data[off:off + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        Store(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


def test_a_store_in_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "nowhere" / "s.db")


def _first_put(path: str, i: int) -> int:
    with Store(path) as s:
        s.put(make_doc(f"خبر رقم {i} عن بنغازي", url=f"http://race/{i}"))
    return i


def test_first_time_ingests_from_several_processes_all_land(tmp_path: Path) -> None:
    """Several processes creating the same new store at once: every one's document lands
    (they raced to the first migration: 'table documents already exists')."""
    import multiprocessing as mp

    path = str(tmp_path / "race.db")
    ctx = mp.get_context("spawn")
    with ctx.Pool(6) as pool:
        assert sorted(pool.starmap(_first_put, [(path, i) for i in range(12)])) == list(range(12))
    with Store(path) as s:
        assert s.count() == 12 and s.version == schema.SCHEMA_VERSION


def test_a_store_on_read_only_media_can_be_searched(tmp_path: Path, monkeypatch) -> None:
    """Issue #21.7: searching needs no write access (immutable when the folder or the file
    cannot be written), and never migrates or writes."""
    import os

    path = tmp_path / "ro.db"
    with Store(path) as s:
        s.put(make_doc("خبر عن طرابلس والزاوية", url="http://x/ro"))
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in ("-wal", "-shm"):
        Path(str(path) + side).unlink(missing_ok=True)
    before = path.stat().st_mtime_ns, path.read_bytes()
    monkeypatch.setattr(os, "access", lambda *a, **k: False)  # as on a read-only mount
    with Store(path, readonly=True) as s:
        assert titles(s.search("طرابلس"))
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert not Path(str(path) + "-wal").exists() and not Path(str(path) + "-shm").exists()
    # An old store is not upgraded behind the user's back.
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="upgrade"):
        Store(path, readonly=True)
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.db", readonly=True)



def test_claims_by_the_body_the_speaker_speaks_for(tmp_path: Path) -> None:
    """فرنسا، السفارة الفرنسية، and an unnamed French source are one speaker: France; the
    specific speaker is kept (migration 5 fills stored claims the same way)."""
    text = ("قالت فرنسا إن الحل سياسي. وأكدت السفارة الفرنسية أن طرابلس آمنة. "
            "وقالت مصادر فرنسية إن الحوار سيستأنف.")
    doc = Document(text=text, url="https://example.test/fr")
    doc.sentences = [Sentence(0, len(text))]
    fr, emb = text.index("فرنسا"), text.index("السفارة الفرنسية")
    tr = text.index("طرابلس")
    doc.entities = [Entity("e1", "GPE", "فرنسا", kb_id="cc:FR"),
                    Entity("e2", "ORG", "السفارة الفرنسية"),
                    Entity("e3", "GPE", "طرابلس", kb_id="gn:2210247")]
    doc.mentions = [Mention("m1", fr, fr + 5, "فرنسا", "GPE", "e1"),
                    Mention("m2", emb, emb + 16, "السفارة الفرنسية", "ORG", "e2"),
                    Mention("m3", tr, tr + 6, "طرابلس", "GPE", "e3")]

    def at(word: str, start: int = 0) -> Span:
        p = text.index(word, start)
        return doc.span(p, p + len(word))

    doc.claims = [Claim("c1", "e1", "فرنسا", False, at("قالت"), at("الحل سياسي")),
                  Claim("c2", "e2", "السفارة الفرنسية", False, at("وأكدت"), at("طرابلس آمنة")),
                  Claim("c3", None, "مصادر فرنسية", True, at("وقالت"), at("الحوار سيستأنف"))]
    doc.check_offsets()
    with Store(tmp_path / "fr.db") as s:
        s.put(doc)
        france = entity_ids(s, "فرنسا")
        by_france = lists.list_claims(s, entity="فرنسا")
        assert sorted(c["local_id"] for c in by_france) == ["c1", "c2", "c3"]
        assert lists.count_claims(s, entity="فرنسا") == 3
        c2 = next(c for c in by_france if c["local_id"] == "c2")
        assert c2["source_text"] == "السفارة الفرنسية" and c2["speaks_for"]["id"] in france
        assert next(c for c in by_france if c["local_id"] == "c1")["speaks_for"] is None
        # what they are about: Tripoli is named in the embassy's content only
        assert [c["local_id"] for c in lists.list_claims(s, about="طرابلس")] == ["c2"]
        assert lists.list_claims(s, about="no such entity") == []
        # the backfill of a store written before version 5 gives the same
        s.conn.execute("UPDATE claims SET speaker = NULL")
        _rerun_speakers(s.conn)
        assert sorted(c["local_id"] for c in lists.list_claims(s, entity="فرنسا")) == [
            "c1", "c2", "c3"]


def _rerun_speakers(conn: sqlite3.Connection) -> None:
    conn.execute("DROP INDEX claims_speaker")
    conn.execute("ALTER TABLE claims DROP COLUMN speaker")
    schema._speakers(conn)


def test_an_outlet_is_found_by_any_of_its_names(tmp_path: Path) -> None:
    with Store(tmp_path / "o.db") as s:
        s.put(make_doc("قال فائز السراج إن حفتر فشل في طرابلس", entities=[
            ("فائز السراج", "PER", None)], claim=("فائز السراج", "حفتر فشل"),
            outlet="Okaz"))
        for name in ("عكاظ", "Okaz", "okaz", "عكا"):
            assert lists.count_claims(s, outlet=name) == 1, name
        assert lists.count_claims(s, outlet="سبق") == 0
        hits = search(s, "طرابلس", source="عكاظ")
        assert len(hits) == 1
