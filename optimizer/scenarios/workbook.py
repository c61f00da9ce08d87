"""A sweep definition from the project workbook's Sweeps sheet (rows read by :mod:`optimizer.io.sweeps`).

A row is a factor (``copper_price`` | ``60000:90000:10000``) or a setting whose name starts with ``#``:
``#samples``, ``#seed``, ``#tornado_pct``, ``#tolerance`` (break-even, CNY/t Cu), ``#single_year``
(plan only that year of a network with periods) and ``#stochastic`` (yes/no). A row that cannot be used
is an error at its cell; the others are still read.
"""

from __future__ import annotations

from pathlib import Path

from optimizer.design.plan import joined
from optimizer.io.sweeps import SweepRow, add_sweeps_sheet, read_sweep_rows
from optimizer.issues import Issue, Severity
from optimizer.messages import Msg, msg
from optimizer.scenarios.definition import SweepDefinition
from optimizer.scenarios.factors import Factor, FactorError, parse_factor

__all__ = ["add_sweeps_sheet", "definition_rows", "read_sweep"]

_YES = {"yes", "true", "1", "y", "是"}
_NO = {"no", "false", "0", "n", "否", ""}


def read_sweep(path: str | Path) -> tuple[SweepDefinition | None, list[Issue]]:
    """The workbook's sweep (``None`` when it has no Sweeps sheet, or no usable factor) and its problems."""
    rows, issues = read_sweep_rows(path)
    if rows is None:
        return None, issues
    factors: list[Factor] = []
    settings: dict[str, object] = {}
    for row in rows:
        try:
            if row.factor.startswith("#"):
                settings.update(_setting(row))
            else:
                factors.append(parse_factor(f"{row.factor}={row.values}"))
        except FactorError as error:
            issues.append(_issue(row, error.message))
    if not factors:
        return None, issues
    definition = SweepDefinition(factors=tuple(factors), **settings)  # type: ignore[arg-type]
    problems = definition.problem_messages()
    if problems:
        issues.append(_issue(rows[0], msg("sweep_def.problems", problems=joined(problems))))
    return definition, issues


def definition_rows(definition: SweepDefinition) -> list[tuple[str, str]]:
    """The Sweeps sheet's rows of ``definition`` (what :func:`read_sweep` reads back)."""
    out = [(f.name, _values_text(f)) for f in definition.factors]
    if definition.samples is not None:
        out += [("#samples", str(definition.samples)), ("#seed", str(definition.seed))]
    out += [
        ("#tornado_pct", f"{definition.tornado_pct:g}"),
        ("#tolerance", f"{definition.break_even_tolerance_cny:g}"),
        ("#stochastic", "yes" if definition.stochastic else "no"),
    ]
    if definition.single_year is not None:
        out.append(("#single_year", str(definition.single_year)))
    return out


def _values_text(f: Factor) -> str:
    return ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in f.values)


def _setting(row: SweepRow) -> dict[str, object]:
    name, value = row.factor.lower(), row.values.strip()
    if name == "#stochastic":
        if value.lower() not in _YES | _NO:
            raise FactorError(msg("sweep_setting.yes_no", value=value))
        return {"stochastic": value.lower() in _YES}
    numeric = {
        "#samples": "samples",
        "#seed": "seed",
        "#tornado_pct": "tornado_pct",
        "#tolerance": "break_even_tolerance_cny",
        "#single_year": "single_year",
    }
    if name not in numeric:
        known = f"{', '.join(numeric)}, #stochastic"
        raise FactorError(msg("sweep_setting.unknown", name=row.factor, known=known))
    try:
        number = float(value)
    except ValueError:
        raise FactorError(msg("sweep_setting.not_number", name=row.factor, value=value)) from None
    key = numeric[name]
    return {key: int(number) if key in ("samples", "seed", "single_year") else number}


def _issue(row: SweepRow, message: Msg) -> Issue:
    """The row's problem at its cell, readable in both languages (``issue.text("zh")``)."""
    return Issue.of(
        Severity.ERROR, message, entity="sweep", entity_id=row.factor, value=row.values, cell=row.cell
    )
