"""Human-readable rendering of an analysed document for a terminal (`--format text`)."""

from __future__ import annotations

from collections import defaultdict

from rasd.document import Document

_STANCE = {"neutral": "", "assert": " [asserts]", "doubt": " [outlet signals doubt]",
           "deny": " [denies]"}


def _clip(s: str, n: int = 110) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def format_text(doc: Document) -> str:
    lines = [f"# {doc.title or '(no title)'}"]
    meta = [f"{k}: {v}" for k, v in (("source", doc.source), ("outlet", doc.outlet),
                                     ("published", doc.published), ("url", doc.url)) if v]
    if meta:
        lines.append("  " + " | ".join(meta))
    lines.append(f"  {len(doc.text):,} characters, {len(doc.paragraphs)} paragraphs, "
                 f"{len(doc.sentences)} sentences, {len(doc.tokens):,} tokens")
    heads = [s.heading.text for s in doc.sections if s.heading]
    if heads:
        lines.append("\nHeadings:")
        lines += [f"  - {h}" for h in heads]

    ents = {e.id: e for e in doc.entities}
    if doc.entities:
        lines.append("\nEntities:")
        for e in doc.entities:
            extra = [x for x in (e.name_en, e.country and f"country={e.country}",
                                 e.lat is not None and f"({e.lat:.3f}, {e.lon:.3f})") if x]
            roles = "; ".join(r.title for r in e.roles)
            lines.append(f"  {e.type:4} {e.name}" + (f"  [{', '.join(extra)}]" if extra else "")
                         + (f"  roles: {roles}" if roles else ""))
    elif doc.mentions:
        by_type: dict[str, list[str]] = defaultdict(list)
        for m in doc.mentions:
            if m.text not in by_type[m.type]:
                by_type[m.type].append(m.text)
        lines.append("\nMentions:")
        for t in sorted(by_type):
            lines.append(f"  {t:4} " + "، ".join(by_type[t]))

    if doc.times:
        lines.append("\nTimes:")
        lines += [f"  {t.text} → {t.value or '?'}" for t in doc.times]

    if doc.claims:
        lines.append("\nWho says what:")
        for c in doc.claims:
            who = ents[c.source].name if c.source in ents else (c.source_text or "?")
            if c.anonymous:
                who += " (anonymous)"
            via = f" via {c.via}" if c.via else ""
            chan = f" in {c.channel}" if c.channel else ""
            content = _clip(c.content.text) if c.content else ""
            lines.append(f"  {c.id}: {who} — {c.cue.text}{chan}{via}"
                         f"{_STANCE.get(c.stance, '')}: {content}")

    if doc.events:
        lines.append("\nEvents:")
        for v in doc.events:
            def name(eid: str | None) -> str:
                return ents[eid].name if eid in ents else "-"
            lines.append(f"  {v.type:10} {name(v.actor)} → {name(v.target)}"
                         f" @ {name(v.location)}  [{v.status}{', negated' if v.negated else ''}]"
                         f"  «{v.trigger.text}»")
    return "\n".join(lines)
