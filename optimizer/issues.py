"""Located validation problems: what is wrong, where, and what was expected.

One ``Issue`` type serves the Excel reader (wrong type, missing value), the cross-entity checks in
:mod:`optimizer.validation`, the CLI (one line per issue) and the GUI (double click jumps to the cell).
An issue built from a :class:`~optimizer.messages.Msg` reads in English or Chinese: see
:meth:`Issue.text` and :meth:`Issue.display`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from optimizer.messages import Msg, Params, render


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
    ``message`` and ``expected`` are English. ``code`` and ``params`` name the message in
    :mod:`optimizer.messages`, so that :meth:`text` can give it in another language; an issue without a
    code reads in English only.
    """

    severity: Severity
    message: str
    entity: str = ""
    entity_id: str = ""
    field: str = ""
    value: object = None
    expected: str = ""
    cell: CellRef | None = None
    code: str = ""
    params: Params = ()

    @classmethod
    def of(
        cls,
        severity: Severity,
        message: Msg,
        *,
        entity: str = "",
        entity_id: str = "",
        field: str = "",
        value: object = None,
        expected: str = "",
        cell: CellRef | None = None,
    ) -> Issue:
        """An issue whose message is ``message`` (its English text becomes ``self.message``)."""
        return cls(
            severity, message.render("en"), entity, entity_id, field, value, expected, cell,
            message.code, message.params,
        )

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, cell: CellRef | None) -> Issue:
        """The same issue pointing at ``cell`` (kept as is when ``cell`` is None)."""
        if cell is None:
            return self
        return replace(self, cell=cell)

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "zh"), without the cell; English when the issue has no code."""
        if lang == "en" or not self.code:
            return self.message
        return render(self.code, self.params, lang)

    def display(self, lang: str = "en") -> str:
        """The issue as one located line in ``lang``: ``str(issue)`` in English; in Chinese the same cell
        prefix (sheet name as written in the file) before the Chinese message."""
        if lang == "en":
            return str(self)
        where = f"{self.cell}: " if self.cell else ""
        tag = render("issue.warning_tag", (), lang) if self.severity is Severity.WARNING else ""
        return f"{tag}{where}{self.text(lang)}"

    def __str__(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        tag = "warning: " if self.severity is Severity.WARNING else ""
        return f"{tag}{where}{self.message}"


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def warnings(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if not i.is_error]
