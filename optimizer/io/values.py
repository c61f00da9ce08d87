"""Cell values to model values and back, one column at a time, without openpyxl.

The reader and the GUI's table editors both parse what a person typed with :func:`parse_value`; the
writer formats with :func:`format_value`. What is accepted beyond plain typed cells:

* numbers stored as text, with surrounding spaces, full-width digits, or thousands separators in the
  unambiguous form ``1,200`` / ``1,234,567.5`` (a comma followed by exactly three digits); ``1,5`` is
  rejected rather than guessed;
* a percentage such as ``85%`` only in fraction columns (unit ``0-1``), read as 0.85;
* whole numbers in integer columns, also written ``3.0``; ``3.5`` is rejected;
* enum values in English or Chinese, any case (``Existing``, ``现有``);
* id lists separated by ``,`` ``，`` ``;`` ``；`` or ``、``;
* numeric ids (a cell typed ``101`` is the id ``"101"``).

Everything else raises :class:`ValueProblem` with a message that names the value and what was
expected; nothing is silently replaced by a default.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from optimizer.messages import Msg, column_expected, column_label, msg
from optimizer.schema import ColumnSpec

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ID_SEPARATORS = re.compile(r"[,;，；、]")
_TRUE = frozenset({"true", "yes", "y", "1", "是", "对"})
_FALSE = frozenset({"false", "no", "n", "0", "否", "不"})


class ValueProblem(ValueError):
    """A cell value that does not fit its column: ``message`` says what is wrong and what was expected.

    ``msg`` is the same message in the catalogue of :mod:`optimizer.messages` (``message`` is its English
    text), so that the reader's issue can be read in Chinese too.
    """

    def __init__(self, problem: Msg, expected: str) -> None:
        message = problem.render("en")
        super().__init__(message)
        self.msg = problem
        self.message = message
        self.expected = expected


@dataclass(frozen=True, slots=True)
class UnreadableValue:
    """A cell whose stored value the file's own encoding cannot give (``<v>NaN</v>`` in a number cell, a
    date cell that is no date, a shared text the file does not have): the text as stored and what it was
    stored as (``msg("stored.number")`` ...). :mod:`optimizer.io.sheet_rows` makes these;
    :func:`parse_value` reports them at their cell like any value that does not fit."""

    text: str
    stored: Msg
    #: the message: "cell.unreadable" (``{value} is saved as {stored} that cannot be read``) or
    #: "cell.shared_text_missing"
    code: str = "cell.unreadable"

    def __str__(self) -> str:
        return self.text


def is_blank(raw: object) -> bool:
    """True for an empty cell or one holding only whitespace."""
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def show(raw: object) -> str:
    """A cell value quoted for a message."""
    if isinstance(raw, str):
        text = raw if len(raw) <= 60 else raw[:57] + "..."
        return f'"{text}"'
    return repr(raw) if isinstance(raw, bool) else str(raw)


def parse_value(col: ColumnSpec, raw: object) -> Any:
    """The model value of cell ``raw`` in column ``col``.

    A blank cell gives the column's default when the column is optional and raises when it is
    required; an :class:`UnreadableValue` always raises.

    Raises
    ------
    ValueProblem
        The value does not fit; the message quotes it and says what was expected.
    """
    expected = col.expected()
    if isinstance(raw, UnreadableValue):
        problem = msg(raw.code, value=show(raw.text), stored=raw.stored, expected=column_expected(col))
        raise ValueProblem(problem, expected)
    if is_blank(raw):
        if col.required:
            raise ValueProblem(
                msg("cell.blank", column=column_label(col), expected=column_expected(col)), expected
            )
        return col.default
    if isinstance(raw, datetime | date | time | timedelta):
        raise ValueProblem(msg("cell.date", value=show(str(raw)), expected=column_expected(col)), expected)
    parser = _PARSERS[col.type]
    return parser(col, raw, expected)


def excel_error(raw: object, col: ColumnSpec) -> ValueProblem:
    """The problem for a cell whose saved value is an Excel error such as ``#DIV/0!``."""
    problem = msg("cell.excel_error", error=str(raw).strip(), expected=column_expected(col))
    return ValueProblem(problem, col.expected())


def _problem(raw: object, code: str, col: ColumnSpec, expected: str) -> ValueProblem:
    """``"<raw>" <what is wrong>; expected <expected>``, the wrong being message ``code``."""
    return ValueProblem(msg(code, value=show(raw), expected=column_expected(col)), expected)


def _parse_str(col: ColumnSpec, raw: object, expected: str) -> str:
    if isinstance(raw, bool):
        raise _problem(raw, "cell.yes_no", col, expected)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _problem(raw, "cell.not_finite", col, expected)
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw).strip()


def _number(col: ColumnSpec, raw: object, expected: str) -> float:
    if isinstance(raw, bool):
        raise _problem(raw, "cell.yes_no_not_number", col, expected)
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip()
        percent = text.endswith("%")
        if percent:
            if not col.is_fraction:
                raise _problem(raw, "cell.percentage", col, expected)
            text = text[:-1].strip()
        if _THOUSANDS.match(text):
            text = text.replace(",", "")
        if not _PLAIN_NUMBER.match(text):
            raise _problem(raw, "cell.not_number", col, expected)
        value = float(text) / (100.0 if percent else 1.0)
    else:
        raise _problem(raw, "cell.not_number", col, expected)
    if not math.isfinite(value):
        raise _problem(raw, "cell.not_finite", col, expected)
    return value


def _parse_float(col: ColumnSpec, raw: object, expected: str) -> float:
    return _number(col, raw, expected)


def _parse_int(col: ColumnSpec, raw: object, expected: str) -> int:
    value = _number(col, raw, expected)
    if not value.is_integer():
        raise _problem(raw, "cell.not_whole", col, expected)
    return int(value)


def _parse_bool(col: ColumnSpec, raw: object, expected: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalize_word(raw)
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _problem(raw, "cell.not_yes_no", col, expected)


def normalize_word(raw: object) -> str:
    """Text folded for matching an enum or yes/no word."""
    return unicodedata.normalize("NFKC", str(raw)).strip().lower()


def _parse_enum(col: ColumnSpec, raw: object, expected: str) -> str:
    text = normalize_word(raw)
    for value, zh in zip(col.allowed, col.allowed_zh or col.allowed, strict=True):
        if text in (value.lower(), zh.lower()):
            return value
    raise _problem(raw, "cell.not_allowed", col, expected)


def _parse_id_list(col: ColumnSpec, raw: object, expected: str) -> tuple[str, ...]:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return (_parse_str(col, raw, expected),)
    if not isinstance(raw, str):
        raise _problem(raw, "cell.not_id_list", col, expected)
    return tuple(part.strip() for part in _ID_SEPARATORS.split(raw) if part.strip())


_PARSERS = {
    "str": _parse_str,
    "float": _parse_float,
    "int": _parse_int,
    "bool": _parse_bool,
    "enum": _parse_enum,
    "id_list": _parse_id_list,
}


def format_value(col: ColumnSpec, value: Any, lang: str = "en") -> Any:
    """The cell value that writes model ``value`` of column ``col`` (None = blank cell)."""
    if value is None:
        return None
    if col.type == "enum":
        text = str(getattr(value, "value", value))
        labels = col.enum_labels(lang)
        return labels[col.allowed.index(text)] if text in col.allowed else text
    if col.type == "id_list":
        return ", ".join(value) if value else None
    if col.type == "float":
        return float(value)
    if col.type == "int":
        return int(value)
    if col.type == "bool":
        return bool(value)
    return str(value) if value != "" else None
