"""Batch processing on Dask: folders, JSONL or WARC archives → partitioned Parquet or JSONL.

``rasd batch INPUT... --out DIR`` (or :func:`run_batch`). Resumable and exact: see
:mod:`rasd.batch.dask_runner`. Tables: docs/schema.md, "Parquet tables (rasd batch)".
"""

from rasd.batch.dask_runner import (
    BatchError,
    BatchResult,
    add_arguments,
    main,
    run_batch,
    run_from_args,
)
from rasd.batch.parquet import SCHEMAS, read_documents

__all__ = ["SCHEMAS", "BatchError", "BatchResult", "add_arguments", "main", "read_documents",
           "run_batch", "run_from_args"]
