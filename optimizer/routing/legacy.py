"""The messages of a route plan file written before route plans kept messages as codes.

Such a file holds its message, notes and unserved details and fixes as English sentences, each made
from one of the catalogue's routing entries (``route_plan.*``, ``route_note.*``, ``route_detail.*``,
``route_fix.*``; days as ``weekday.*``). :func:`legacy_message` finds the entry a sentence was made
from and its parameters, so an old project's routes read in Chinese as a new one's do. The parameters
come back as the text the sentence had (numbers already formatted), nested phrases (a detail's reason,
a fix's remedy, a day) as messages again.
"""

from __future__ import annotations

import functools
import re
import string

from optimizer.messages import EN, Msg

#: The catalogue entries a route plan's texts were made from.
_PREFIXES = ("route_plan.", "route_note.", "route_detail.", "route_fix.", "weekday.")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out: list[tuple[str, re.Pattern[str]]] = []
    for code, template in EN.items():
        if not code.startswith(_PREFIXES):
            continue
        parts: list[str] = []
        for literal, name, _spec, _conv in string.Formatter().parse(template):
            parts.append(re.escape(literal))
            if name is not None:
                parts.append(f"(?P<{name}>.+?)")
        out.append((code, re.compile("".join(parts) + r"\Z", re.DOTALL)))
    # the longest templates first: "... truck-days; {hauls} full-truckload haul(s)" before "... truck-days"
    return tuple(sorted(out, key=lambda cp: -len(cp[1].pattern)))


def legacy_message(text: str) -> Msg | None:
    """The routing message whose English is ``text``, or ``None`` when no routing entry made it."""
    if not text:
        return None
    for code, pattern in _patterns():
        match = pattern.match(text)
        if match is None:
            continue
        params = tuple((name, _param(value)) for name, value in match.groupdict().items())
        found = Msg(code, params)
        try:
            again = found.render("en")
        except (ValueError, KeyError, IndexError):  # a format spec its text cannot take
            continue
        if again == text:  # a lazy capture can split a sentence the wrong way: check it
            return found
    return None


def _param(value: str) -> object:
    nested = legacy_message(value)
    return value if nested is None else nested
