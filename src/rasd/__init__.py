"""rasd (رصد): read Arabic news into structured, sourced, searchable data, offline."""

__version__ = "0.1.0"
