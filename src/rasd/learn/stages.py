"""Learned claims and events: the rule stages' output as candidates and features, trained
decisions on the encoder's vectors as the answer.

* **Claims.** Every token gets a cue probability (the rule stage's cues, the cue lexicon and
  the hashed stem are features, so unseen cues such as كشف or لوّح can be found, and rule
  false alarms dropped). For each cue the source is chosen among the mentions of its
  sentence and the one before by a pair classifier; a verb with no written subject continues
  the previous speaker. Content, channel and stance come from the rule claim at the same cue
  when there is one, else from the complementizer to the end of the sentence.
* **Events.** Every token gets a PLOVER class (O or one of 16); for each trigger a pair
  classifier gives each candidate mention a role (actor, target, location, none), each role
  at most once, each only when its probability passes its threshold (an unnamed actor
  stays empty); a status classifier gives asserted / reported / expected / hypothetical /
  denied. Negation is the rule's (a negation word just before the trigger).
* **Confidence.** Each claim and event carries the product of its calibrated probabilities
  (temperatures fitted on the dev split).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from rasd.document import Claim, Document, Event, Mention, Span
from rasd.learn.features import (
    COMPLEMENTIZERS,
    EVENT_CLASSES,
    NEGATIONS,
    ROLES,
    STATUSES,
    DocFeatures,
    _onehot,
    candidate_mentions,
)
from rasd.learn.mlp import Mlp
from rasd.resources import read_tsv
from rasd.spans import SpanIndex

DEFAULT_DIR = Path(__file__).resolve().parent / "model"
ARG_TYPES = ("PER", "ORG", "GPE", "FAC", "LOC")
PLACE_TYPES = ("GPE", "LOC", "FAC")
# word starts of a doubted / denied claim (resources/claims/words.tsv), raw as trained
DOUBT = tuple(f for f, group in read_tsv("claims/words.tsv") if group == "learn_doubt")
DENY = tuple(f for f, group in read_tsv("claims/words.tsv") if group == "learn_deny")


def _cue_span(doc: Document, f: DocFeatures, k: int) -> Span:
    """The token without a leading conjunction (وأكد → أكد)."""
    tok = doc.tokens[k]
    a = tok.start
    for seg in tok.segments:
        if seg.kind == "conj":
            a = seg.end
        else:
            break
    return doc.span(a, tok.end)


def pair_extra(rank: int, rule_flags: tuple[float, ...], cls_onehot: np.ndarray) -> np.ndarray:
    return np.concatenate([_onehot(min(rank, 3), 4), np.asarray(rule_flags, np.float32),
                           cls_onehot])


def ranks(f: DocFeatures, k: int, cands: list[Mention]) -> list[int]:
    """Each candidate's rank by distance on its side of token ``k`` (0 = nearest)."""
    side: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for i, m in enumerate(cands):
        a, b = f.mention_tokens(m)
        before = b < k
        side[before].append((k - b if before else a - k, i))
    out = [0] * len(cands)
    for lst in side.values():
        for r, (_d, i) in enumerate(sorted(lst)):
            out[i] = r
    return out


class LearnedModels:
    def __init__(self, folder: Path = DEFAULT_DIR) -> None:
        meta = json.loads((folder / "learned.json").read_text(encoding="utf-8"))
        self.meta = meta
        self.cue = Mlp(folder / "cue.npz")
        self.source = Mlp(folder / "source.npz")
        self.trigger = Mlp(folder / "trigger.npz")
        self.role = Mlp(folder / "role.npz")
        self.status = Mlp(folder / "status.npz")
        self.lexicon = frozenset(meta.get("cue_words", []))
        self.th = meta["thresholds"]
        # Final-score calibration fitted on dev (rasd.train.calibrate): per layer, weights of
        # [logit(raw score), from-a-rule flag] and a bias; absent = raw scores.
        self.calibration: dict[str, list[float]] = dict(meta.get("calibration", {}))

    def calibrate(self, layer: str, raw: float, from_rule: bool) -> float:
        """The calibrated probability that a claim (cue + source) or an event (trigger +
        type) is right, from the product of the classifiers' probabilities."""
        w = self.calibration.get(layer)
        if not w:
            return raw
        p = min(max(raw, 1e-6), 1 - 1e-6)
        z = w[0] * float(np.log(p / (1 - p))) + w[1] * float(from_rule) + w[2]
        return float(1.0 / (1.0 + np.exp(-z)))

    _shared: dict[Path, LearnedModels] = {}

    @classmethod
    def load(cls, folder: Path | None = None) -> LearnedModels:
        p = Path(folder or DEFAULT_DIR).resolve()
        if p not in cls._shared:
            cls._shared[p] = cls(p)
        return cls._shared[p]


