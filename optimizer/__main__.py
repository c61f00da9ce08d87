"""``python -m optimizer``: the same as the ``copperloop`` command."""

from __future__ import annotations

import sys

from optimizer.cli import main

if __name__ == "__main__":
    sys.exit(main())
