"""``python -m rasd.batch``: the same as ``rasd batch`` (also what the kill/resume test runs)."""

import sys

from rasd.cli.batch import main

if __name__ == "__main__":
    sys.exit(main())
