"""One event from many reports, contradictions and framing (rasd.stories.reports/contradictions)."""

from __future__ import annotations

from typing import Any

import pytest

from rasd.export.formats import write_export
from rasd.stories.contradictions import contradictions, framing
from rasd.stories.reports import cluster_events
from rasd.stories.view import cluster_index, story_view

HOUTHI = {"type": "ORG", "name": "الحوثي", "kb_id": "rasd:houthis"}
COALITION = {"type": "ORG", "name": "التحالف", "kb_id": "rasd:coalition"}
TAIZ = {"type": "GPE", "name": "تعز", "kb_id": "geo:taiz"}
MARKET = {"type": "FAC", "name": "سوق المدينة", "kb_id": None}


def _doc(did: str, outlet: str, text: str, events: list[dict[str, Any]],
         ents: dict[str, dict[str, Any]], claims: list[dict[str, Any]] | None = None,
         day: str = "2015-07-23") -> dict[str, Any]:
    """A minimal rasd output document: one sentence per line, mentions found by string."""
    sentences, pos = [], 0
    for line in text.split("\n"):
        sentences.append({"start": pos, "end": pos + len(line)})
        pos += len(line) + 1
    entities, mentions = [], []
    for eid, e in ents.items():
        entities.append({"id": eid, "name_en": None, "country": None, "lat": None, "lon": None,
                         "roles": [], **e})
        at = text.find(e["name"])
        while at >= 0:
            mentions.append({"id": f"m{len(mentions) + 1}", "start": at,
                             "end": at + len(e["name"]), "text": e["name"], "type": e["type"],
                             "entity": eid})
            at = text.find(e["name"], at + 1)
    evs = []
    for k, v in enumerate(events, 1):
        trig = v.pop("trigger_text")
        a = text.find(trig)
        si = next(i for i, s in enumerate(sentences) if s["start"] <= a < s["end"])
        evs.append({"id": f"v{k}", "mode": None, "actor": None, "target": None,
                    "location": None, "time": None, "status": "asserted", "negated": False,
                    "claim": None, "sentence": si, "confidence": 0.8,
                    "trigger": {"start": a, "end": a + len(trig), "text": trig}, **v})
    return {"rasd": "test", "document": {"id": did, "outlet": outlet, "published": day,
                                          "title": text.split("\n")[0], "text": text},
            "sentences": sentences, "entities": entities, "mentions": mentions, "times": [],
            "claims": claims or [], "events": evs}


def _attack(did: str, outlet: str, text: str, trig: str = "غارة", status: str = "asserted",
            actor: str = "e1") -> dict[str, Any]:
    return _doc(did, outlet, text, [{"type": "ASSAULT", "trigger_text": trig, "actor": actor,
                                     "location": "e3", "status": status}],
                {"e1": COALITION, "e2": HOUTHI, "e3": TAIZ})


