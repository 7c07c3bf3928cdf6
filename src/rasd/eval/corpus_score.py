"""Scoring rasd against the span-level corpus (``eval/corpus/``): mentions, claims, events.

Unlike ``rasd.eval.gold`` (partial gold, recall on forms), the corpus is exhaustive, so every
figure has a precision. Matching is by character offsets:

* **mentions**: exact ``[start, end)`` and type (also reported: boundaries only; overlap).
  Nested gold mentions are flattened to the outermost, as a flat tagger outputs them.
* **entities**: a predicted entity stands for the gold entity with which its mentions share
  the most characters; an argument (source, actor, target) is right when it stands for the
  gold argument's entity; a missing argument is right only when the gold one is missing too.
* **claims** (cue + source): the cue spans overlap and the source is right (the same entity,
  or, for a source that is no entity, overlapping source text). Content boundary F1 is the
  token-overlap F1 of the content spans of matched claims, averaged.
* **events**: trigger spans overlap and the types are equal (``type``); plus the actor is
  right (``type+actor``); plus the target (``type+actor+target``). Status accuracy is over
  events matched on trigger and type.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rasd.document import Document
from rasd.eval.corpus import Article

_WORD = re.compile(r"\w+")


@dataclass
class PRF:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, tp: int, pred: int, gold: int) -> None:
        self.tp += tp
        self.pred += pred
        self.gold += gold

    @property
    def p(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def row(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f1": round(self.f1, 4),
                "gold": self.gold, "pred": self.pred, "tp": self.tp}


@dataclass
class Scores:
    prf: dict[str, PRF] = field(default_factory=dict)
    means: dict[str, list[float]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def get(self, name: str) -> PRF:
        return self.prf.setdefault(name, PRF())

    def mean(self, name: str, value: float) -> None:
        self.means.setdefault(name, []).append(value)

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: v.row() for k, v in sorted(self.prf.items())}
        for k, vs in sorted(self.means.items()):
            out[k] = {"mean": round(sum(vs) / len(vs), 4) if vs else 0.0, "n": len(vs)}
        for k, v in sorted(self.counts.items()):
            out.setdefault("counts", {})[k] = v
        return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _span(x: Any) -> tuple[int, int] | None:
    if x is None:
        return None
    if isinstance(x, dict):
        return (x["start"], x["end"]) if "start" in x else None
    return (x.start, x.end)


def outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for a, b, t in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and a < out[-1][1]:
            continue
        out.append((a, b, t))
    return out


def score_mentions(sc: Scores, art: Article, doc: Document, prefix: str = "mentions",
                   pred_mentions: list | None = None) -> None:
    """``prefix`` "mentions": the final mention layer (NER + linking's additions: nisba
    adjectives, descriptions, back-references); "ner": the NER stage's output alone."""
    gold = outermost([(m["start"], m["end"], e["type"]) for e, m in art.mentions()])
    pred = [(m.start, m.end, m.type) for m in (doc.mentions if pred_mentions is None
                                                else pred_mentions)]
    g, p = set(gold), set(pred)
    sc.get(f"{prefix}.exact").add(len(g & p), len(p), len(g))
    for typ in ("PER", "ORG", "GPE", "LOC", "FAC"):
        gt = {x for x in g if x[2] == typ}
        pt = {x for x in p if x[2] == typ}
        sc.get(f"{prefix}.exact.{typ}").add(len(gt & pt), len(pt), len(gt))
    gs, ps = {(a, b) for a, b, _ in g}, {(a, b) for a, b, _ in p}
    sc.get(f"{prefix}.span").add(len(gs & ps), len(ps), len(gs))
    if prefix != "mentions":
        return
    hit_p = sum(any(_overlap((a, b), (c, d)) for c, d, _ in gold) for a, b, _ in pred)
    hit_g = sum(any(_overlap((a, b), (c, d)) for c, d, _ in pred) for a, b, _ in gold)
    ov = sc.get("mentions.overlap")
    ov.tp += hit_g
    ov.gold += len(gold)
    ov.pred += len(pred)
    sc.counts["mentions.overlap.pred_hits"] += hit_p


def entity_map(art: Article, doc: Document) -> dict[str, str]:
    """Predicted entity id → the gold entity id its mentions overlap most."""
    gold_spans = [(m["start"], m["end"], e["id"]) for e, m in art.mentions()]
    votes: dict[str, Counter] = {}
    for m in doc.mentions:
        if not m.entity:
            continue
        for a, b, gid in gold_spans:
            ov = _overlap((m.start, m.end), (a, b))
            if ov:
                votes.setdefault(m.entity, Counter())[gid] += ov
    return {pid: c.most_common(1)[0][0] for pid, c in votes.items()}


def _tokens(text: str, span: tuple[int, int] | None) -> set[int]:
    if span is None:
        return set()
    return {m.start() + span[0] for m in _WORD.finditer(text[span[0]:span[1]])}


