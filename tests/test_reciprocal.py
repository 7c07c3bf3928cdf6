"""Two-sided events (rasd.events.reciprocal): clashes are acts of both sides."""

from __future__ import annotations

from rasd.document import Document, Event, Span
from rasd.events.reciprocal import ReciprocalStage
from rasd.stages.structure import structure_stage
from rasd.stages.tokens import TokenStage


def _doc(text: str, word: str, type_: str, actor: str | None, target: str | None) -> Document:
    doc = Document(text=text)
    structure_stage(doc)
    TokenStage()(doc)
    a = text.index(word)
    doc.events = [Event("v1", type_, None, Span(a, a + len(word), word), actor=actor,
                        target=target, location="e9", status="reported", claim="c1")]
    return doc


def test_a_clash_is_told_both_ways() -> None:
    doc = _doc("اندلعت اشتباكات عنيفة بين الجيش والمسلحين في درنة", "اشتباكات", "ASSAULT",
               "e1", "e2")
    ReciprocalStage()(doc)
    assert [(e.id, e.actor, e.target) for e in doc.events] == [("v1", "e1", "e2"),
                                                                ("v2", "e2", "e1")]
    mirror = doc.events[1]
    assert (mirror.trigger, mirror.location, mirror.status, mirror.claim) == (
        doc.events[0].trigger, "e9", "reported", "c1")
    ReciprocalStage()(doc)  # idempotent: the mirror is not mirrored again
    assert len(doc.events) == 2


def test_the_article_and_a_conjunction_do_not_hide_the_word() -> None:
    doc = _doc("وتواصلت والمعارك بين الطرفين", "والمعارك", "ASSAULT", "e1", "e2")
    ReciprocalStage()(doc)
    assert len(doc.events) == 2


def test_one_sided_or_unnamed_events_stay_one() -> None:
    raid = _doc("شنت الطائرات غارة على مواقع المسلحين", "غارة", "ASSAULT", "e1", "e2")
    ReciprocalStage()(raid)
    assert len(raid.events) == 1
    alone = _doc("اندلعت اشتباكات عنيفة في درنة", "اشتباكات", "ASSAULT", "e1", None)
    ReciprocalStage()(alone)
    assert len(alone.events) == 1
    meeting = _doc("التقى الوزير نظيره الروسي", "التقى", "CONSULT", "e1", "e2")
    ReciprocalStage()(meeting)  # meetings: measured, not mirrored
    assert len(meeting.events) == 1


def test_an_existing_reverse_event_is_not_doubled() -> None:
    doc = _doc("اندلعت اشتباكات بين الجيش والمسلحين", "اشتباكات", "ASSAULT", "e1", "e2")
    first = doc.events[0]
    doc.events.append(Event("v2", "ASSAULT", None, first.trigger, actor="e2", target="e1"))
    ReciprocalStage()(doc)
    assert len(doc.events) == 2
