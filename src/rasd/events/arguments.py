"""Events from sentences: trigger → actor, target, location, time, status.

Arabic order is mostly VSO (التقى المبعوث حفتر), also SVO (ألمانيا ترفض الحل) and nominal /
masdar constructions (العدوان الذي بدأه حفتر على طرابلس، زيارة المبعوث إلى ليبيا). For a trigger
the actor is the first named entity after it that is not introduced by a preposition (VSO, or
the genitive after a masdar), else the nearest entity before it in the same clause (SVO), else
— inside reported speech opened by أنه/إنهم — the claim's source. The target is the entity
introduced by one of the trigger's frame prepositions (مع، على، إلى، ضد، ب …) or, for
transitive verbs, the next entity after the actor. A place is a GPE/LOC/FAC introduced by
في or بـ. Status: ``denied`` when carried by a denial, ``hypothetical`` after a conditional,
``expected`` with a future marker (سـ، سوف، قريبا، من المتوقع), ``reported`` inside a claim,
else ``asserted``; ``negated`` when لم/لن/لا/ليس/غير stands just before the trigger.
"""

from __future__ import annotations

from rasd.document import Claim, Document, Event, Mention, Span
from rasd.events.triggers import Trigger, TriggerLexicon, trigger_lexicon
from rasd.memo import BoundedMemo
from rasd.spans import SpanIndex
from rasd.text.arabic import words
from rasd.text.normalize import norm
from rasd.text.views import TokenView, views_in

ARG_TYPES = ("PER", "ORG", "GPE", "FAC", "LOC")
PLACE_TYPES = ("GPE", "LOC", "FAC")
_FI = norm("في")
_BAYNA = norm("بين")
_CLAUSE_WORDS = words(tag="clause_start")
_COMPS = words("complementizer", tag="events")
_PRONOUN_COMPS = words("complementizer", tag="pron3")  # أنه، بأنهم: the pronoun is the speaker
NEGATION_WINDOW = 2
MAX_ARG_DISTANCE = 12  # tokens


