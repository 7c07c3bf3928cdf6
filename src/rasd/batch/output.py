"""The output protocol of ``rasd batch``: what is written where, and when a partition is done.

Each table file of a partition is written under a temporary name, fsynced and renamed, then
the partition's marker ``_done/part-NNNNNN.json`` (its hash and error rows) the same way: a
partition counts as done only when its marker exists. ``_manifest.json`` names the run, so a
folder of another run is refused; ``errors.jsonl``, the stories and ``_DONE`` are rebuilt from
the markers once every partition is done. One run at a time holds the folder's ``.lock``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any

from rasd import __version__
from rasd.atomic import atomic_write
from rasd.batch.errors import BatchError
from rasd.batch.partitions import part_name
from rasd.batch.worker import PartResult

FORMATS = ("parquet", "jsonl")
MANIFEST, DONE, ERRORS, MARKERS, LOCK = "_manifest.json", "_DONE", "errors.jsonl", "_done", ".lock"
STORY_FEATURES = "story_features"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json(path: Path, data: Any) -> None:
    atomic_write(path, lambda fh: fh.write(json.dumps(data, ensure_ascii=False,
                                                      indent=1).encode("utf-8")))


def write_partition(out: Path, res: PartResult, fmt: str, part_digest: str, start: int) -> None:
    """All files of one partition, then its marker: the marker is the commit."""
    name = part_name(res.index)
    dirs = set()
    if fmt == "parquet":
        import pyarrow.parquet as pq

        for table, data in (res.tables or {}).items():
            path = out / table / f"{name}.parquet"
            atomic_write(path, lambda fh, data=data: pq.write_table(data, fh,
                                                                    compression="zstd"))
            dirs.add(path.parent)
    else:
        path = out / "documents" / f"{name}.jsonl"
        atomic_write(path, lambda fh: fh.write((res.jsonl or "").encode("utf-8")))
        dirs.add(path.parent)
    path = out / STORY_FEATURES / f"{name}.jsonl"
    atomic_write(path, lambda fh: fh.write(res.story_features.encode("utf-8")))
    dirs.add(path.parent)
    for d in dirs:  # the renames must be durable before the marker says "done"
        _fsync_dir(d)
    write_json(out / MARKERS / f"{name}.json", {
        "partition": res.index, "digest": part_digest, "start": start, "records": res.records,
        "documents": res.documents, "errors": res.errors, "worker": res.worker,
        "peak_rss_mb": res.peak_rss_mb, "seconds": round(res.seconds, 3),
        "cpu_seconds": round(res.cpu_seconds, 3)})


def read_markers(out: Path) -> dict[int, dict[str, Any]]:
    markers = {}
    for path in sorted((out / MARKERS).glob("part-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            markers[int(data["partition"])] = data
        except (OSError, ValueError, KeyError, TypeError):
            path.unlink(missing_ok=True)  # unreadable: that partition is simply redone
    return markers


def lock_out(out: Path) -> IO[bytes]:
    fh = (out / LOCK).open("wb")
    try:
        import fcntl

        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no fcntl (Windows): no protection against two runs
        pass
    except OSError:
        fh.close()
        raise BatchError(f"{out}: another `rasd batch` run is writing here") from None
    return fh


def clean_tmp(out: Path) -> None:
    for tmp in out.glob("**/.part-*.tmp"):
        tmp.unlink(missing_ok=True)
    for tmp in out.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def check_out(out: Path, manifest: dict[str, Any], digests: list[str]) -> dict[int, dict]:
    """The markers of an earlier run into ``out``, after checking it was this same run."""
    path = out / MANIFEST
    if path.exists():
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise BatchError(f"{path}: damaged (not JSON); remove the folder's outputs or use "
                             "another --out") from None
        if not isinstance(old, dict):
            raise BatchError(f"{path}: damaged (not a manifest); use another --out")
        for key in ("rasd", "inputs", "format", "partition_size"):
            if old.get(key) != manifest[key]:
                raise BatchError(f"{out} holds a run with a different {key} "
                                 f"({old.get(key)!r}, now {manifest[key]!r}); use another "
                                 "--out or repeat the same arguments")
    elif any(p.name not in (LOCK,) for p in out.iterdir()):
        raise BatchError(f"{out}: not empty and not a `rasd batch` output folder")
    markers = read_markers(out)
    for index, marker in markers.items():
        if index >= len(digests) or marker.get("digest") != digests[index]:
            raise BatchError(f"{out}: the inputs changed since the earlier run "
                             f"({part_name(index)} no longer matches); use another --out")
    return markers


def finalize(out: Path, partitions: int) -> dict[str, Any]:
    """errors.jsonl and _DONE from the markers, once every partition is done."""
    markers = read_markers(out)
    missing = [i for i in range(partitions) if i not in markers]
    if missing:
        raise BatchError(f"{out}: {len(missing)} partitions not done (first: {missing[0]})")
    rows = [row for i in range(partitions) for row in markers[i]["errors"]]
    atomic_write(out / ERRORS, lambda fh: fh.write("".join(
        json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")))
    summary = {"rasd": __version__, "partitions": partitions,
               "records": sum(markers[i]["records"] for i in range(partitions)),
               "documents": sum(markers[i]["documents"] for i in range(partitions)),
               "errors": len(rows)}
    summary["stories"] = write_stories(out, partitions)
    write_json(out / DONE, summary)
    return summary


def write_stories(out: Path, partitions: int) -> int | None:
    """``stories.jsonl`` (``{"id", "story"}`` per document, in output order) and
    ``stories.json`` (each story with its articles), clustered from every partition's story
    features in one sequential pass: the same stories whatever the number of workers. None when
    a partition predates story features (an output folder of an older rasd)."""
    from rasd.stories.cluster import StoryClusterer
    from rasd.stories.features import from_record

    feats = []
    for i in range(partitions):
        path = out / STORY_FEATURES / f"{part_name(i)}.jsonl"
        if not path.exists():
            return None
        with path.open(encoding="utf-8") as fh:
            feats.extend(from_record(json.loads(line)) for line in fh if line.strip())
    clusterer = StoryClusterer()
    for f in sorted({f.id: f for f in feats}.values(), key=lambda f: f.order_key()):
        clusterer.add(f)
    atomic_write(out / "stories.jsonl", lambda fh: fh.write("".join(
        json.dumps({"id": f.id, "story": clusterer.by_article[f.id].id}, ensure_ascii=False)
        + "\n" for f in feats).encode("utf-8")))
    write_json(out / "stories.json", {"stories": [s.to_dict() for s in clusterer.stories]})
    return len(clusterer.stories)

