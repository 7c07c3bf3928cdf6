"""Attributed claims: who says what, through which channel, with what stance, via whom.

Per sentence, a reporting cue (verb, adverbial participle, reporting noun or attribution
phrase from the lexicon) anchors a claim. Arabic news puts the source after the verb (VSO:
قال السفير … إن …) or, when the verb has no subject, continues the previous speaker
(وأضاف …); so the source is the noun phrase after the cue, cut at the first complementizer,
preposition, time, channel phrase or punctuation, and otherwise the last speaker. The content
runs from the complementizer (إن/أن/بأن) or quotation to the end of the sentence, and over
following sentences while a quotation stays open. A definite back-reference (الموقع،
السفارة) takes the source of the last speaker with the same head noun. ``via`` links a
claim to the innermost claim whose content holds its cue (outlet → site → official).
"""

from __future__ import annotations

from dataclasses import dataclass

from rasd.claims.cues import Cue, Lexicon, lexicon
from rasd.document import Claim, Document, Mention, Span
from rasd.link.roles import title_heads
from rasd.resources import read_tsv
from rasd.spans import SpanIndex
from rasd.text.arabic import words
from rasd.text.normalize import norm
from rasd.text.views import PUNCT, views_in
from rasd.text.views import TokenView as _Tok

COMPLEMENTIZERS = words("complementizer")
# words that end a source phrase (قال السفير في …) and make a content merely adverbial
STOP_WORDS = words(tag="source_stop")
# على and إلى fold to علي / الي: the name علي is told apart by its written final ي.
_YAA_PREPS = frozenset(("على", "إلى", "الى"))
OPEN_QUOTES = "«“\"„"
CLOSE_QUOTES = "»”\""
MAX_SOURCE = 8


def _group(name: str) -> tuple[str, ...]:
    """One word group of ``resources/claims/words.tsv``, normalized, in file order."""
    return tuple(norm(form) for form, group in read_tsv("claims/words.tsv") if group == name)


_PRESS = _group("press")
_IMPERSONAL = frozenset(_group("impersonal"))
_UNNAMED = _group("unnamed")  # عدم الكشف عن هويته: an anonymous source
_ILA = norm("إلى")
_FI = norm("في")
_KAMA = norm("كما")
_SAYING = ("قول", "تعبير", "وصف", "زعم")  # بحسب قوله / على حد تعبيره: the last speaker
_RELATIVES = words("relative")
CONTINUATION = frozenset(_group("continuation"))


@dataclass(slots=True)
class _Speaker:
    text: str
    head: str
    entity: str | None
    claim: str