# -- claims --------------------------------------------------------------------------------


def cue_rows(f: DocFeatures, lexicon: frozenset[str]) -> np.ndarray:
    return f.token_rows(lexicon) if f.views else np.zeros((0, 1), np.float32)


def source_rows(f: DocFeatures, k: int, cands: list[Mention]) -> np.ndarray:
    rule = f.rule_cue.get(k)
    rk = ranks(f, k, cands)
    rows = []
    for m, r in zip(cands, rk, strict=True):
        is_rule = float(rule is not None and rule.source is not None and rule.source == m.entity)
        text_rule = float(rule is not None and bool(rule.source_text)
                          and m.text in (rule.source_text or ""))
        rows.append(f.pair_row(k, m, pair_extra(r, (is_rule, text_rule, 0.0),
                                                 np.zeros(0, np.float32))))
    return np.stack(rows)


class LearnedClaimStage:
    """Replaces ``doc.claims`` (read as candidates and features) with the learned decisions."""

    def __init__(self, models: LearnedModels | None = None) -> None:
        self.m = models or LearnedModels.load()

    def __call__(self, doc: Document) -> None:
        if doc.encoding is None or not doc.tokens:
            return
        f = DocFeatures.build(doc)
        P = self.m.cue.probs(cue_rows(f, self.m.lexicon))
        mentions = sorted((m for m in doc.mentions if m.type in ARG_TYPES),
                          key=lambda m: m.start)
        th_cue, th_src = self.m.th["cue"], self.m.th["source"]
        claims: list[Claim] = []
        last_speaker: tuple[str | None, str | None] | None = None
        # A rule claim marked doubt or denial (يزعم, ادعاءات, نفى) is the outlet's or the
        # speaker's stance, rare in the training data: kept whatever the cue classifier says.
        keep = {k for k, c in f.rule_cue.items() if c.stance in ("doubt", "deny")}
        for k in sorted(set(np.flatnonzero(P >= th_cue).tolist()) | keep):
            if f.views[k].is_punct or f.sent[k] < 0:
                continue
            rule = f.rule_cue.get(k)
            cands = candidate_mentions(f, k, mentions)
            src, p_src = None, 0.0
            if cands:
                ps = self.m.source.probs(source_rows(f, k, cands))
                i = int(np.argmax(ps))
                p_src = float(ps[i])
                if p_src >= th_src:
                    src = cands[i]
            conf = float(P[k])
            if rule is not None:
                c = Claim(rule.id, rule.source, rule.source_text, rule.anonymous, rule.cue,
                          rule.content, rule.channel, rule.time, rule.stance, rule.via)
                replace = self.m.th.get("replace_rule_source", False) or not (
                    rule.source or rule.source_text)
                if replace and src is not None and src.entity and src.entity != rule.source:
                    c.source, c.source_text, c.anonymous = src.entity, src.text, False
                conf *= p_src if src is not None else 1.0
            else:
                cue = _cue_span(doc, f, k)
                if src is not None:
                    source, text = src.entity, src.text
                    conf *= p_src
                elif last_speaker is not None:
                    source, text = last_speaker
                else:
                    continue  # a cue with no speaker at all is not reported
                c = Claim("", source, text, False, cue, _content(doc, f, k),
                          stance=_stance(f.views[k].bare))
            c.confidence = round(self.m.calibrate("claims", conf, rule is not None), 3)
            claims.append(c)
            last_speaker = (c.source, c.source_text)
        ids = {}
        for i, c in enumerate(claims, 1):
            if c.id:
                ids[c.id] = f"c{i}"
            c.id = f"c{i}"
        contents = SpanIndex(claims, span=lambda o: (o.content.start, o.content.end)
                             if o.content else None)
        for c in claims:  # via: the innermost claim whose content holds the cue
            holders = [o for o in contents.containing(c.cue.start, c.cue.start + 1)
                       if o is not c]
            c.via = (min(holders, key=lambda o: o.content.end - o.content.start).id
                     if holders else None)
        doc.claims = claims


