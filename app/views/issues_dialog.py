"""Every problem found in a workbook or network, in one list; double-click one to go to its cell."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import language, notifier, tr
from optimizer import Issue

_ERROR = QBrush(QColor("#a40000"))
_WARNING = QBrush(QColor("#9a6700"))


class IssuesDialog(QDialog):
    """A non-modal list of issues. ``activated(issue)`` fires on double click (or Enter)."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(False)
        self.resize(820, 420)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnCount(4)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._activate)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_all)
        buttons.rejected.connect(self.hide)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.hint)
        layout.addWidget(buttons)
        self.issues: list[Issue] = []
        self._title = ""
        notifier.changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self._title or tr("issues.title"))
        self.tree.setHeaderLabels(
            [tr("issues.severity"), tr("issues.where"), tr("issues.subject"), tr("issues.message")]
        )
        self.hint.setText(tr("issues.hint"))
        self.copy_button.setText(tr("issues.copy"))
        self._fill()

    def set_issues(self, issues: list[Issue], title: str) -> None:
        self.issues = list(issues)
        self._title = title
        self.setWindowTitle(title)
        self._fill()

    def _fill(self) -> None:
        self.tree.clear()
        errors = sum(1 for i in self.issues if i.is_error)
        self.summary.setText(
            tr("issues.none")
            if not self.issues
            else tr("issues.summary", errors=errors, warnings=len(self.issues) - errors)
        )
        for issue in self.issues:
            severity = tr("issues.error") if issue.is_error else tr("issues.warning")
            subject = " ".join(x for x in (issue.entity, issue.entity_id, issue.field) if x)
            text = issue.text(language())
            item = QTreeWidgetItem([severity, str(issue.cell or ""), subject, text])
            item.setForeground(0, _ERROR if issue.is_error else _WARNING)
            # The Chinese text already says what is expected; ``expected`` is English only.
            if issue.expected and language() == "en":
                text += f"\n{tr('issues.expected')}: {issue.expected}"
            item.setToolTip(3, text)
            item.setData(0, Qt.ItemDataRole.UserRole, issue)
            self.tree.addTopLevelItem(item)
        for c in range(3):
            self.tree.resizeColumnToContents(c)

    def _activate(self, item: QTreeWidgetItem, _column: int) -> None:
        issue = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(issue, Issue):
            self.activated.emit(issue)

    def copy_all(self) -> None:
        QApplication.clipboard().setText("\n".join(str(i) for i in self.issues))
