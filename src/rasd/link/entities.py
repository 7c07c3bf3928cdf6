"""From clustered mentions to entities: an entity's names and fields from its KB record, and
one entity per KB record."""

from __future__ import annotations

from rasd.document import Document, Entity
from rasd.link.mentions import COMPATIBLE


def apply_kb_entry(ent: Entity, entry) -> None:
    """The KB record's id, canonical names, country and coordinates onto ``ent``; its type
    when compatible with the mentions' type."""
    ent.kb_id = entry.kb_id
    ent.name = entry.name or ent.name
    ent.name_en = entry.name_en
    ent.country = entry.country
    if entry.lat is not None:
        ent.lat, ent.lon = entry.lat, entry.lon
    if entry.type in COMPATIBLE.get(ent.type, ()):
        ent.type = entry.type


def merge_same_kb(doc: Document) -> None:
    """Two clusters that resolve to one KB record (العاصمة طرابلس، طرابلس) are one entity."""
    first: dict[str, Entity] = {}
    drop: dict[str, str] = {}
    for e in doc.entities:
        if e.kb_id and e.kb_id in first:
            drop[e.id] = first[e.kb_id].id
        elif e.kb_id:
            first[e.kb_id] = e
    if not drop:
        return
    for m in doc.mentions:
        if m.entity in drop:
            m.entity = drop[m.entity]
    doc.entities = [e for e in doc.entities if e.id not in drop]
