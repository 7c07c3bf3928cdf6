"""Batch processing on Dask: folders, JSONL or WARC archives → partitioned Parquet or JSONL.

``rasd batch INPUT... --out DIR`` (:mod:`rasd.cli.batch`) or :func:`run_batch`. Resumable and
exact: see :mod:`rasd.batch.run`. Tables: docs/schema.md, "Parquet tables (rasd batch)".
"""

from rasd.batch.errors import BatchError
from rasd.batch.parquet import SCHEMAS, read_documents
from rasd.batch.run import BatchResult, run_batch

__all__ = ["SCHEMAS", "BatchError", "BatchResult", "read_documents", "run_batch"]
