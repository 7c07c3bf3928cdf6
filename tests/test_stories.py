"""Story clustering: features, the incremental clusterer, scores, `rasd stories`, the store."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from rasd.eval.stories import (
    StoryGoldError,
    bcubed,
    load_gold,
    pairwise,
    title_jaccard_labels,
)
from rasd.stories.cluster import Params, StoryClusterer, cluster
from rasd.stories.features import Featurizer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

TAIZ_1 = ("طائرات التحالف تقصف مواقع الحوثيين في تعز",
          "شنت طائرات التحالف العربي غارات مكثفة على مواقع ميليشيات الحوثي وقوات صالح في مدينة "
          "تعز، واستهدفت مخازن أسلحة في جبل صبر ومعسكر قريب من المطار. وقال مصدر في المقاومة "
          "الشعبية إن الغارات دمرت عددا من الآليات وقتلت عشرات المسلحين.")
TAIZ_2 = ("غارات للتحالف على مخازن أسلحة الحوثيين في تعز",
          "استهدفت غارات التحالف العربي مخازن الأسلحة التابعة للحوثيين في جبل صبر بمدينة تعز، "
          "ودمرت آليات قرب المطار، بحسب المقاومة الشعبية التي أكدت مقتل عشرات من ميليشيات "
          "الحوثي وقوات المخلوع صالح.")
GENEVA = ("وزير الخارجية الأمريكي يلتقي نظيره الروسي في جنيف لبحث الأزمة السورية",
          "التقى وزير الخارجية الأمريكي جون كيري نظيره الروسي سيرغي لافروف في جنيف لبحث سبل "
          "التسوية السياسية للأزمة في سوريا، وناقش الوزيران مقررات مؤتمر جنيف الأول.")
REFUGEES = ("توزيع سلال غذائية على اللاجئين السوريين في مخيم الزعتري",
            "وزعت الحملة الوطنية السعودية سلالا غذائية على آلاف الأسر من اللاجئين السوريين في "
            "مخيم الزعتري بالأردن، ضمن برنامجها الإغاثي لشهر شوال.")


def _feat(feat: Featurizer, id_: str, article: tuple[str, str], day: str, outlet: str = "X"):
    title, body = article
    return feat(id_, f"{title}\n\n{body}", title=title, outlet=outlet, published=day)


@pytest.fixture(scope="module")
def feat() -> Featurizer:
    return Featurizer()


def test_terms_are_clitic_stripped_stems(feat: Featurizer) -> None:
    a = feat.terms("", "وبالحوثيين")
    b = feat.terms("", "الحوثيين")
    assert a.keys() == b.keys() and a
    v = feat.terms("عنوان", "نص " * 5)
    assert abs(sum(x * x for x in v.values()) - 1.0) < 1e-9


def test_same_happening_joins_other_happenings_stay_apart(feat: Featurizer) -> None:
    fs = [_feat(feat, "a", TAIZ_1, "2015-07-23", "Okaz"),
          _feat(feat, "b", GENEVA, "2015-07-23", "Okaz"),
          _feat(feat, "c", TAIZ_2, "2015-07-24", "Al-Riyadh"),
          _feat(feat, "d", REFUGEES, "2015-07-24", "Al-Yaum")]
    stories = cluster(fs)
    by = {m.id: s.id for s in stories for m in s.members}
    assert by["a"] == by["c"]
    assert len({by["a"], by["b"], by["d"]}) == 3
    taiz = next(s for s in stories if s.id == by["a"])
    assert taiz.outlets == ["Al-Riyadh", "Okaz"]
    assert (taiz.first_day, taiz.last_day) == ("2015-07-23", "2015-07-24")


def test_result_does_not_depend_on_input_order(feat: Featurizer) -> None:
    arts = [TAIZ_1, TAIZ_2, GENEVA, REFUGEES] * 3
    fs = [_feat(feat, f"x{i}", a, f"2015-07-{21 + i % 4:02d}") for i, a in enumerate(arts)]
    want = {m.id: s.id for s in cluster(fs) for m in s.members}
    for seed in range(3):
        random.Random(seed).shuffle(fs)
        assert {m.id: s.id for s in cluster(fs) for m in s.members} == want


def test_story_closes_after_quiet_window(feat: Featurizer) -> None:
    fs = [_feat(feat, "a", TAIZ_1, "2015-07-01"), _feat(feat, "b", TAIZ_2, "2015-07-10")]
    assert len(cluster(fs, Params(window_days=3))) == 2
    assert len(cluster(fs, Params(window_days=30))) == 1


def test_republished_copy_is_marked(feat: Featurizer) -> None:
    title, body = TAIZ_1
    copy = (title + " (محدث)", body)
    fs = [_feat(feat, "b-copy", copy, "2015-07-23"), _feat(feat, "a-orig", TAIZ_1, "2015-07-23")]
    (st,) = cluster(fs, Params(threshold=0.99))  # the cosine alone would not join them
    assert st.duplicate_of == [None, "a-orig"]  # same day: ordered by id


def test_restore_continues_a_stored_story(feat: Featurizer) -> None:
    a = _feat(feat, "a", TAIZ_1, "2015-07-23")
    c = StoryClusterer()
    c.restore("st-stored", [(a, 1.0, None)])
    st = c.add(_feat(feat, "c", TAIZ_2, "2015-07-24"))
    assert st.id == "st-stored" and [m.id for m in st.members] == ["a", "c"]


# -- scores ------------------------------------------------------------------------------


def test_bcubed_and_pairwise_by_hand() -> None:
    gold = {"a": "1", "b": "1", "c": "1", "d": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y"}
    b = bcubed(gold, pred)
    # precision: a,b 2/2; c 1/2; d 1/2 -> 3/4; recall: a,b 2/3; c 1/3; d 1 -> 2/3
    assert (round(b.p, 6), round(b.r, 6)) == (0.75, round(2 / 3, 6))
    p = pairwise(gold, pred)
    assert (p.p, p.r) == (0.5, pytest.approx(1 / 3))  # pairs: gold ab ac bc; pred ab cd
    assert bcubed(gold, {}).p == 1.0 and bcubed(gold, {}).r == pytest.approx(0.5)
    assert pairwise(gold, gold).f == 1.0


def test_title_jaccard_baseline_links_components() -> None:
    recs = [{"id": "1", "title": "أ ب ج"}, {"id": "2", "title": "أ ب ج د"},
            {"id": "3", "title": "ه و ز"}]
    lab = title_jaccard_labels(recs)
    assert lab["1"] == lab["2"] != lab["3"]


def test_gold_must_partition(tmp_path: Path) -> None:
    f = tmp_path / "g.json"
    f.write_text(json.dumps({"source": {"days": ["2015-07-23"]}, "stories": [
        {"id": "d1", "articles": ["a", "b"]}, {"id": "d2", "articles": ["b"]}]}))
    with pytest.raises(StoryGoldError, match="article b is in stories d1 and d2"):
        load_gold(f)


@pytest.mark.skipif(not (SHARED / "news").is_dir(), reason="shared news data not present")
@pytest.mark.parametrize("name", ["dev.json", "test.json"])
def test_shipped_gold_partitions_its_selection(name: str) -> None:
    path = Path(__file__).resolve().parents[1] / "eval" / "stories" / name
    if not path.exists():
        pytest.skip(f"{name} not annotated yet")
    gold = load_gold(path, SHARED)
    assert sum(len(a) for a in gold.stories.values()) >= 150


# -- the command -------------------------------------------------------------------------


def _jsonl(tmp_path: Path) -> Path:
    recs = [{"id": "r1", "title": TAIZ_1[0], "text": TAIZ_1[1], "date": "2015-07-23",
             "outlet": "Okaz"},
            {"id": "r2", "title": GENEVA[0], "text": GENEVA[1], "date": "2015-07-23"},
            {"id": "r3", "title": TAIZ_2[0], "text": TAIZ_2[1], "date": "2015-07-24",
             "outlet": "Al-Riyadh"}]
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n",
                 encoding="utf-8")
    return p


def _rasd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True,
                          text=True, timeout=120)


def test_rasd_stories_jsonl_is_one_line_per_input(tmp_path: Path) -> None:
    r = _rasd("stories", str(_jsonl(tmp_path)), str(tmp_path / "missing.txt"))
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [
        f"rasd: {tmp_path / 'missing.txt'}: no such file or directory"]
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [set(x) for x in lines] == [{"id", "story"}] * 3
    assert [x["id"] for x in lines] == ["r1", "r2", "r3"]
    assert lines[0]["story"] == lines[2]["story"] != lines[1]["story"]


def test_rasd_stories_text_and_json(tmp_path: Path) -> None:
    inp = str(_jsonl(tmp_path))
    r = _rasd("stories", inp, "--format", "json")
    assert r.returncode == 0, r.stderr
    stories = json.loads(r.stdout)["stories"]
    assert sorted(len(s["articles"]) for s in stories) == [1, 2]
    r = _rasd("stories", inp, "--format", "text")
    assert r.returncode == 0 and "Al-Riyadh, Okaz · 2015-07-23 – 2015-07-24" in r.stdout


# -- the store ---------------------------------------------------------------------------


def _docs(arts: list[tuple[str, tuple[str, str], str]]):
    from rasd.document import Document

    return [Document(text=f"{a[0]}\n\n{a[1]}", id=i, title=a[0], published=d, outlet="X",
                     url=f"https://x.test/{i}") for i, a, d in arts]


def test_store_assigns_incrementally_and_forgets(tmp_path: Path) -> None:
    from rasd.store.sqlite import Store

    arts = [("s1", TAIZ_1, "2015-07-23"), ("s2", GENEVA, "2015-07-23"),
            ("s3", TAIZ_2, "2015-07-24"), ("s4", REFUGEES, "2015-07-24")]
    with Store(tmp_path / "a.db") as one:
        assert one.ingest(_docs(arts)).stories == 4
        whole = {r[0]: r[1] for r in one.conn.execute(
            "SELECT d.doc_id, s.story FROM story_articles s JOIN documents d ON d.id = s.doc")}
    with Store(tmp_path / "b.db") as inc:
        inc.ingest(_docs(arts[:2]))
        inc.ingest(_docs(arts[2:]))
        step = {r[0]: r[1] for r in inc.conn.execute(
            "SELECT d.doc_id, s.story FROM story_articles s JOIN documents d ON d.id = s.doc")}
        assert step == whole and whole["s1"] == whole["s3"]
        assert inc.count("stories") == 3
        taiz = inc.conn.execute("SELECT n_articles, n_outlets FROM stories WHERE id = ?",
                                (whole["s1"],)).fetchone()
        assert tuple(taiz) == (2, 1)
        s3 = inc.conn.execute("SELECT id FROM documents WHERE doc_id = 's3'").fetchone()[0]
        assert inc.document(s3)["store"]["story"] == whole["s1"]
        inc.delete(s3)
        assert inc.conn.execute("SELECT n_articles FROM stories WHERE id = ?",
                                (whole["s1"],)).fetchone()[0] == 1
        s2 = inc.conn.execute("SELECT id FROM documents WHERE doc_id = 's2'").fetchone()[0]
        inc.delete(s2)
        assert inc.count("stories") == 2


def test_store_of_version_3_gets_stories_at_next_ingest(tmp_path: Path) -> None:
    from rasd.store import schema
    from rasd.store.sqlite import Store

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for m in schema.MIGRATIONS[:3]:
        m(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    with Store(db) as store:
        assert store.version == schema.SCHEMA_VERSION
        store.ingest(_docs([("s1", TAIZ_1, "2015-07-23")]))
        assert store.count("stories") == 1


def test_api_stories_pages_and_404(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from rasd.api.app import create_app
    from rasd.store.sqlite import Store

    db = tmp_path / "api.db"
    with Store(db) as store:
        store.ingest(_docs([("s1", TAIZ_1, "2015-07-23"), ("s2", GENEVA, "2015-07-23"),
                            ("s3", TAIZ_2, "2015-07-24")]))
    client = TestClient(create_app(db))
    page = client.get("/api/stories", params={"limit": 1}).json()
    assert (page["total"], page["count"]) == (2, 1)
    top = page["results"][0]
    assert top["n_articles"] == 2 and top["title"]
    detail = client.get(f"/api/stories/{top['id']}").json()
    assert [a["doc_id"] for a in detail["articles"]] == ["s1", "s3"]
    assert client.get("/api/stories", params={"min_articles": 2}).json()["total"] == 1
    assert client.get("/api/stories/st-000000000000").status_code == 404
    assert client.get("/api/stories/nope").status_code == 422
    assert client.get("/api/stories", params={"since": "23/07/2015"}).status_code == 422


def test_params_are_frozen() -> None:
    p = Params()
    assert replace(p, window_days=1).window_days == 1
    with pytest.raises(AttributeError):
        p.threshold = 0.1  # type: ignore[misc]
