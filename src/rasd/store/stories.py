"""Stories in the SQLite store: each stored article in one story, kept up to date incrementally.

After an ingest, the articles without a story are clustered in time order against the stories
still open (a story closes ``window_days`` after its last article), which are rebuilt from
their members' stored features; a new article therefore joins an open story or starts one,
and closed stories are never reopened. The features (weighted terms and MinHash) are kept per
article in ``story_articles.features`` so that nothing is re-tokenized.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from rasd.stories.cluster import Params, Story, StoryClusterer
from rasd.stories.features import ArticleFeatures, Featurizer, from_record, to_record

SCHEMA = """
CREATE TABLE stories (
  id TEXT PRIMARY KEY,
  title TEXT,
  first_day TEXT,
  last_day TEXT,
  n_articles INTEGER NOT NULL,
  n_outlets INTEGER NOT NULL,
  outlets TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_day ON stories(last_day);
CREATE INDEX stories_size ON stories(n_articles);
CREATE TABLE story_articles (
  doc INTEGER PRIMARY KEY REFERENCES documents(id),
  story TEXT NOT NULL REFERENCES stories(id),
  similarity REAL NOT NULL,
  duplicate_of INTEGER REFERENCES documents(id),
  features TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story)
"""


def _dump(f: ArticleFeatures) -> str:
    rec = to_record(f)
    return json.dumps({"terms": rec["terms"], "minhash": rec["minhash"]}, ensure_ascii=False)


def _load(row: sqlite3.Row) -> ArticleFeatures:
    data = json.loads(row["features"])
    return from_record({**data, "id": str(row["doc"]), "day": (row["published"] or "")[:10],
                        "time": row["published"], "title": row["title"],
                        "outlet": row["outlet"]})


def _earliest_open(day: str, window: int) -> str:
    try:
        return (date.fromisoformat(day) - timedelta(days=window)).isoformat()
    except ValueError:
        return ""


def assign(conn: sqlite3.Connection, now: str, params: Params | None = None,
           featurizer: Featurizer | None = None) -> int:
    """Give every article without a story one; returns how many were assigned.

    Runs inside the caller's transaction."""
    params = params or Params()
    new = conn.execute(
        "SELECT d.id AS doc, d.doc_id, d.title, d.outlet, d.published, d.text FROM documents d"
        " LEFT JOIN story_articles s ON s.doc = d.id WHERE s.doc IS NULL"
        " ORDER BY COALESCE(d.published, ''), d.doc_id, d.id").fetchall()
    if not new:
        return 0
    feat = featurizer or Featurizer()
    arrivals = [(r, feat(str(r["doc"]), r["text"], title=r["title"], outlet=r["outlet"],
                         published=r["published"])) for r in new]
    days = [f.day for _, f in arrivals if f.day]
    since = _earliest_open(min(days), params.window_days) if days else ""
    clusterer = StoryClusterer(params)
    members: dict[str, list[tuple[ArticleFeatures, float, str | None]]] = defaultdict(list)
    for row in conn.execute(
            "SELECT s.story, s.doc, s.similarity, s.duplicate_of, s.features, d.title, d.outlet,"
            " d.published FROM story_articles s JOIN documents d ON d.id = s.doc"
            " WHERE s.story IN (SELECT id FROM stories WHERE last_day IS NULL OR last_day >= ?)"
            " ORDER BY s.story, COALESCE(d.published, ''), d.doc_id, d.id", (since,)):
        dup = str(row["duplicate_of"]) if row["duplicate_of"] is not None else None
        members[row["story"]].append((_load(row), row["similarity"], dup))
    for sid in sorted(members, key=lambda s: (members[s][0][0].order_key(), s)):
        clusterer.restore(sid, members[sid])
    touched: dict[str, Story] = {}
    rows = []
    for row, f in arrivals:
        st = clusterer.add(f, story_key=row["doc_id"])
        touched[st.id] = st
        i = len(st.members) - 1
        dup = st.duplicate_of[i]
        rows.append((row["doc"], st.id, st.sims[i], int(dup) if dup else None, _dump(f)))
    for st in touched.values():  # the stories first: story_articles refers to them
        _write_story(conn, st, now)
    conn.executemany("INSERT INTO story_articles (doc, story, similarity, duplicate_of, features)"
                     " VALUES (?, ?, ?, ?, ?)", rows)
    return len(arrivals)


def _write_story(conn: sqlite3.Connection, st: Story, now: str) -> None:
    outlets = st.outlets
    conn.execute(
        "INSERT INTO stories (id, title, first_day, last_day, n_articles, n_outlets, outlets,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET"
        " title = excluded.title, first_day = excluded.first_day, last_day = excluded.last_day,"
        " n_articles = excluded.n_articles, n_outlets = excluded.n_outlets,"
        " outlets = excluded.outlets, updated_at = excluded.updated_at",
        (st.id, st.title, st.first_day or None, st.last_day or None, len(st.members),
         len(outlets), json.dumps(outlets, ensure_ascii=False), now))


def forget(conn: sqlite3.Connection, db_id: int, now: str) -> None:
    """Take one article out of its story (it is being deleted or re-analysed); a story left
    empty is deleted, otherwise its counts and dates are recomputed."""
    row = conn.execute("SELECT story FROM story_articles WHERE doc = ?", (db_id,)).fetchone()
    if row is None:
        return
    sid = row[0]
    conn.execute("DELETE FROM story_articles WHERE doc = ?", (db_id,))
    conn.execute("UPDATE story_articles SET duplicate_of = NULL WHERE duplicate_of = ?", (db_id,))
    rest = conn.execute(
        "SELECT d.title, d.outlet, substr(d.published, 1, 10) AS day FROM story_articles s"
        " JOIN documents d ON d.id = s.doc WHERE s.story = ?"
        " ORDER BY s.similarity DESC, d.id", (sid,)).fetchall()
    if not rest:
        conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
        return
    outlets = sorted({r["outlet"] for r in rest if r["outlet"]})
    days = sorted(r["day"] for r in rest if r["day"])
    conn.execute("UPDATE stories SET title = ?, first_day = ?, last_day = ?, n_articles = ?,"
                 " n_outlets = ?, outlets = ?, updated_at = ? WHERE id = ?",
                 (rest[0]["title"], days[0] if days else None, days[-1] if days else None,
                  len(rest), len(outlets), json.dumps(outlets, ensure_ascii=False), now, sid))


def story_rows(conn: sqlite3.Connection, limit: int, offset: int, since: str | None = None,
               until: str | None = None, min_articles: int = 1) -> tuple[int, list[dict[str, Any]]]:
    """One page of stories, largest first then newest, and the total that match."""
    where, args = ["n_articles >= ?"], [min_articles]
    if since:
        where.append("last_day >= ?")
        args.append(since)
    if until:
        where.append("first_day <= ?")
        args.append(until)
    cond = " AND ".join(where)
    total = conn.execute(f"SELECT COUNT(*) FROM stories WHERE {cond}", args).fetchone()[0]
    rows = conn.execute(f"SELECT id, title, first_day, last_day, n_articles, n_outlets, outlets"
                        f" FROM stories WHERE {cond} ORDER BY n_articles DESC, last_day DESC,"
                        f" id LIMIT ? OFFSET ?", (*args, limit, offset)).fetchall()
    return total, [{**dict(r), "outlets": json.loads(r["outlets"])} for r in rows]


def story(conn: sqlite3.Connection, sid: str) -> dict[str, Any] | None:
    """One story with its articles in time order (store ids, titles, outlets, dates)."""
    row = conn.execute("SELECT id, title, first_day, last_day, n_articles, n_outlets, outlets"
                       " FROM stories WHERE id = ?", (sid,)).fetchone()
    if row is None:
        return None
    arts = conn.execute(
        "SELECT d.id, d.doc_id, d.title, d.outlet, d.published, d.url, s.similarity,"
        " s.duplicate_of FROM story_articles s JOIN documents d ON d.id = s.doc"
        " WHERE s.story = ? ORDER BY COALESCE(d.published, ''), d.id", (sid,)).fetchall()
    return {**dict(row), "outlets": json.loads(row["outlets"]),
            "articles": [dict(a) for a in arts]}


def story_of(conn: sqlite3.Connection, db_id: int) -> str | None:
    row = conn.execute("SELECT story FROM story_articles WHERE doc = ?", (db_id,)).fetchone()
    return row[0] if row else None
