"""The readable form of stories (``rasd stories --format text``)."""

from __future__ import annotations

from collections.abc import Sequence

from rasd.stories.cluster import Story


def format_stories_text(stories: Sequence[Story]) -> str:
    """Each story: its title, outlets and dates, then its articles in time order."""
    out = []
    for st in stories:
        days = st.first_day if st.first_day == st.last_day else f"{st.first_day} – {st.last_day}"
        n = len(st.members)
        out.append(f"■ {st.title or st.id}\n  {st.id} · {n} article{'s' if n != 1 else ''} · "
                   f"{', '.join(st.outlets) or 'outlet unknown'} · {days or 'undated'}")
        for m, dup in zip(st.members, st.duplicate_of, strict=True):
            when = m.time or "undated"
            copy = f"  (copy of {dup})" if dup else ""
            out.append(f"    {when}  {m.outlet or '?'}  {m.title or m.id}  [{m.id}]{copy}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