def _stance(bare: str) -> str:
    if bare.startswith(DOUBT):
        return "doubt"
    if bare.startswith(DENY):
        return "deny"
    return "neutral"


def _content(doc: Document, f: DocFeatures, k: int) -> Span | None:
    """After the complementizer or colon within the next 8 tokens, to the sentence's end."""
    s = f.sent[k]
    sent = doc.sentences[s]
    j_end = int(np.searchsorted(f.starts, sent.end))
    start = None
    for j in range(k + 1, min(j_end, k + 9)):
        v = f.views[j]
        if v.bare in COMPLEMENTIZERS or v.text in (":", "«", "\"", "“"):
            start = j + 1
            break
    if start is None:
        start = k + 1
    while start < j_end and f.views[start].is_punct:
        start += 1
    end = j_end - 1
    while end >= start and f.views[end].is_punct:
        end -= 1
    if end < start:
        return None
    return doc.span(int(f.starts[start]), int(f.ends[end]))


# -- events --------------------------------------------------------------------------------


def role_rows(f: DocFeatures, k: int, cls: str, cands: list[Mention]) -> np.ndarray:
    rule = f.rule_event.get(k)
    ev = rule[1] if rule else None
    rk = ranks(f, k, cands)
    oh = _onehot(EVENT_CLASSES.index(cls), len(EVENT_CLASSES))
    rows = []
    for m, r in zip(cands, rk, strict=True):
        flags = (float(ev is not None and ev.actor is not None and ev.actor == m.entity),
                 float(ev is not None and ev.target is not None and ev.target == m.entity),
                 float(ev is not None and ev.location is not None and ev.location == m.entity))
        rows.append(f.pair_row(k, m, pair_extra(r, flags, oh)))
    return np.stack(rows)


def status_row(f: DocFeatures, k: int, cls: str, lexicon: frozenset[str]) -> np.ndarray:
    rule = f.rule_event.get(k)
    rs = STATUSES.index(rule[1].status) if rule and rule[1].status in STATUSES else -1
    return np.concatenate([f.token_row(k, lexicon), _onehot(rs, len(STATUSES)),
                           _onehot(EVENT_CLASSES.index(cls), len(EVENT_CLASSES))])


def trigger_head_probs(doc: Document, f: DocFeatures) -> np.ndarray | None:
    """Per token of ``f``, P(no trigger) and P(a trigger of each PLOVER type begins here)
    from the encoder's ``event`` head (IOB2), in ``EVENT_CLASSES`` order; None when the
    shipped encoder has no such head."""
    enc = doc.encoding
    if enc is None or "event" not in getattr(enc, "extra", {}):
        return None
    labels = enc.extra_labels["event"]
    lp = enc.extra["event"]
    cols = [labels.index(f"B-{c}") if f"B-{c}" in labels else None for c in EVENT_CLASSES[1:]]
    probs = np.exp(lp.astype(np.float64))
    out = np.zeros((len(f.views), len(EVENT_CLASSES)), dtype=np.float64)
    for j, c in enumerate(cols, 1):  # the encoding's rows are the document's tokens
        if c is not None:
            out[:, j] = probs[: len(f.views), c]
    out[:, 0] = np.clip(1.0 - out[:, 1:].sum(1), 0.0, 1.0)
    return out


