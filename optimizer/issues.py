"""Located validation problems: what is wrong, where, and what was expected.

One ``Issue`` type serves the Excel reader (wrong type, missing value), the cross-entity checks in
:mod:`optimizer.validation`, the CLI (one line per issue) and the GUI (double click jumps to the cell).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class CellRef:
    """A cell in a workbook: sheet name as written in the file, 1-based row, column letter."""

    sheet: str
    row: int
    column: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.column}{self.row}"


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in a network.

    ``entity`` is the kind of object ("collection_point", "grade", ...), ``entity_id`` its id when it
    has one, ``field`` the model field. ``cell`` is set when the network came from a workbook.
    """

    severity: Severity
    message: str
    entity: str = ""
    entity_id: str = ""
    field: str = ""
    value: object = None
    expected: str = ""
    cell: CellRef | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, cell: CellRef | None) -> Issue:
        """The same issue pointing at ``cell`` (kept as is when ``cell`` is None)."""
        if cell is None:
            return self
        return Issue(
            self.severity, self.message, self.entity, self.entity_id, self.field, self.value,
            self.expected, cell,
        )

    def __str__(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        tag = "warning: " if self.severity is Severity.WARNING else ""
        return f"{tag}{where}{self.message}"


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if not i.is_error]
