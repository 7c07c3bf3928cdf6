"""``python -m rasd``: the same as the ``rasd`` command."""

from rasd.cli import main

raise SystemExit(main())
