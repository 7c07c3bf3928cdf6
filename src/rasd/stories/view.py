"""A story as an analyst reads it: its merged events, its contradictions, its framing.

Works on rasd's output JSON of the story's articles, wherever they come from (the store,
``rasd export``, a batch output). ``cluster_index`` groups any set of analysed articles into
stories first, for exports that count each event cluster once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rasd.stories.cluster import Params, cluster
from rasd.stories.contradictions import DEFAULT_KINDS, contradictions, framing
from rasd.stories.features import Featurizer
from rasd.stories.reports import cluster_events


def story_view(docs: Iterable[Mapping[str, Any]], story: str = "",
               kinds: Iterable[str] = DEFAULT_KINDS) -> dict[str, Any]:
    docs = list(docs)
    clusters = cluster_events(docs, story)
    return {"event_clusters": [c.to_dict() for c in clusters],
            "contradictions": contradictions(docs, clusters, kinds),
            "framing": framing(docs)}


def stories_of(docs: list[Mapping[str, Any]], params: Params | None = None
               ) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """``(story id, its documents)`` for analysed documents, in story order."""
    feat = Featurizer()
    by_id = {}
    feats = []
    for d in docs:
        meta = d.get("document") or {}
        did = meta.get("id") or ""
        if did in by_id:
            continue
        by_id[did] = d
        feats.append(feat(did, meta.get("text") or "", title=meta.get("title"),
                          outlet=meta.get("outlet"), published=meta.get("published")))
    return [(st.id, [by_id[m.id] for m in st.members]) for st in cluster(feats, params)]


def cluster_index(docs: list[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """For each event (``"<document id>#<event id>"``): its story, its event cluster, how many
    reports and outlets the cluster has, and whether it is the cluster's first report."""
    out: dict[str, dict[str, Any]] = {}
    for sid, members in stories_of(docs):
        for c in cluster_events(members, sid):
            outlets = sorted({r.outlet for r in c.reports if r.outlet})
            first = min(c.reports, key=lambda r: (r.published or "~", r.doc, r.event))
            for r in c.reports:
                out[f"{r.doc}#{r.event}"] = {"story": sid, "event_cluster": c.id,
                                            "reports": len(c.reports),
                                            "outlets_reporting": len(outlets),
                                            "first": r is first}
    return out
