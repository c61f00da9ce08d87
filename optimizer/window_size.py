"""A window size given on a command line (``--size 1366x768``), read one way by both entry points.

``copperloop gui --size`` and ``python -m app --size`` take the same argument. The app may import only
the public API and the command line must not import the app when it loads, so the parser lives here,
below both, and reaches the app as :func:`optimizer.parse_window_size`.
"""

from __future__ import annotations

import argparse

#: Smallest and largest width and height accepted, in pixels: below the smallest no view fits; beyond
#: the largest a screenshot is a typing error rather than a screen.
MIN_WIDTH, MIN_HEIGHT, MAX_SIDE = 320, 240, 8000


def parse_window_size(text: str) -> tuple[int, int]:
    """``1366x768`` (or ``1366X768``) as (1366, 768); ``argparse.ArgumentTypeError`` saying what was
    expected when it is not WIDTHxHEIGHT within the limits, so that ``type=parse_window_size`` makes
    argparse print a one-line error rather than a traceback."""
    width, sep, height = text.lower().partition("x")
    try:
        w, h = int(width), int(height)
    except ValueError:
        w = h = 0
    if not sep or not MIN_WIDTH <= w <= MAX_SIDE or not MIN_HEIGHT <= h <= MAX_SIDE:
        raise argparse.ArgumentTypeError(f'"{text}": expected WIDTHxHEIGHT in pixels, e.g. 1366x768')
    return w, h
