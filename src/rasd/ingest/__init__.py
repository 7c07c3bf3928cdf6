"""Reading inputs into :class:`~rasd.document.Document` objects (the first stage of rasd).

Plain text (UTF-8, Windows-1256, ISO-8859-6, UTF-16 with BOM), HTML pages (trafilatura), JSON
Lines and JSON, from files, directories, globs or stdin. Text is cleaned for layout only and
scraper debris is removed; letters are never changed, since every later stage keeps offsets
into ``Document.text``. A bad input is an :class:`InputError` with a one-line reason, never a
traceback.
"""

from rasd.ingest.errors import InputError
from rasd.ingest.inputs import DEFAULT_MAX_BYTES, iter_documents, read_bytes
from rasd.ingest.plain import document_from_text

__all__ = ["DEFAULT_MAX_BYTES", "InputError", "document_from_text", "iter_documents",
           "read_bytes"]
