"""Open a workbook for planning: parse it, then check the whole network, in one located issue list.

:func:`optimizer.io.reader.read_network` reports what it cannot parse; :func:`optimizer.validation.validate`
reports what is wrong with the network as a whole. Callers (the CLI, the GUI's Open) want both, in
that order, each pointing at its cell.
"""

from __future__ import annotations

from pathlib import Path

from optimizer.io.reader import ReadResult, read_network
from optimizer.issues import Issue
from optimizer.validation import validate


def load_network(path: str | Path) -> ReadResult:
    """Read the workbook at ``path`` and validate the network it holds.

    Returns
    -------
    ReadResult
        ``network`` is ``None`` only when the file could not be read as a workbook at all (missing,
        damaged, encrypted, not an .xlsx). ``issues`` lists the parse problems first, then the validation
        problems. A row the reader could not parse is not in the network, so validation never
        reports its cells a second time.
    """
    result = read_network(path)
    if result.network is None:
        return result
    checks = validate(result.network, result.source)
    return ReadResult(result.network, [*result.issues, *checks], result.source)


def has_errors(result: ReadResult) -> bool:
    """Whether ``result`` is unfit to plan with: no network, or any issue of severity error."""
    return result.network is None or any(issue.is_error for issue in result.issues)


def count_issues(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings) in ``issues``."""
    errors = sum(1 for issue in issues if issue.is_error)
    return errors, len(issues) - errors