class LearnedEventStage:
    """Replaces ``doc.events`` (read as candidates and features) with the learned decisions."""

    def __init__(self, models: LearnedModels | None = None) -> None:
        self.m = models or LearnedModels.load()
        self._rules = None

    def _rule_status(self, doc: Document, f: DocFeatures, k: int, claim) -> tuple[str, bool]:
        from rasd.events.arguments import EventStage
        from rasd.text.views import views_in

        if self._rules is None:
            self._rules = EventStage()
        sent = doc.sentences[int(f.sent[k])]
        toks = views_in(doc, sent.start, sent.end)
        i = next((j for j, v in enumerate(toks) if v.start == f.views[k].start), None)
        if i is None:
            return "asserted", False
        return self._rules._status(doc, toks, i, claim)

    def __call__(self, doc: Document) -> None:
        if doc.encoding is None or not doc.tokens:
            return
        f = DocFeatures.build(doc)
        X = cue_rows(f, self.m.lexicon)
        P = self.m.trigger.probs(X)
        mix = float(self.m.th.get("trigger_head_weight", 0.0))
        head = trigger_head_probs(doc, f) if mix > 0 else None
        if head is not None:  # the encoder's own trigger head (fine-tuned)
            P = (1 - mix) * P + mix * head
        mentions = sorted((m for m in doc.mentions if m.type in ARG_TYPES),
                          key=lambda m: m.start)
        by_id = {m.id: m for m in mentions}
        del by_id
        th = self.m.th
        best = 1 + P[:, 1:].argmax(1)  # the likeliest event class
        p_event = 1.0 - P[:, 0]
        learned = p_event >= th["trigger"]
        events: list[Event] = []
        for k in sorted(set(np.flatnonzero(learned).tolist()) | set(f.rule_event)):
            if f.views[k].is_punct or f.sent[k] < 0:
                continue
            rule = f.rule_event.get(k)
            rule_ev = rule[1] if rule else None
            if learned[k] or rule_ev is None:
                cls = EVENT_CLASSES[int(best[k])]
            else:  # a rule trigger the classifier does not confirm: the rule's class
                cls = rule_ev.type
            p_trig = float(p_event[k])
            trig = rule_ev.trigger if rule_ev is not None else _cue_span(doc, f, k)
            cands = candidate_mentions(f, k, mentions)
            roles: dict[str, tuple[Mention, float]] = {}
            if cands:
                R = self.m.role.probs(role_rows(f, k, cls, cands))
                used: set[int] = set()
                for ri in np.argsort(-R[:, 1:].max(1)).tolist():
                    r = int(np.argmax(R[ri, 1:])) + 1
                    role = ROLES[r]
                    if role in roles or ri in used or R[ri, r] < th.get(f"role_{role}",
                                                                          th["role"]):
                        continue
                    m = cands[ri]
                    if role == "location" and m.type not in PLACE_TYPES:
                        continue
                    if any(x[0].entity == m.entity for x in roles.values()):
                        continue
                    roles[role] = (m, float(R[ri, r]))
                    used.add(ri)
            S = self.m.status.probs(status_row(f, k, cls, self.m.lexicon)[None])[0]
            status = STATUSES[int(np.argmax(S))]
            prev = [f.views[j].norm for j in range(max(0, k - 2), k)]
            negated = any(p in NEGATIONS for p in prev)
            ci = int(f.content_of[k])
            claim = doc.claims[ci].id if 0 <= ci < len(doc.claims) else None
            if rule_ev is not None and th.get("rule_status", True):
                status = rule_ev.status  # measured on dev: the rule's status is better
            elif th.get("rule_status_everywhere", False):
                # the rules' status cues (future, conditional, a reporting claim, denial) for
                # a trigger only the model found
                status, negated = self._rule_status(doc, f, k, doc.claims[ci]
                                                    if 0 <= ci < len(doc.claims) else None)
            conf = p_trig * float(S.max())
            if "actor" in roles:
                conf *= roles["actor"][1]
            ev = Event("", cls, rule_ev.mode if rule_ev is not None and rule_ev.type == cls
                       else None, trig,
                       actor=roles["actor"][0].entity if "actor" in roles else None,
                       target=roles["target"][0].entity if "target" in roles else None,
                       location=roles["location"][0].entity if "location" in roles else None,
                       time=rule_ev.time if rule_ev is not None else None,
                       status=status, negated=negated, claim=claim,
                       sentence=int(f.sent[k]))
            ev.confidence = round(self.m.calibrate("events", conf, rule_ev is not None), 3)
            events.append(ev)
        for i, ev in enumerate(events, 1):
            ev.id = f"v{i}"
        doc.events = events
