"""Render the optimizer's English messages (a plan's status message and notes, the routing's message,
notes and unserved details) in the report's language.

The solvers and the routing store their messages as English text. A message is matched against

1. the shared message catalogue (:data:`optimizer.messages.EN`): each English template becomes a
   pattern whose ``{params}`` capture the values, and the Chinese template of the same code
   (:data:`optimizer.messages.ZH`) is filled with them; so every code the catalogue gains is
   translated here too;
2. :data:`TEMPLATES`, the sentences the multi-year, infeasibility and routing modules still write as
   plain text (the routes' message, the unserved details, ...): English template, Chinese template.
   The network design's plan notes are catalogue messages (``plan_note.*``) and need no entry here.

A message that matches neither is returned unchanged (never dropped: a reader loses no information);
the test of the Chinese report lists the samples' messages, so a new untranslated sentence fails it.
"""

from __future__ import annotations

import functools
import re
import string

from optimizer import messages
from optimizer.design.plan import Plan
from optimizer.messages import placeholders

#: English -> Chinese templates of messages written as plain text. ``{name}`` captures any text (the
#: shortest that lets the rest match); a Chinese template uses the same names.
TEMPLATES: tuple[tuple[str, str], ...] = (
    # the multi-year plan's status messages (optimizer.design.multiyear_solve)
    ("optimal (gap {gap})", "最优（间隙 {gap}）"),
    ("stopped at the time limit ({limit} s) with gap {gap}", "在时间限制（{limit} 秒）处停止，间隙 {gap}"),
    ("stopped at the time limit ({limit} s)", "在时间限制（{limit} 秒）处停止"),
    ("no plan found within the time limit ({limit} s)", "在时间限制（{limit} 秒）内未找到方案"),
    ("cancelled; the best plan so far is kept", "已取消；保留目前最佳方案"),
    ("cancelled", "已取消"),
    ("the requirements cannot all hold (see below)", "各项要求无法同时满足（见下文）"),
    ("the solver failed: {why}", "求解器出错：{why}"),
    (
        "{site} must run {module} in {year} but cannot yet (earliest year, lead time or build time)",
        "{site} 须在 {year} 年运行 {module}，但届时尚不能运行（最早年份、准备期或建设期）",
    ),
    # why the requirements cannot all hold (optimizer.design.infeasibility)
    ("infeasible: {why}", "不可行：{why}"),
    # the shortfalls themselves are catalogue messages (infeasible.*); their context phrase is too
    # short to match as a pattern
    ("the {wanted} target", " {wanted} 的目标"),
    # the routes' message, notes and unserved details are catalogue messages (route_plan.*,
    # route_note.*, route_detail.*, route_fix.*)
)

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
    for en, zh in TEMPLATES:
        pattern = _pattern(en)
        if pattern is not None:
            out.append((pattern, zh))
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
    """A message the optimizer stored as English text (a plan's status message, note or shortfall, a
    route plan's note) rendered in ``lang`` at display time: the public name the app calls."""
    return translate(message, lang)


def translate_all(items: tuple[str, ...] | list[str], lang: str) -> tuple[str, ...]:
    return tuple(translate(m, lang) for m in items)


def translate_summary(summary: str, plan: Plan, lang: str) -> str:
    """A plan's printed summary with its status message, notes and shortfalls in ``lang`` (the summary
    quotes them as the solver wrote them, in English)."""
    if lang != "zh":
        return summary
    lines = summary.splitlines()
    quoted = {plan.message, *plan.notes, *(s.message for s in plan.infeasibility)}
    out = []
    for line in lines:
        body = line.lstrip(" -")
        lead = line[: len(line) - len(body)]
        out.append(lead + translate(body, lang) if body in quoted else line)
    return "\n".join(out)