class ClaimStage:
    """Fills ``doc.claims``; reads sentences, tokens, mentions (with entities) and times."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or lexicon()
        self._phrase_firsts = frozenset(k[0] for k in self.lex.phrases)
        # a cue can begin at a word only if it (normalized, or without its conjunction) is a
        # phrase's first word or a cue word: every other word is skipped unlooked-at
        self._firsts = self._phrase_firsts | frozenset(self.lex.words)
        # ... and a word whose first letter is و/ف and whose rest is a cue word (وعد: see
        # _cue_at), as whole normalized forms: one set test per token instead of slicing
        self._norm_firsts = self._firsts | frozenset(
            c + w for w in self.lex.words for c in ("و", "ف") if len(w) >= 2)

    def _phrase_at(self, toks: list[_Tok], i: int) -> tuple[Cue, int] | None:
        for n in range(min(self.lex.max_phrase, len(toks) - i), 0, -1):
            hit = _phrase(self.lex.phrases, toks, i, n)
            if hit is not None:
                return hit, n
        return None

    def __call__(self, doc: Document) -> None:
        claims: list[Claim] = []
        speakers: list[_Speaker] = []
        mentions = doc.index("mentions")
        for sent in doc.sentences:
            toks = views_in(doc, sent.start, sent.end)
            after = 0  # token index after the last cue
            firsts, norm_firsts = self._firsts, self._norm_firsts
            for i in [i for i, t in enumerate(toks) if t.norm in norm_firsts
                      or t.bare in firsts]:
                found = self._cue_at(toks, i) if i >= after else None
                if found is None:
                    continue
                cue, n = found
                end = _clause_end(toks, i + n, sent.end, self)
                claim = self._claim(doc, toks, i, n, cue, end, mentions, speakers,
                                    claims, len(claims) + 1)
                if claim is not None:
                    claims.append(claim)
                after = i + n
        _link_via(claims)
        doc.claims = claims

    # -- cue -------------------------------------------------------------------------------
    def _cue_at(self, toks: list[_Tok], i: int) -> tuple[Cue, int] | None:
        lex = self.lex
        t = toks[i]
        if t.norm in self._phrase_firsts or t.bare in self._phrase_firsts:
            found = self._phrase_at(toks, i)
            if found is not None:
                return found
        if t.bare in _IMPERSONAL and i + 1 < len(toks) and (
                toks[i + 1].bare in COMPLEMENTIZERS or toks[i + 1].bare == _ILA):
            return None  # يذكر أن / يشار إلى أن: background, nobody is speaking
        if i > 0 and toks[i - 1].bare == _FI and lex.words.get(t.bare) is not None \
                and lex.words[t.bare].kind == "noun":
            return None  # في تصريحات صحفية: a channel, not a claim of its own
        cue = lex.words.get(t.norm) or lex.words.get(t.bare)
        if cue is None and t.norm[:1] in ("و", "ف") and len(t.norm) >= 3:
            # وعد الموقع: the segmenter keeps وعد ("promise") whole; as a clause-initial
            # verb before its subject it is و + عدّ
            cue = lex.words.get(t.norm[1:])
            if cue is not None and cue.kind != "verb":
                cue = None
        if cue is not None:
            if cue.kind == "verb" and i + 1 < len(toks) and _participle(lex, toks[i + 1]):
                return cue, 2  # وأضاف قائلا: one cue; قائلا is neither a source nor a claim
            return cue, 1
        return None

    # -- one claim -------------------------------------------------------------------------
    def _claim(self, doc: Document, toks: list[_Tok], i: int, n: int, cue: Cue, sent_end: int,
               mentions: _Mentions, speakers: list[_Speaker], claims: list[Claim],
               number: int) -> Claim | None:
        text = doc.text
        cue_start, cue_end = toks[i].start, toks[i + n - 1].end
        # Source noun phrase right after the cue (VSO, genitive after a noun, after a phrase);
        # an adverbial participle (مضيفا، مشددا) never has one: it continues its speaker.
        j = i + n
        relative_np = None
        if cue.kind == "verb" and i > 0 and _agrees(toks[i - 1].bare, toks[i].bare):
            # العيد الذي يعد مظهرا: a relative clause, no claim — unless a complementizer
            # follows (الطبيب الشرعي الذي أكد في تقريره أن), when the antecedent speaks. A
            # verb that does not agree with the relative has its own subject (حكومة الوفاق
            # التي يزعم أن …: Haftar claims), handled as before.
            if not any(t.bare in COMPLEMENTIZERS for t in toks[j:j + 6]):
                return None
            relative_np = _np_before(toks, i - 1, mentions)
        skipped = cue.kind == "verb" and j + 1 < len(toks) \
            and toks[j].norm in self.lex.prep_pronouns
        if skipped:
            j += 1  # وطالب بها المواطنون / وقال له الوزير: the subject follows the pronoun
        np_before = _np_before(toks, i, mentions) if cue.kind == "verb" else None
        svo = cue.kind == "verb" and (np_before is not None or (
            i > 0 and mentions.covers(toks[i - 1].start)))
        if svo:  # …unless the words after the verb are a subject followed by إن/أن (VSO), or
            # any noun phrase after a pronoun preposition (وطالب بها المواطنون)
            a2, b2 = _noun_phrase(toks, j, doc, mentions, trim=True)
            k2 = _first_index_at_or_after(toks, b2)
            svo = b2 == a2 or not skipped and not any(
                t.bare in COMPLEMENTIZERS or t.core in COMPLEMENTIZERS for t in toks[k2:k2 + 4])
        relay: tuple[int, int] | None = None  # نقلت X عن Y: X, when Y speaks
        if cue.kind == "participle" or svo:
            # A participle continues its speaker; after an SVO subject the words after the
            # verb are its object, not its source.
            src_a = src_b = cue_end
        elif cue.kind == "verb" and j < len(toks) and toks[j].has_prep \
                and toks[j].core.startswith(_SAYING[0]):
            # واستدرك بالقول / وختم بالقول: "by saying" belongs to the verb; no source follows.
            src_a = src_b = toks[j].end
        elif cue.kind == "verb" and j < len(toks) and (toks[j].bare == _KAMA or (
                toks[j].has_prep and toks[j].norm.startswith("ل") and not toks[j].has_det
                and any(m.type == "ORG" for m in mentions.overlapping(toks[j].start + 1,
                                                                       toks[j].end)))):
            # وقالت كما نقلت عنها الوكالة / وقالت لرويترز: "as" and an addressee are not the
            # speaker, who is the one before, unless the subject follows the addressee.
            src_a = src_b = cue_end
            if toks[j].bare != _KAMA:
                src_a, src_b = _subject_after_addressee(toks, j, doc, mentions, cue_end)
        elif cue.kind == "verb" and j < len(toks) and toks[j].has_prep \
                and (toks[j].has_det or toks[j].norm.startswith("ب")) \
                and not mentions.covers(toks[j].start):
            # وقال للموقع / للصحفيين، طالبوا بحكومة طوارئ: a prepositional phrase, not the
            # subject; the speaker is the one before (pro-drop) or the subject before the
            # verb, or one named right after the phrase (وقال للصحفيين المتحدث … إن).
            # (ل only with the article: لصور, with no article, may be a surname.)
            src_a, src_b = _subject_after_addressee(toks, j, doc, mentions, cue_end)
        else:
            src_a, src_b = _noun_phrase(toks, j, doc, mentions, trim=cue.kind == "verb")
            if cue.lemma == _RELAY:
                relay = (src_a, src_b)
                src_a, src_b = _relayed_source(toks, doc, mentions, src_a, src_b)
                if (src_a, src_b) == relay:
                    return None  # نقلت الجثة إلى …: carrying, not relaying (no عن)
        content_from = src_b
        source_text = text[src_a:src_b] if src_b > src_a else None
        if cue.kind == "phrase" and cue.stance == "doubt":
            # بحجة/بزعم/بدعوى X: X is what the agent claims, the agent is before the phrase.
            content = (src_a, src_b) if src_b > src_a else None
            source_text = None
        elif cue.kind == "phrase":
            first = toks[0].start
            if i <= 1:  # بحسب X، content ...
                k = _first_index_at_or_after(toks, src_b)
                while k < len(toks) and toks[k].is_punct:
                    k += 1
                content = (toks[k].start, sent_end) if k < len(toks) else None
            else:  # content …، بحسب X
                end = cue_start
                while end > first and (text[end - 1].isspace() or text[end - 1] in PUNCT):
                    end -= 1
                content = (first, end) if end > first else None
            if cue.lemma.startswith("على حد") or (
                    source_text and _head(toks, src_a, src_b).startswith(_SAYING)):
                source_text = None  # بحسب قوله: the last speaker's words
        else:
            k0 = _first_index_at_or_after(toks, content_from)
            # a reporting noun, and نقل (to carry: نقلت الوكالة الخبر), speak only before أن
            content = _content(toks, k0, sent_end,
                               require_complementizer=cue.kind == "noun" or cue.lemma == _RELAY,
                               complement=cue.complement,
                               within=3 if cue.kind == "noun" else None)
            if content is None and (cue.kind == "noun" or cue.lemma == _RELAY):
                return None
        if content is None or _only_adverbial(doc, toks, content):
            before = _fronted_content(doc, toks, i)
            if before is not None:
                content = before
        if content is not None:
            content = _extend_quote(doc, content)
        if source_text and content is not None:
            # قال المتحدث باسم الوزارة السفير علي الصادق، إن …: a title whose person is named
            # after it (apposition), before the content: the person is the source.
            person = _apposed_person(toks, mentions, src_a, src_b, content[0])
            after = None
            if person is None:
                # وأكد وزير الخارجية الإيطالي، باولو جينتيلوني، عدم …: the name between
                # commas is the speaker; what was said starts after the second comma
                person, after = _comma_apposed_person(toks, mentions, src_a, src_b)
            if person is not None:
                src_b = person.end
                source_text = text[src_a:src_b]
                if after is not None and content[0] <= person.start:
                    content = (after, content[1]) if after < content[1] else content
        # Who: explicit source, definite back-reference, or the last speaker (pro-drop).
        continued: Claim | None = None
        entity = _entity_in(mentions, src_a, src_b) if source_text else None
        head = _head(toks, src_a, src_b) if source_text else ""
        if source_text and entity is None and head:
            for sp in reversed(speakers):
                if sp.head == head and sp.entity:
                    entity = sp.entity
                    break
        if not source_text and cue.kind == "verb":
            # رغم أن مصدرا دبلوماسيا أكد: an unnamed subject right before the verb is the
            # source, not a name earlier in the clause; else the antecedent of الذي/التي.
            before_np = _anonymous_before(toks, i, self.lex, mentions)
            if before_np is None and relative_np is not None:
                before_np = relative_np
                entity = _entity_in(mentions, *relative_np)
            if before_np is not None:
                source_text, head = text[before_np[0]:before_np[1]], _head(toks, *before_np)
        if not source_text:
            subj = _subject_before(toks, i, mentions) if cue.kind == "verb" or (
                cue.kind == "phrase" and cue.stance == "doubt") else None
            before = np_before
            if subj is not None:
                source_text, entity = text[subj.start:subj.end], subj.entity
                head = norm(subj.text)
            elif before is not None:
                source_text, head = text[before[0]:before[1]], _head(toks, *before)
            elif speakers:
                last = _agreeing_speaker(speakers, text[cue_start:cue_end])
                source_text, entity, head = last.text, last.entity, last.head
                continued = next((c for c in reversed(claims) if c.id == last.claim), None)
        cid = f"c{number}"
        zone_end = content[0] if content else sent_end
        channel = self._channel(toks, cue_end, zone_end, src_a, src_b) or (
            "press" if source_text and any(w in norm(source_text) for w in _PRESS) else None)
        if channel is None and continued is not None:
            channel = continued.channel  # وأضاف / مضيفا: same speaker, same interview
        time = next((t.id for t in doc.index("times").within(cue_start, zone_end)
                     if not (src_a <= t.start < src_b)), None)
        anonymous = bool(source_text) and (
            _anonymous_head(self.lex, norm(source_text.split()[0]))
            or any(w in norm(source_text) for w in _UNNAMED))
        if relay is not None:
            # the relay is a speaker too: a later وأضافت الصحيفة / وبررت may continue it
            speakers.append(_Speaker(text[relay[0]:relay[1]], _head(toks, *relay),
                                     _entity_in(mentions, *relay), cid))
        if source_text:
            speakers.append(_Speaker(source_text, head, entity, cid))
        return Claim(
            id=cid, source=entity, source_text=source_text, anonymous=anonymous,
            cue=Span(cue_start, cue_end, text[cue_start:cue_end]),
            content=Span(content[0], content[1], text[content[0]:content[1]]) if content
            else None,
            channel=channel, time=time, stance=cue.stance, via=None)

    def _channel(self, toks: list[_Tok], a: int, b: int, src_a: int, src_b: int) -> str | None:
        zone = [t for t in toks if a <= t.start and t.end <= b and not src_a <= t.start < src_b]
        for k in range(len(zone) - 1):
            if _outlet_quote(zone, k):
                return "press"  # قال لـ«الشرق الأوسط»: a statement to a newspaper
        for k in range(len(zone)):
            for n in range(min(self.lex.max_phrase, len(zone) - k), 0, -1):
                words = tuple(t.core if m == 0 else t.norm for m, t in enumerate(zone[k:k + n]))
                hit = self.lex.channels.get(words) or self.lex.channels.get(
                    tuple(t.bare for t in zone[k:k + n]))
                if hit:
                    return hit
        return None


_ALLADHI, _ALLATI, _ALLADHINA = norm("الذي"), norm("التي"), norm("الذين")


def _agrees(relative: str, verb: str) -> bool:
    """Does a verb right after a relative pronoun take it as its subject (gender, number)?"""
    if relative == _ALLADHI:
        return verb.startswith("ي") or not (verb.startswith("ت") or verb.endswith(("ت", "وا")))
    if relative == _ALLATI:
        return verb.startswith("ت") or verb.endswith("ت")
    if relative == _ALLADHINA:
        return verb.endswith(("وا", "ون"))
    return False


def _anonymous_head(lex: Lexicon, word: str) -> bool:
    """A normalized word that heads an unnamed source: مصدر، المصادر، مصدرا (accusative)."""
    w = word.removeprefix("ال")
    return w in lex.anonymous or w.removesuffix("ا") in lex.anonymous


def _participle(lex: Lexicon, t: _Tok) -> bool:
    cue = lex.words.get(t.norm) or lex.words.get(t.bare)
    return cue is not None and cue.kind == "participle"


def _outlet_quote(toks: list[_Tok], k: int) -> bool:
    """Token k is ل/لـ (or ends in ل) and an opening quote follows: لـ«عكاظ»، ل"الوطن"."""
    if k < 0 or k + 1 >= len(toks):
        return False
    t, q = toks[k], toks[k + 1]
    if q.norm[:1] not in OPEN_QUOTES:
        return False
    if t.norm in ("ل", "لـ") or (t.norm.endswith("ل") and len(t.norm) <= 2):
        # a short quoted name: the closing quote within four tokens
        return any(x.norm[:1] in CLOSE_QUOTES or x.norm[-1:] in CLOSE_QUOTES
                   for x in toks[k + 2:k + 6])
    return False


def _clause_end(toks: list[_Tok], k: int, sent_end: int, stage: ClaimStage) -> int:
    """Content stops where a comma opens a new main clause with its own reporting verb."""
    for m in range(k + 1, len(toks)):
        cue = stage.lex.words.get(toks[m].bare)
        if toks[m - 1].is_punct and toks[m - 1].norm in ("،", ",") and cue is not None \
                and cue.kind in ("verb", "participle"):
            return toks[m - 1].start
    return sent_end


def _phrase(phrases: dict[tuple[str, ...], Cue], toks: list[_Tok], i: int,
            n: int) -> Cue | None:
    window = toks[i:i + n]
    keys = [tuple(t.norm for t in window), tuple(t.bare if m == 0 else t.norm
                                                 for m, t in enumerate(window))]
    for key in keys:
        if key in phrases:
            return phrases[key]
    # A phrase ending in a bare preposition (وفقا ل، نقلا عن) glued to the next word.
    if n >= 2:
        *head, last = (t.bare if m == 0 else t.norm for m, t in enumerate(window))
        for key, cue in phrases.items():
            if len(key) == n and key[-1] in ("ل", "ب") and tuple(head) == key[:-1] \
                    and last.startswith(key[-1]):
                return cue
    return None


def _first_index_at_or_after(toks: list[_Tok], pos: int) -> int:
    for k, t in enumerate(toks):
        if t.start >= pos:
            return k
    return len(toks)


def _noun_phrase(toks: list[_Tok], j: int, doc: Document, mentions: _Mentions,
                 trim: bool) -> tuple[int, int]:
    """The source phrase starting at token ``j`` (empty span if none)."""
    k = j
    times = doc.index("times")
    while k < len(toks) and k - j < MAX_SOURCE:
        t = toks[k]
        if t.is_punct:
            break
        # Inside a name, function-word look-alikes are part of it (بان كي مون, not بأن).
        named = k > j and mentions.covers(t.start)
        if not named and (t.bare in COMPLEMENTIZERS or t.norm in COMPLEMENTIZERS
                          or t.norm in ("ل", "ب")):
            break
        if not named and (t.norm in STOP_WORDS or t.bare in STOP_WORDS) \
                and not _is_name_ali(doc, t):
            break
        if k > j and t.has_prep and not mentions.covers(t.start):
            break
        if times.covers(t.start):
            break
        if k > j and not _continues(toks[k - 1], t, mentions, toks[k - 2] if k - 2 >= j else None):
            break
        k += 1
    if k == j:
        start = toks[j].start if j < len(toks) else 0
        return start, start
    end_tok = k - 1
    if trim and k - j > 1:
        end_tok = _trim_object(toks, j, k, mentions)
    return toks[j].start, toks[end_tok].end


_LADA = norm("لدى")


def _definite(t: _Tok) -> bool:
    return t.has_det or t.bare.startswith("ال")


def _continues(prev: _Tok, t: _Tok, mentions: _Mentions, before: _Tok | None) -> bool:
    """Can ``t`` still belong to the noun phrase ending in ``prev``? A definite noun takes no
    genitive after it, so after ال only an agreeing definite adjective, a name, or لدى X."""
    if mentions.covers(t.start) or t.norm == _LADA:
        return True
    if before is not None and before.norm == _LADA:
        return True
    if _definite(prev) and not mentions.covers(prev.start):
        return _definite(t)
    return True


def _trim_object(toks: list[_Tok], j: int, k: int, mentions: _Mentions) -> int:
    """Without a complementizer (وصف X الحالة …) the phrase may run into the object: when it
    holds a name or a nisba adjective, keep the subject up to the last of them
    (موقع الدفاع والأمن الإيطالي | الحالة)."""
    last = None
    for m in range(j, k):
        t = toks[m]
        if mentions.covers(t.start) or (t.core.endswith(("ي", "يه"))
                                                  and len(t.core) >= 4):
            last = m
    return k - 1 if last is None else last


def _is_name_ali(doc: Document, t: _Tok) -> bool:
    """علي (the name) and على (the preposition) share a normalized form."""
    return t.bare == "علي" and doc.text[t.start:t.end].rstrip()[-1:] == "ي"


# The document's mentions by start: which offsets they cover, which lie in a range, asked
# for most words near a cue, so answered by bisection (rasd.spans), not a scan.
_Mentions = SpanIndex


def _apposed_person(toks: list[_Tok], mentions: _Mentions, a: int, b: int,
                    content_start: int) -> Mention | None:
    """The person named right after a source phrase with no person in it (its title), before
    the content begins: within 8 words, no verb-like word or preposition before the name."""
    if any(m.type == "PER" for m in mentions.within(a, b)):
        return None
    k = _first_index_at_or_after(toks, b)
    for j in range(k, min(len(toks), k + 8)):
        t = toks[j]
        if t.start >= content_start:
            return None
        hit = next((m for m in mentions.within(t.start, content_start)
                    if m.start < t.end), None)
        if hit is not None:
            if hit.type != "PER":
                continue
            prev = toks[j - 1] if j > 0 else None
            if (t.has_prep and t.start < hit.start) or (
                    prev is not None and prev.bare in _ADDRESSEE_PREPS):
                return None  # قال لنظيره فلان: the one spoken to
            return hit
        if t.bare in COMPLEMENTIZERS or t.text == ":":
            return None
    return None


_ADDRESSEE_PREPS = words(tag="addressee")  # قال لنظيره / مع: the one spoken to


_RELAY = "نقل"
_AN = norm("عن")


def _relayed_source(toks: list[_Tok], doc: Document, mentions: _Mentions, a: int, b: int
                    ) -> tuple[int, int]:
    """نقلت الوكالة عن مصدر أمني أن …: the one the relay quotes (after عن, within sixteen words
    before the complementizer) is the speaker; a trailing قوله/قولها is the speaking, not the
    speaker. Without عن, the relay itself."""
    first = _first_index_at_or_after(toks, b)
    k = first
    for k in range(first, min(len(toks) - 1, first + 16)):  # past في تقرير لها أمس …
        if toks[k].norm == _AN or toks[k].bare in COMPLEMENTIZERS or toks[k].text == ":":
            break
    if k + 1 >= len(toks) or toks[k].norm != _AN:
        return a, b
    ya, yb = _noun_phrase(toks, k + 1, doc, mentions, trim=False)
    if yb <= ya:
        return a, b
    inside = [t for t in toks if ya <= t.start < yb]
    while len(inside) > 1 and inside[-1].core.startswith(_SAYING[0]):
        inside.pop()
    return ya, inside[-1].end


def _subject_after_addressee(toks: list[_Tok], j: int, doc: Document, mentions: _Mentions,
                             cue_end: int) -> tuple[int, int]:
    """VSO with the one spoken to first (قال لرويترز وزير الخارجية محمد سيالة إن …): the
    noun phrase after the addressee at ``toks[j]`` when it names a person or a body, and a
    complementizer follows it; else the empty span at the cue (the speaker is earlier)."""
    none = (cue_end, cue_end)
    k = j + 1
    addressee = next((m for m in mentions.overlapping(toks[j].start, toks[j].end)), None)
    while k < len(toks) and (toks[k].text in _QUOTES or (
            addressee is not None and toks[k].start < addressee.end)):
        k += 1  # the rest of the addressee: its name, its closing quote
    if k >= len(toks) or toks[k].is_punct or toks[k].has_prep or toks[k].bare in COMPLEMENTIZERS:
        return none
    a, b = _noun_phrase(toks, k, doc, mentions, trim=True)
    if b <= a:
        return none
    if not any(m.type in ("PER", "ORG") for m in mentions.within(a, b)):
        person = _apposed_person(toks, mentions, a, b, toks[-1].end) \
            if toks[k].core in title_heads() or toks[k].bare in title_heads() else None
        if person is None:
            return none
        b = person.end  # المتحدث باسم الجيش أحمد المسماري: the title, then the name
    after = _first_index_at_or_after(toks, b)
    while after < len(toks) and toks[after].is_punct and toks[after].text != ":":
        after += 1
    if after < len(toks) and (toks[after].bare in COMPLEMENTIZERS or toks[after].text == ":"
                              or toks[after].norm in COMPLEMENTIZERS):
        return a, b
    return none


_QUOTES = frozenset('"«»“”\'')


def _comma_apposed_person(toks: list[_Tok], mentions: _Mentions, a: int, b: int
                          ) -> tuple[Mention | None, int | None]:
    """"TITLE، NAME، …": the person mention set off by two commas right after a source
    phrase with no person in it, and where the text after the second comma begins."""
    if any(m.type == "PER" for m in mentions.within(a, b)):
        return None, None
    k = _first_index_at_or_after(toks, b)
    if k + 2 >= len(toks) or toks[k].text not in ("،", ","):
        return None, None
    hit = next((m for m in mentions.within(toks[k + 1].start, toks[-1].end)
                if m.start == toks[k + 1].start and m.type == "PER"), None)
    if hit is None:
        return None, None
    j = _first_index_at_or_after(toks, hit.end)
    if j + 1 >= len(toks) or toks[j].text not in ("،", ","):
        return None, None
    return hit, toks[j + 1].start


def _entity_in(mentions: _Mentions, a: int, b: int) -> str | None:
    """Entity of the best mention inside the source phrase (people before bodies)."""
    inside = [m for m in mentions.within(a, b) if m.entity]
    order = {"PER": 0, "ORG": 1, "GPE": 2, "FAC": 3, "LOC": 4}
    inside.sort(key=lambda m: (order.get(m.type, 9), m.start))
    return inside[0].entity if inside else None


# Broken plurals of things and bodies take a feminine verb (وأضافت المصادر).
_FEMININE_PLURALS = frozenset(_group("feminine_plural"))


def _verb_gender(word: str) -> str | None:
    """"f" or "m" for a third-person singular reporting verb or participle (قالت / قال,
    تضيف / يضيف, مضيفة / مضيفا), None for plurals and what cannot be told."""
    w = norm(word)
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    if w.endswith(("وا", "ون", "ين", "ن")) or len(w) < 3:
        return None
    if w.startswith("م") and w.endswith("ه"):
        return "f"  # مضيفة، مشيرة
    if w.startswith("م") and w.endswith("ا"):
        return "m"  # مضيفا، مشيرا
    if w.startswith("ت"):
        return "f"  # تقول، تضيف
    if w.startswith("ي"):
        return "m"  # يقول، يضيف
    return "f" if w.endswith("ت") else "m"  # قالت / قال


def _speaker_gender(sp: _Speaker) -> str | None:
    head = sp.head
    if not head:
        return None
    if head.endswith("ه") or head in _FEMININE_PLURALS:
        return "f"  # الوزارة، الحكومة، المصادر
    return "m"


def _agreeing_speaker(speakers: list[_Speaker], cue: str) -> _Speaker:
    """The speaker a subjectless verb continues: the last one, unless its gender does not
    agree with the verb and one of the three before it does (قال الوزير … وأضافت الوزارة:
    no; قالت الوزارة إن … وقال المتحدث … وأضافت: the ministry)."""
    last = speakers[-1]
    g = _verb_gender(cue)
    if g is None or _speaker_gender(last) in (None, g):
        return last
    return next((sp for sp in reversed(speakers[-4:-1]) if _speaker_gender(sp) == g), last)


def _head(toks: list[_Tok], a: int, b: int) -> str:
    for t in toks:
        if a <= t.start < b:
            return t.core
    return ""


def _subject_before(toks: list[_Tok], i: int, mentions: _Mentions) -> Mention | None:
    """SVO: the nearest mention before the verb in the same clause (no comma between)."""
    if i == 0 or toks[i - 1].bare in _RELATIVES:
        return None  # حكومة الوفاق التي يزعم: the noun before a relative is not the subject
    lo = toks[0].start
    for k in range(i - 1, -1, -1):
        if toks[k].is_punct:
            lo = toks[k].end
            break
    cands = [m for m in mentions.within(lo, toks[i].start) if m.type in ("PER", "ORG", "GPE")]
    actors = [m for m in cands if m.type in ("PER", "ORG")]
    return (actors or cands)[-1] if cands else None


def _anonymous_before(toks: list[_Tok], i: int, lex: Lexicon, mentions: _Mentions
                      ) -> tuple[int, int] | None:
    """SVO with an unnamed subject: the words between a clause start (punctuation, أن/إن, the
    sentence start) and the verb, at most four, beginning with an anonymous head word
    (مصدرا دبلوماسيا كبيرا أكد) and naming nobody."""
    k = i - 1
    while k >= 0 and i - k <= 4:
        t = toks[k]
        if t.is_punct or t.bare in COMPLEMENTIZERS:
            break
        k -= 1
    else:
        if k >= 0:
            return None
    a = k + 1
    if a >= i:
        return None
    if not _anonymous_head(lex, toks[a].core):
        return None
    if any(mentions.covers(t.start) for t in toks[a:i]):
        return None
    return toks[a].start, toks[i - 1].end


def _np_before(toks: list[_Tok], i: int, mentions: _Mentions) -> tuple[int, int] | None:
    """SVO without a tagged name: the definite noun phrase right before the verb
    (فإن الوزير قال)."""
    k = i - 1
    while k >= 0:
        t = toks[k]
        if t.is_punct or t.bare in COMPLEMENTIZERS or t.norm in STOP_WORDS:
            break
        if not (_definite(t) or mentions.covers(t.start)):
            break
        k -= 1
    if k == i - 1:
        return None
    return toks[k + 1].start, toks[i - 1].end


def _content(toks: list[_Tok], k: int, sent_end: int, require_complementizer: bool,
             complement: str | None = None, within: int | None = None) -> tuple[int, int] | None:
    """From the complementizer, colon or quotation after the source to the sentence end
    (a reporting noun needs its complementizer ``within`` a few words: ادعاءاته بأن …)."""
    last = len(toks) if within is None else min(len(toks), k + within)
    while last > k and toks[last - 1].start >= sent_end:
        last -= 1
    for m in range(k, last):
        t = toks[m]
        if complement and (t.bare == complement or (len(complement) == 1 and t.has_prep
                                                    and t.bare.startswith(complement))):
            return t.start, sent_end
        if t.bare in COMPLEMENTIZERS or t.norm in COMPLEMENTIZERS or t.core in COMPLEMENTIZERS:
            return t.start, sent_end
        if t.norm in (":",) and m + 1 < len(toks):
            return toks[m + 1].start, sent_end
        if t.text[:1] in OPEN_QUOTES and m + 1 < len(toks):
            if _outlet_quote(toks, m - 1):
                continue  # لـ«الشرق الأوسط» names the outlet spoken to, not the content
            return t.start, sent_end
    if require_complementizer:
        return None
    m = k
    while m < last and (toks[m].is_punct or toks[m].norm in ("له", "لها", "لهم")):
        m += 1
    return (toks[m].start, sent_end) if m < last else None


def _only_adverbial(doc: Document, toks: list[_Tok], content: tuple[int, int]) -> bool:
    words = [t for t in toks if content[0] <= t.start < content[1] and not t.is_punct]
    times = doc.index("times")
    return all(t.norm in STOP_WORDS or times.covers(t.start) for t in words)


def _fronted_content(doc: Document, toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """…، أفادت مصادر عسكرية أمس: the content stands before the cue, up to its comma."""
    if i < 2 or not (toks[i - 1].is_punct and toks[i - 1].norm in ("،", ",")):
        return None
    a, b = toks[0].start, toks[i - 2].end
    return (a, b) if b > a else None


def _extend_quote(doc: Document, content: tuple[int, int]) -> tuple[int, int]:
    """A quotation opened in the content and closed in a later sentence: take it whole."""
    a, b = content
    seg = doc.text[a:b]
    opened = sum(seg.count(q) for q in "«“")
    closed = sum(seg.count(q) for q in "»”")
    if opened <= closed:
        return content
    for s in doc.sentences:
        if s.start >= b and s.start - b < 2000:
            seg2 = doc.text[b:s.end]
            if sum(seg2.count(q) for q in "»”") >= opened - closed:
                return a, s.end
    return content


def _link_via(claims: list[Claim]) -> None:
    contents = SpanIndex(claims, span=lambda o: (o.content.start, o.content.end)
                         if o.content else None)
    for c in claims:
        holders = [o for o in contents.containing(c.cue.start, c.cue.end) if o is not c]
        if holders:
            c.via = min(holders, key=lambda o: o.content.end - o.content.start).id