class EventStage:
    """Fills ``doc.events``; reads sentences, tokens, mentions (entities), times, claims."""

    def __init__(self, lex: TriggerLexicon | None = None) -> None:
        self.lex = lex or trigger_lexicon()
        self._by_first: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        for key, trig in self.lex.phrases:  # phrases indexed by their first word
            self._by_first.setdefault(key[0], []).append((key, trig))
        # status cues are looked up by word n-gram, one dict probe per length (not a scan of
        # the whole cue list at every word of the clause)
        self._status_lengths = sorted({len(key) for key in self.lex.status})
        self._cands = BoundedMemo(self._candidates)  # (norm, bare, core) → see _candidates
        # a trigger can begin at a word only if its norm, bare or core form is a phrase's
        # first word or a trigger word: every other word is skipped unlooked-at
        self._firsts = frozenset(self._by_first) | frozenset(self.lex.words)

    def __call__(self, doc: Document) -> None:
        events: list[Event] = []
        mentions = sorted((m for m in doc.mentions if m.type in ARG_TYPES),
                          key=lambda m: m.start)
        titled = _titled_people(doc)
        by_span, titled_by_span = SpanIndex(mentions), SpanIndex(titled)
        for si, sent in enumerate(doc.sentences):
            toks = views_in(doc, sent.start, sent.end)
            ments = _with_titles(by_span.within(sent.start, sent.end),
                                 titled_by_span.overlapping(sent.start, sent.end))
            after = 0  # token index after the last trigger
            firsts = self._firsts
            for i in [i for i, t in enumerate(toks)
                      if t.norm in firsts or t.bare in firsts or t.core in firsts]:
                hit = self._trigger_at(toks, i) if i >= after else None
                if hit is None or _inside(ments, toks[i].start):
                    continue
                trig, n = hit
                events.append(self._event(doc, toks, ments, i, n, trig, si,
                                          f"v{len(events) + 1}"))
                after = i + n
        doc.events = events

    def _candidates(self, forms: tuple[str, str, str]) -> list[tuple[tuple[str, ...], Trigger]]:
        """Once per word form: the phrases that may start here, longest first."""
        cands = [kt for w in dict.fromkeys(forms) for kt in self._by_first.get(w, ())]
        cands.sort(key=lambda kt: -len(kt[0]))
        return cands

    def _trigger_at(self, toks: list[TokenView], i: int) -> tuple[Trigger, int] | None:
        t0 = toks[i]
        forms = (t0.norm, t0.bare, t0.core)
        for key, trig in self._cands(forms):
            n = len(key)
            if i + n <= len(toks) and all(_word_match(w, toks[i + k], k == 0)
                                          for k, w in enumerate(key)):
                return trig, n
        t = toks[i]
        trig = self.lex.words.get(t.norm) or self.lex.words.get(t.bare)
        if trig is None and t.bare.startswith("س") and t.core != t.bare:  # سيهاجم
            trig = self.lex.words.get(t.core)
        if trig is None and t.has_prep:  # بزيارة، لطرد: a masdar after a preposition
            trig = self.lex.words.get(t.core)
            if trig is not None and trig.kind != "noun":
                trig = None
        return (trig, 1) if trig else None

    def _event(self, doc: Document, toks: list[TokenView], ments: list[Mention], i: int, n: int,
               trig: Trigger, si: int, eid: str) -> Event:
        a, b = toks[i].start, toks[i + n - 1].end
        clause_lo = toks[_clause_start(toks, i)].start
        after = [m for m in ments if m.start >= b and _token_distance(toks, b, m.start)
                 <= MAX_ARG_DISTANCE]
        before = [m for m in ments if clause_lo <= m.start and m.end <= a]
        actor_m: Mention | None = None
        target_m: Mention | None = None
        place_m: Mention | None = None
        # SVO: a bare (not prepositional) entity already stands before the verb in its clause.
        subject_before = trig.kind in ("verb", "phrase") and any(
            _prep_before(doc, toks, m) is None for m in before)
        # A masdar with a pronoun (لقائه) has its actor before it, never after.
        pronoun_noun = trig.kind == "noun" and n == 1 and toks[i].has_pron
        # أنه التقى X / بأنه يقاتل X: the pronoun is the subject, X the object.
        pronoun_subject = trig.kind in ("verb", "phrase") and i > 0 and (
            toks[i - 1].bare in _PRONOUN_COMPS or toks[i - 1].core in _PRONOUN_COMPS)
        stop = _scan_end(toks, i + n)
        between: Mention | None = None
        for m in after:
            if m.start >= stop:
                break
            prep = _prep_before(doc, toks, m)
            if between is not None and _conj_start(toks, m):  # بين باريس وطرابلس
                actor_m, target_m = between, m
                break
            if (actor_m or target_m or subject_before) and _conj_start(toks, m):
                break
            if prep == _BAYNA and actor_m is None:
                between = m
                continue
            if prep is not None and prep in trig.actor_preps and actor_m is None:
                actor_m = m  # وصول تجهيزات من تركيا
            elif prep is not None and prep in trig.preps and target_m is None:
                target_m = m
            elif prep in (_FI, "ب") and m.type in PLACE_TYPES and place_m is None:
                place_m = m
            elif prep is None and actor_m is None and not (subject_before or pronoun_noun
                                                            or pronoun_subject):
                actor_m = m
            elif prep is None and target_m is None and "=" in trig.preps:
                target_m = m
        before = [m for m in before if _prep_before(doc, toks, m) is None]
        if actor_m is not None and not _can_act(doc, actor_m):
            # تحرير قاعدة العند: a place after a masdar is what is acted on, not the actor
            if target_m is None and "=" in trig.preps:
                target_m = actor_m
            actor_m = None
        if actor_m is None and i > 0 and toks[i - 1].bare in _CLAUSE_WORDS:
            # طيران التحالف الذي قصف: the relative's antecedent acts
            ante = [m for m in ments if m.end <= toks[i - 1].start]
            if ante and _can_act(doc, ante[-1]):
                actor_m = ante[-1]
        if actor_m is None and before:
            actor_m = next((m for m in reversed(before) if _can_act(doc, m)), None)
            # X وY تمكنا من …: the first of two coordinated subjects is the key actor
            k = before.index(actor_m) if actor_m in before else -1
            if k > 0 and _conj_start(toks, actor_m) and _can_act(doc, before[k - 1]):
                actor_m = before[k - 1]
        claim = _claim_holding(doc, a, b)
        actor = _entity(actor_m)
        if actor is None and claim is not None and claim.content is not None:
            head = doc.text[claim.content.start:claim.content.end].split(maxsplit=1)
            if head and norm(head[0]) in _PRONOUN_COMPS:
                actor = claim.source
        if target_m is not None and _entity(target_m) == actor:
            target_m = None
        time = _nearest_time(doc, a, b, toks)
        status, negated = self._status(doc, toks, i, claim)
        return Event(id=eid, type=trig.type, mode=trig.mode,
                     trigger=Span(a, b, doc.text[a:b]), actor=actor, target=_entity(target_m),
                     location=_entity(place_m), time=time, status=status, negated=negated,
                     claim=claim.id if claim else None, sentence=si)

    def _status(self, doc: Document, toks: list[TokenView], i: int,
                claim: Claim | None) -> tuple[str, bool]:
        lo = _clause_start(toks, i)
        window = toks[lo:i + 1]
        bares = [t.bare for t in window]
        norms = [t.norm for t in window]
        status = self.lex.status
        kinds = set()
        for k in range(len(window)):
            for n in self._status_lengths:
                if k + n > len(window):
                    break
                for key in (tuple(bares[k:k + n]), tuple(norms[k:k + n])):
                    kind = status.get(key)
                    if kind is not None and (kind != "negation"
                                             or i - (lo + k) <= NEGATION_WINDOW):
                        kinds.add(kind)
        trig_tok = toks[i]
        seg_future = trig_tok.norm.startswith(("س", "وس")) and trig_tok.core != trig_tok.bare \
            and len(trig_tok.bare) > len(trig_tok.core)
        if claim is not None and claim.stance == "deny":
            return "denied", "negation" in kinds
        if "conditional" in kinds:
            return "hypothetical", "negation" in kinds
        if "future" in kinds or seg_future or _has_future_clitic(doc, trig_tok):
            return "expected", "negation" in kinds
        if claim is not None:
            return "reported", "negation" in kinds
        return "asserted", "negation" in kinds


