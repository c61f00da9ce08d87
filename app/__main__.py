"""``python -m app [FILE]``: start the CopperLoop desktop app (the launching is in :mod:`app.launch`)."""

import multiprocessing
import sys

from app.launch import main

if __name__ == "__main__":  # solver jobs run in spawned children, which import this module again
    multiprocessing.freeze_support()
    sys.exit(main())
