"""Render an English sentence the optimizer once stored as text in the report's language.

A network-design :class:`~optimizer.design.plan.Plan` and a :class:`~optimizer.routing.result.RoutePlan`
carry what they say as catalogue messages (code and parameters) and render them themselves
(``plan.status_message.render(lang)``, ``u.detail.render(lang)``); nothing here reads them, and a route
plan file written before its messages had codes is matched back to them when it is read
(:mod:`optimizer.routing.legacy`). What is left for :func:`translate` is English text that comes with
no code: such a text is matched against the shared message catalogue (:data:`optimizer.messages.EN`):
each English template becomes a pattern whose ``{params}`` capture the values, and the Chinese template
of the same code (:data:`optimizer.messages.ZH`) is filled with them; so every code the catalogue gains
is translated here too.

A message that matches no template is returned unchanged (never dropped: a reader loses no
information).
"""

from __future__ import annotations

import functools
import re
import string

from optimizer import messages
from optimizer.messages import placeholders

_FIELD = re.compile(r"\{(\w+)(?:[^{}]*)\}")
#: Catalogue templates with fewer literal letters than this are too general to match a whole message
#: ("{a} and {b}" would match any sentence with an "and").
MIN_LITERAL_LETTERS = 12
#: Units in captured values, in Chinese.
_UNITS = (
    (re.compile(r"(\d) kt Cu\b"), r"\1 千吨铜"),
    (re.compile(r"(\d) t Cu\b"), r"\1 吨铜"),
    (re.compile(r"(\d) kt\b"), r"\1 千吨"),
    (re.compile(r"(\d) M CNY\b"), r"\1 百万元"),
    (re.compile(r"(\d) M\b"), r"\1 百万"),
    (re.compile(r"(\d) CNY\b"), r"\1 元"),
    (re.compile(r"(\d) t\b"), r"\1 吨"),
    (re.compile(r"(\d) kg\b"), r"\1 千克"),
)


def _pattern(template: str) -> re.Pattern[str] | None:
    """``template`` as a regular expression capturing its fields (``None`` for repeated names).

    A field followed by more of the template captures no "; " (the clause separator): otherwise a short
    template ("the {wanted} target") would swallow two clauses of a longer message and leave both
    untranslated. Only a field that ends the template ("infeasible: {why}") may span clauses.
    """
    parsed = list(string.Formatter().parse(template))
    parts: list[str] = []
    names: set[str] = set()
    for i, (literal, name, _spec, _conv) in enumerate(parsed):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if not name.isidentifier() or name in names:
            return None
        names.add(name)
        last = i == len(parsed) - 1
        parts.append(f"(?P<{name}>.+?)" if last else f"(?P<{name}>(?:(?!; ).)+?)")
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _fill(template: str, values: dict[str, str]) -> str | None:
    """``template`` with its fields set to the captured text (format specs dropped: the text is
    already formatted as the English message had it)."""
    try:
        return _FIELD.sub(lambda m: values[m.group(1)], template)
    except KeyError:
        return None


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out: list[tuple[re.Pattern[str], str]] = []
    for code, en_template in messages.EN.items():
        zh_template = messages.ZH.get(code)
        literal = "".join(part[0] for part in string.Formatter().parse(en_template))
        if sum(ch.isalpha() for ch in literal) < MIN_LITERAL_LETTERS:
            continue
        pattern = _pattern(en_template)
        if zh_template is not None and pattern is not None:
            out.append((pattern, zh_template))
    # the longest templates first: "optimal within a gap of {gap}" before "optimal"
    return tuple(sorted(out, key=lambda pz: -len(pz[0].pattern)))


def translate(message: str, lang: str) -> str:
    """``message`` in ``lang`` ("en" returns it as it is). A message of several clauses joined by "; "
    that no template matches whole is translated clause by clause (the longest run that matches)."""
    if lang != "zh" or not message:
        return message
    whole = _one(message)
    if whole is not None:
        return whole
    parts = message.split("; ")
    if len(parts) == 1:
        return _units(message)
    out: list[str] = []
    i = 0
    while i < len(parts):
        for j in range(len(parts), i, -1):
            clause = "; ".join(parts[i:j])
            done = _one(clause)
            if done is not None:
                out.append(done)
                i = j
                break
        else:
            out.append(_units(parts[i]))
            i += 1
    return "；".join(out)


@functools.cache
def _exact() -> dict[str, str]:
    """English -> Chinese of the catalogue's messages without fields ("optimal", "stopped with a plan"):
    a nested phrase too short to match as a pattern, found whole."""
    out: dict[str, str] = {}
    for code, en_template in messages.EN.items():
        zh_template = messages.ZH.get(code)
        if zh_template is not None and not placeholders(en_template):
            out.setdefault(en_template, zh_template)
    return out


def _one(message: str) -> str | None:
    exact = _exact().get(message)
    if exact is not None:
        return exact
    for pattern, zh in _patterns():
        match = pattern.match(message)
        if match is not None:
            filled = _fill(zh, {k: translate(v, "zh") for k, v in match.groupdict().items()})
            if filled is not None:
                return filled.strip()
    return None


def _units(value: str) -> str:
    for pattern, zh in _UNITS:
        value = pattern.sub(zh, value)
    return value


def translate_message(message: str, lang: str = "en") -> str:
    """A message the optimizer once stored as English text, rendered in ``lang`` at display time: the
    public name for callers outside optimizer. A plan's and a route plan's messages need none of this:
    render them (``plan.status_message.render(lang)``, ``route_plan.notes[0].render(lang)``)."""
    return translate(message, lang)