def _has_future_clitic(doc: Document, t: TokenView) -> bool:
    return any(tok.start == t.start and any(g.kind == "fut" for g in tok.segments)
               for tok in doc.tokens_in(t.start, t.end))


def _word_match(w: str, t: TokenView, first: bool) -> bool:
    if w.endswith("*"):
        stem = w[:-1]
        return t.core.startswith(stem) or t.bare.startswith(stem) or \
            t.bare.removeprefix("ب").removeprefix("ال").startswith(stem)
    return w in (t.norm, t.bare, t.core) if first else w in (t.norm, t.bare, t.core)


def _can_act(doc: Document, m: Mention) -> bool:
    """Places do not act, countries do: a city, region or facility is never the actor."""
    if m.type in ("LOC", "FAC"):
        return False
    if m.type == "GPE":
        ent = next((e for e in doc.entities if e.id == m.entity), None)
        return ent is None or not (ent.kb_id or "").startswith("gn:")
    return True


def _titled_people(doc: Document) -> list[Mention]:
    """A person with a title (الأمين العام لمجلس التعاون … الزياني) is one argument from the
    title's first word to the name's end; the bodies named inside the title are not."""
    by_id = {m.id: m for m in doc.mentions}
    units = []
    for e in doc.entities:
        for r in e.roles:
            m = by_id.get(r.mention or "")
            if m is None:
                continue
            at = doc.text.rfind(r.title, max(0, m.start - len(r.title) - 3), m.start)
            if at >= 0 and m.start - (at + len(r.title)) <= 2:
                units.append(Mention(m.id, at, m.end, doc.text[at:m.end], m.type, m.entity,
                                     m.score))
    return units


