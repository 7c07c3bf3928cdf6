"""``python -m rasd.cli``: the same as the ``rasd`` command."""

from rasd.cli import main

raise SystemExit(main())