def _token_f1(text: str, a: tuple[int, int] | None, b: tuple[int, int] | None) -> float:
    ta, tb = _tokens(text, a), _tokens(text, b)
    if not ta and not tb:
        return 1.0
    if not ta or not tb:
        return 0.0
    inter = len(ta & tb)
    if not inter:
        return 0.0
    p, r = inter / len(ta), inter / len(tb)
    return 2 * p * r / (p + r)


def _arg_ok(pred_entity: str | None, pred_span: tuple[int, int] | None, gold: dict | None,
            emap: dict[str, str]) -> bool:
    """A predicted argument against a gold one (both may be missing)."""
    if gold is None:
        return pred_entity is None and pred_span is None
    if pred_entity is not None and emap.get(pred_entity) == gold.get("entity"):
        return True
    gs = _span(gold)
    return gs is not None and pred_span is not None and _overlap(gs, pred_span) > 0


def _match(pairs: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on a score (highest first)."""
    used_g, used_p, out = set(), set(), []
    for gi, pi, _ in sorted(pairs, key=lambda x: -x[2]):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score_claims(sc: Scores, art: Article, doc: Document, emap: dict[str, str]) -> None:
    text = art.text
    gold, pred = art.claims, doc.claims
    cue_pairs = [(gi, pi, _overlap(_span(g["cue"]), _span(p.cue)))
                 for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                 if _overlap(_span(g["cue"]), _span(p.cue))]
    cue_m = _match(cue_pairs)
    sc.get("claims.cue").add(len(cue_m), len(pred), len(gold))
    both = 0
    for gi, pi in cue_m:
        g, p = gold[gi], pred[pi]
        src_ok = _source_ok(text, g, p, emap)
        if src_ok:
            both += 1
            sc.mean("claims.content_f1", _token_f1(text, _span(p.content), _span(g["content"])))
        sc.mean("claims.content_f1_cue_matched",
                _token_f1(text, _span(p.content), _span(g["content"])))
        if g.get("channel"):
            sc.get("claims.channel").add(int(p.channel == g["channel"]), 1, 1)
        gs, ps = g.get("stance", "assert"), _stance(p.stance)
        sc.get("claims.stance_acc").add(int(gs == ps), 1, 1)
        sc.get("claims.anonymous_acc").add(int(bool(p.anonymous) == g["anonymous"]), 1, 1)
    sc.get("claims.cue+source").add(both, len(pred), len(gold))


def _stance(s: str | None) -> str:
    return {"doubt": "doubt", "deny": "deny"}.get(s or "", "assert")


def _source_ok(text: str, g: dict, p: Any, emap: dict[str, str]) -> bool:
    if g.get("source_entity") and p.source and emap.get(p.source) == g["source_entity"]:
        return True
    gsrc = g.get("source")
    if gsrc and p.source_text:
        gw = set(_WORD.findall(gsrc["text"]))
        pw = set(_WORD.findall(p.source_text))
        return bool(gw & pw) and len(gw & pw) >= min(len(gw), len(pw)) / 2
    return False


def score_events(sc: Scores, art: Article, doc: Document, emap: dict[str, str]) -> None:
    gold, pred = art.events, doc.events
    pairs = [(gi, pi, _overlap(_span(g["trigger"]), _span(p.trigger)))
             for gi, g in enumerate(gold) for pi, p in enumerate(pred)
             if _overlap(_span(g["trigger"]), _span(p.trigger))]
    trig_m = _match(pairs)
    sc.get("events.trigger").add(len(trig_m), len(pred), len(gold))
    typed = [(gi, pi) for gi, pi in trig_m if gold[gi]["type"] == pred[pi].type]
    sc.get("events.type").add(len(typed), len(pred), len(gold))
    ta = tat = 0
    for gi, pi in typed:
        g, p = gold[gi], pred[pi]
        a_ok = _arg_ok(p.actor, None, g.get("actor"), emap)
        t_ok = _arg_ok(p.target, None, g.get("target"), emap)
        ta += a_ok
        tat += a_ok and t_ok
        sc.get("events.status_acc").add(int(p.status == g["status"]), 1, 1)
        sc.get("events.negated_acc").add(int(bool(p.negated) == g["negated"]), 1, 1)
        if g.get("location"):
            sc.get("events.location_acc").add(
                int(_arg_ok(p.location, None, g["location"], emap)), 1, 1)
    sc.get("events.type+actor").add(ta, len(pred), len(gold))
    sc.get("events.type+actor+target").add(tat, len(pred), len(gold))
    # roles over all gold arguments of type-matched events
    for gi, pi in typed:
        g, p = gold[gi], pred[pi]
        for role in ("actor", "target", "location"):
            if g.get(role):
                sc.get(f"events.role.{role}").add(
                    int(_arg_ok(getattr(p, role), None, g[role], emap)), 1, 1)


def score_article(sc: Scores, art: Article, doc: Document, ner_mentions: list | None = None
                  ) -> None:
    if doc.text != art.text:
        raise ValueError(f"{art.id}: the analysed text differs from the corpus text")
    if ner_mentions is not None:
        score_mentions(sc, art, doc, "ner", ner_mentions)
    score_mentions(sc, art, doc)
    emap = entity_map(art, doc)
    score_claims(sc, art, doc, emap)
    score_events(sc, art, doc, emap)
    sc.counts["articles"] += 1


def _headline(v: dict[str, Any]) -> float:
    return v["mean"] if "mean" in v else v["f1"] if "f1" in v else v["p"]


def format_report(rep: dict[str, Any], title: str = "", base: dict[str, Any] | None = None,
                  prefixes: tuple[str, ...] = ()) -> str:
    """One line per figure (P, R, F1 or accuracy, counts); with ``base`` (the rules-only
    pipeline's report) a last column gives its F1 / accuracy beside the model's."""
    lines = [title] if title else []
    extra = f"{'rules':>8}" if base is not None else ""
    lines.append(f"  {'figure':<30}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}{extra}")
    for k, v in rep.items():
        if k == "counts" or (prefixes and not k.startswith(prefixes)):
            continue
        if "mean" in v:
            line = f"  {k:<30}{'':>14}{v['mean']:7.3f}{v['n']:7d}{'':>7}"
        elif k.endswith("_acc"):
            line = f"  {k:<30}{'':>14}{v['p']:7.3f}{v['gold']:7d}{'':>7}"
        else:
            line = (f"  {k:<30}{v['p']:7.3f}{v['r']:7.3f}{v['f1']:7.3f}{v['gold']:7d}"
                    f"{v['pred']:7d}")
        if base is not None:
            line += f"{_headline(base[k]):8.3f}" if k in base else f"{'—':>8}"
        lines.append(line)
    return "\n".join(lines)


def _is_ner(stage: Any) -> bool:
    return type(stage).__name__ in ("NerTagger", "E5NerTagger", "TransformersTagger")


def evaluate(folder, data, pipeline=None, limit: int | None = None) -> dict[str, Any]:
    """Analyse every article of a corpus folder (e.g. ``eval/corpus/dev``) on its exact text
    (no ingest cleaning, so offsets agree) and score it."""
    from pathlib import Path

    from rasd.eval.corpus import load_article
    from rasd.pipeline import Pipeline

    pipeline = pipeline or Pipeline()
    sc = Scores()
    paths = sorted(Path(folder).glob("*.json"))[:limit]
    for path in paths:
        art = load_article(path, Path(data))
        doc = Document(text=art.text, id=art.id, title=art.record["title"],
                       published=art.record["date"][:10], outlet=art.record.get("outlet"))
        ner_mentions = None
        for stage in pipeline.stages:
            stage(doc)
            if _is_ner(stage):
                ner_mentions = list(doc.mentions)
        score_article(sc, art, doc, ner_mentions)
    return sc.report()


def scored_outcomes(art: Article, doc: Document) -> dict[str, list[tuple[float, bool]]]:
    """(confidence, correct) for every scored prediction, with the scorer's own matching:
    a claim is correct when its cue matches a gold cue and the source agrees; an event when
    its trigger matches a gold trigger of the same type (``events``) and also the actor
    (``events+actor``). Unscored predictions (rules only) are left out. For calibration."""
    emap = entity_map(art, doc)
    text = art.text
    out: dict[str, list[tuple[float, bool]]] = {"claims": [], "events": [],
                                                "events+actor": []}
    gold = art.claims
    pairs = [(gi, pi, _overlap(_span(g["cue"]), _span(p.cue)))
             for gi, g in enumerate(gold) for pi, p in enumerate(doc.claims)
             if _overlap(_span(g["cue"]), _span(p.cue))]
    ok = {pi for gi, pi in _match(pairs) if _source_ok(text, gold[gi], doc.claims[pi], emap)}
    for pi, p in enumerate(doc.claims):
        if p.confidence is not None:
            out["claims"].append((float(p.confidence), pi in ok))
    gold = art.events
    pairs = [(gi, pi, _overlap(_span(g["trigger"]), _span(p.trigger)))
             for gi, g in enumerate(gold) for pi, p in enumerate(doc.events)
             if _overlap(_span(g["trigger"]), _span(p.trigger))]
    typed = {pi: gi for gi, pi in _match(pairs) if gold[gi]["type"] == doc.events[pi].type}
    for pi, p in enumerate(doc.events):
        if p.confidence is None:
            continue
        t_ok = pi in typed
        a_ok = t_ok and _arg_ok(p.actor, None, gold[typed[pi]].get("actor"), emap)
        out["events"].append((float(p.confidence), t_ok))
        out["events+actor"].append((float(p.confidence), a_ok))
    return out