def _check_spans(x: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    texts = {d["document"]["id"]: d["document"]["text"] for d in docs}
    for side in ("a", "b"):
        ev = x[side]["evidence"]
        assert texts[x[side]["doc"]][ev["start"]:ev["end"]] == ev["text"]


def test_reports_of_one_attack_merge_and_other_attacks_stay_apart() -> None:
    a = _attack("d1", "Okaz", "غارة للتحالف على تعز تقتل 7 أشخاص في سوق المدينة")
    b = _attack("d2", "Al-Riyadh", "قتلى في غارة للتحالف على تعز")
    c = _attack("d3", "Al-Yaum", "غارة الحوثي على تعز", actor="e2")
    d = _doc("d4", "Sabq", "غارة جديدة", [{"type": "ASSAULT", "trigger_text": "غارة"}], {})
    clusters = cluster_events([a, b, c, d], "st-x")
    sizes = sorted(len(x.reports) for x in clusters)
    assert sizes == [1, 1, 2]  # the Houthi attack and the one with no argument stay apart
    merged = next(x for x in clusters if len(x.reports) == 2)
    out = merged.to_dict()
    assert out["outlets"] == ["Al-Riyadh", "Okaz"] and out["articles"] == 2
    assert out["actor"] == "التحالف" and out["location"] == "تعز"


def test_denial_needs_a_denial_word_and_two_outlets() -> None:
    said = _attack("d1", "Okaz", "غارة للتحالف على تعز")
    denied = _attack("d2", "Al-Riyadh", "ونفى التحالف أن يكون شن غارة على تعز", status="denied")
    docs = [said, denied]
    found = contradictions(docs, cluster_events(docs))
    assert [x["kind"] for x in found] == ["denial"]
    _check_spans(found[0], docs)
    # the model's status alone, without a denial word in the sentence, is not shown
    quiet = _attack("d3", "Al-Riyadh", "غارة للتحالف على تعز أمس", status="denied")
    assert contradictions([said, quiet], cluster_events([said, quiet])) == []


def test_numbers_differ_only_for_the_same_sentence_told_twice() -> None:
    """Sentence level: found without any event, and only for alike sentences."""
    a = _attack("d1", "Okaz", "مقتل 7 أشخاص في غارة للتحالف على سوق تعز")
    b = _attack("d2", "Al-Riyadh", "مقتل 12 شخصا في غارة للتحالف على سوق تعز")
    docs = [a, b]
    (x,) = contradictions(docs, cluster_events(docs))
    assert (x["kind"], x["field"], x["values"]) == ("numbers", "killed", [["7"], ["12"]])
    _check_spans(x, docs)
    other = _attack("d3", "Al-Yaum", "ارتفعت حصيلة القتلى منذ بدء الحرب إلى مقتل 3000 في غارة "
                                     "للتحالف وقصف في أنحاء تعز والمحافظات الأخرى")
    assert [y["kind"] for y in contradictions([a, other], cluster_events([a, other]))] == []
    # the same sentence counting other people is no dispute
    people = _doc("d4", "Okaz", "اشتباكات في ريف حلب تسببت بمقتل 11 شخصا بحسب المرصد", [], {})
    fighters = _doc("d5", "Sabq", "اشتباكات في ريف حلب تسببت بمقتل 5 مقاتلين بحسب المرصد", [], {})
    assert contradictions([people, fighters], []) == []
    # "مقتل وإصابة 10" sums dead and wounded: no injury count to compare with "إصابة 7"
    both = _doc("d6", "Okaz", "مقتل وإصابة 10 في إطلاق نار داخل سينما بولاية لويزيانا", [], {})
    hurt = _doc("d7", "Sabq", "مقتل 2 وإصابة 7 في إطلاق نار داخل سينما بولاية لويزيانا", [], {})
    assert contradictions([both, hurt], []) == []
    # arrests count too
    p1 = _doc("d8", "Okaz", "أعلنت الداخلية القبض على 431 متهما في خلايا داعش بالمملكة", [], {})
    p2 = _doc("d9", "Sabq", "أعلنت الداخلية القبض على 413 متهما في خلايا داعش بالمملكة", [], {})
    (m,) = contradictions([p1, p2], [])
    assert (m["field"], m["values"]) == ("arrested", [["431"], ["413"]])


def test_actor_contradiction_and_name_variants() -> None:
    ents = {"e1": COALITION, "e2": HOUTHI, "e3": TAIZ, "e4": MARKET}

    def report(did: str, outlet: str, text: str, actor: str) -> dict[str, Any]:
        return _doc(did, outlet, text, [{"type": "ASSAULT", "trigger_text": "قصف",
                                         "actor": actor, "target": "e4", "location": "e3"}],
                    ents)

    a = report("d1", "Okaz", "قصف التحالف سوق المدينة في تعز", "e1")
    b = report("d2", "Al-Riyadh", "قصف الحوثي سوق المدينة في تعز", "e2")
    found = contradictions([a, b], cluster_events([a, b]))
    assert [x["kind"] for x in found] == ["actor"]
    _check_spans(found[0], [a, b])
    # one person the linker kept apart is not two actors
    ents2 = {**ents, "e1": {"type": "PER", "name": "عادل الجبير", "kb_id": None},
             "e2": {"type": "PER", "name": "عادل بن أحمد الجبير", "kb_id": None}}
    c = _doc("d3", "Okaz", "قصف عادل الجبير سوق المدينة في تعز",
             [{"type": "ASSAULT", "trigger_text": "قصف", "actor": "e1", "target": "e4",
               "location": "e3"}], ents2)
    d = _doc("d4", "Sabq", "قصف عادل بن أحمد الجبير سوق المدينة في تعز",
             [{"type": "ASSAULT", "trigger_text": "قصف", "actor": "e2", "target": "e4",
               "location": "e3"}], ents2)
    assert contradictions([c, d], cluster_events([c, d])) == []


def test_attribution_of_one_statement_to_two_people() -> None:
    quote = "إن الهدنة الإنسانية ستبدأ منتصف الليل وتستمر خمسة أيام كاملة"

    def claim_doc(did: str, outlet: str, who: str, conf: float) -> dict[str, Any]:
        text = f"قال {who} {quote}"
        a = text.find(quote)
        claim = {"id": "c1", "source": "e1", "source_text": who, "anonymous": False,
                 "cue": {"start": 0, "end": 3, "text": "قال"},
                 "content": {"start": a, "end": a + len(quote), "text": quote},
                 "channel": None, "time": None, "stance": "neutral", "via": None,
                 "confidence": conf}
        person = {"type": "PER", "name": who, "kb_id": f"rasd:{len(who)}"}
        return _doc(did, outlet, text, [], {"e1": person}, [claim])

    a, b = claim_doc("d1", "Okaz", "أحمد عسيري", 0.9), claim_doc("d2", "Sabq", "عادل الجبير", 0.8)
    assert contradictions([a, b], []) == []  # off by default: false on the judged sample
    (x,) = contradictions([a, b], [], kinds={"attribution"})
    assert x["kind"] == "attribution" and {x["a"]["source"], x["b"]["source"]} == {
        "أحمد عسيري", "عادل الجبير"}
    _check_spans(x, [a, b])
    unsure = claim_doc("d3", "Sabq", "عادل الجبير", 0.3)
    assert contradictions([a, unsure], [], kinds={"attribution"}) == []
    unlinked = claim_doc("d4", "Sabq", "عادل الجبير", 0.9)
    unlinked["entities"][0]["kb_id"] = None
    assert contradictions([a, unlinked], [], kinds={"attribution"}) == []
    with pytest.raises(ValueError, match="unknown contradiction kind"):
        contradictions([a], [], kinds={"dates"})


def test_framing_words_per_outlet_with_exact_spans() -> None:
    a = _doc("d1", "Okaz", "هاجمت ميليشيات الحوثي مدينة تعز", [], {"e2": HOUTHI, "e3": TAIZ})
    b = _doc("d2", "Al-Riyadh", "هاجمت جماعة الحوثي مدينة تعز", [], {"e2": HOUTHI, "e3": TAIZ})
    (f,) = framing([a, b])
    assert f["name"] == "الحوثي"
    assert f["outlets"]["Okaz"]["labels"] == ["militia"]
    assert f["outlets"]["Al-Riyadh"]["labels"] == ["group"]
    ev = f["outlets"]["Okaz"]["evidence"][0]
    assert a["document"]["text"][ev["start"]:ev["end"]] == ev["text"] == "ميليشيات"
    assert framing([a, a | {"document": {**a["document"], "id": "d9", "outlet": "Sabq"}}]) == []


def test_story_view_and_per_cluster_export() -> None:
    title = "غارة للتحالف على تعز تقتل سبعة أشخاص في سوق المدينة المزدحم"
    a = _attack("d1", "Okaz", title + "\nوقال شهود إن غارة للتحالف أصابت سوق تعز")
    b = _attack("d2", "Al-Riyadh", title + "\nوأضاف شهود أن غارة للتحالف أصابت سوق تعز")
    view = story_view([a, b], "st-x")
    assert [c["reports"] for c in view["event_clusters"]] == [2]
    idx = cluster_index([a, b])
    assert sum(1 for v in idx.values() if v["first"]) == 1
    csv_text = write_export([a, b], "acled-csv", per_cluster=True)
    rows = csv_text.strip().splitlines()
    assert len(rows) == 2 and rows[0].endswith("story,event_cluster,reports,outlets_reporting")
    assert rows[1].split(",")[-2:] == ["2", "2"]
    assert len(write_export([a, b], "acled-csv").strip().splitlines()) == 3
