"""``python -m app [FILE]``: start the CopperLoop desktop app."""

import sys

from app.main import main

sys.exit(main())
