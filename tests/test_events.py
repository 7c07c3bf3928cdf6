from rasd.claims.attribution import ClaimStage
from rasd.document import Document, Mention
from rasd.events.arguments import EventStage
from rasd.events.triggers import trigger_lexicon
from rasd.pipeline import Pipeline
from rasd.stages.entities import EntityStage
from rasd.stages.mentions import MentionStage
from rasd.text.normalize import norm


def analyse(text, names):
    """Run the stages after NER with the given (word, type) mentions."""
    doc = Pipeline(ner="none", until="tokens")(Document(text=text))
    mentions, pos = [], 0
    for k, (word, type_) in enumerate(names):
        start = text.index(word, pos)
        mentions.append(Mention(f"m{k + 1}", start, start + len(word), word, type_))
        pos = start + len(word)
    doc.mentions = mentions
    MentionStage()(doc)
    EntityStage()(doc)
    ClaimStage()(doc)
    EventStage()(doc)
    doc.check_offsets()
    return doc


def names(doc, ev):
    ents = {e.id: e.name for e in doc.entities}
    return ents.get(ev.actor), ents.get(ev.target), ents.get(ev.location)


def test_lexicon_has_frames():
    lex = trigger_lexicon()
    assert lex.words[norm("التقى")].type == "CONSULT"
    assert norm("مع") in lex.words[norm("التقى")].preps
    assert lex.words[norm("هجوما")].type == "ASSAULT"
    assert lex.words[norm("تعزيزات")].type == "MOBILIZE"


def test_vso_meeting_with_target_and_place():
    doc = analyse("التقى غسان سلامة مع خليفة حفتر في بنغازي.",
                  [("غسان سلامة", "PER"), ("خليفة حفتر", "PER"), ("بنغازي", "GPE")])
    (ev,) = doc.events
    assert ev.type == "CONSULT" and ev.status == "asserted" and not ev.negated
    assert names(doc, ev) == ("غسان سلامة", "خليفة حفتر", "بنغازي")


def test_svo_and_masdar_relative_clause():
    doc = analyse("ألمانيا ترفض الحل العسكري.", [("ألمانيا", "GPE")])
    assert [(e.type, names(doc, e)[0]) for e in doc.events] == [("REJECT", "ألمانيا")]
    doc = analyse("استمر العدوان الذي بدأه حفتر على طرابلس.", [("حفتر", "PER"),
                                                            ("طرابلس", "GPE")])
    (ev,) = doc.events
    assert ev.type == "ASSAULT" and names(doc, ev)[:2] == ("حفتر", "طرابلس")


def test_status_expected_negated_hypothetical():
    doc = analyse("ستشن قوات الوفاق قريبا هجوما على ترهونة.", [("ترهونة", "GPE")])
    assert {e.status for e in doc.events} == {"expected"}
    doc = analyse("لم يهاجم الجيش مدينة سرت.", [("سرت", "GPE")])
    (ev,) = doc.events
    assert ev.negated
    doc = analyse("في حال فشل الحوار سيهاجم الجيش المدينة.", [])
    assert doc.events[-1].status == "hypothetical"


def test_reported_and_denied_events_carry_their_claim():
    doc = analyse("وقال المتحدث إن القوات هاجمت مواقع المسلحين.", [])
    (ev,) = doc.events
    assert ev.status == "reported" and ev.claim == doc.claims[0].id
    doc = analyse("ونفت الحكومة أن تكون قواتها قصفت المدينة.", [])
    (ev,) = doc.events
    assert ev.status == "denied" and ev.claim == doc.claims[0].id


def test_pronoun_subject_takes_the_claim_source():
    doc = analyse("وقال السفير بوك إنه التقى حفتر في الرجمة.",
                  [("بوك", "PER"), ("حفتر", "PER"), ("الرجمة", "GPE")])
    (ev,) = doc.events
    assert names(doc, ev) == ("بوك", "حفتر", "الرجمة")