def _with_titles(ments: list[Mention], titled: list[Mention]) -> list[Mention]:
    for u in titled:
        if any(m.id == u.id for m in ments):
            ments = [m for m in ments if not (u.start <= m.start and m.end <= u.end)] + [u]
    return sorted(ments, key=lambda m: m.start)


def _scan_end(toks: list[TokenView], k: int) -> int:
    """Arguments after a trigger stop at a complementizer or relative pronoun (a new clause),
    except the relative right after a masdar (العدوان الذي بدأه حفتر على طرابلس), whose clause
    carries the masdar's actor and target."""
    if k + 1 < len(toks) and toks[k].bare in _CLAUSE_WORDS:
        k += 2
    for t in toks[k:]:
        if t.bare in _COMPS or t.core in _COMPS or t.bare in _CLAUSE_WORDS:
            return t.start
    return toks[-1].end if toks else 0


def _conj_start(toks: list[TokenView], m: Mention) -> bool:
    k = _token_index(toks, m.start)
    if k < 0:
        return False
    t = toks[k]
    return t.norm.startswith(("و", "ف")) and t.bare != t.norm


def _inside(ments: list[Mention], pos: int) -> bool:
    return any(m.start <= pos < m.end for m in ments)


def _entity(m: Mention | None) -> str | None:
    return (m.entity or m.id) if m is not None else None


def _clause_start(toks: list[TokenView], i: int) -> int:
    """Index of the first token of the clause holding token ``i`` (after a comma, colon,
    complementizer أن/إن or relative pronoun)."""
    for k in range(i - 1, -1, -1):
        t = toks[k]
        if (t.is_punct and t.norm in ("،", ",", ":", "؛", ";")) or t.bare in _COMPS \
                or t.core in _COMPS or t.bare in _CLAUSE_WORDS:
            return k + 1
    return 0


def _token_distance(toks: list[TokenView], a: int, b: int) -> int:
    return sum(1 for t in toks if a <= t.start < b)


def _token_index(toks: list[TokenView], pos: int) -> int:
    for k, t in enumerate(toks):
        if t.start <= pos < t.end:
            return k
    return -1


def _prep_before(doc: Document, toks: list[TokenView], m: Mention) -> str | None:
    """The preposition introducing mention ``m``: a clitic on its token (بحفتر → ب) or the
    word before it (مع حفتر → مع); "genitive" after a noun, None when none."""
    k = _token_index(toks, m.start)
    if k < 0:
        return None
    t = toks[k]
    if t.has_prep and t.start < m.start:
        return t.norm[0] if t.norm[0] in "بلك" else None
    if k > 0:
        prev = toks[k - 1]
        if prev.bare in _PREPS:
            return prev.bare
        # Titles or appositions between: على العاصمة طرابلس، مع المبعوث الأممي غسان سلامة.
        j = k - 1
        while j >= 0 and k - j <= 3 and toks[j].has_det and not toks[j].is_punct \
                and not _inside_any(doc, toks[j].start):
            if toks[j].has_prep:
                return toks[j].norm[0] if toks[j].norm[0] in "بلك" else None
            if j > 0 and toks[j - 1].bare in _PREPS:
                return toks[j - 1].bare
            j -= 1
    return None


def _inside_any(doc: Document, pos: int) -> bool:
    return doc.index("mentions").covers(pos)


_PREPS = words(tag="event_frame")


def _claim_holding(doc: Document, a: int, b: int) -> Claim | None:
    holders = doc.index("claims").containing(a, b)
    return min(holders, key=lambda c: c.content.end - c.content.start) if holders else None


def _nearest_time(doc: Document, a: int, b: int, toks: list[TokenView]) -> str | None:
    if not toks or not doc.times:
        return None
    lo, hi = toks[0].start, toks[-1].end
    cands = doc.index("times").within(lo, hi)
    if not cands:
        return None
    return min(cands, key=lambda t: abs(t.start - a)).id
