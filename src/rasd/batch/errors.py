"""The one exception of ``rasd batch``: a run that cannot start or go on as asked."""


class BatchError(Exception):
    """The run cannot start or go on as asked (the output folder belongs to another run…)."""
