"""The network's sheets as editable tables, tabbed along the bottom like the workbook they mirror.

Each tab is a :class:`SheetTableModel` behind a sort/filter proxy. Edits go to the document as undo
commands; a refused value shows its reason under the toolbar (and as a tooltip at the cell). Cells that
validation flags are tinted, with the problem in their tooltip. Selecting nodes here selects them on
the map, and the other way round.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument
from app.i18n import language, notifier, tr
from app.table_models import (
    ADAPTERS,
    ID_ROLE,
    NODE_SHEETS,
    SORT_ROLE,
    ParametersTableModel,
    SheetTableModel,
    known_ids,
    sheet_words,
)
from optimizer import Issue, schema, validate
from optimizer.model import Network

TableModel = SheetTableModel | ParametersTableModel


class _ChoiceDelegate(QStyledItemDelegate):
    """A drop-down editor for enum columns (translated labels) and id-reference columns (known ids)."""

    def __init__(self, model: TableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        if isinstance(self._model, SheetTableModel):
            col = self._model.columns[index.column()]
            if col.type == "enum":
                combo = QComboBox(parent)
                combo.addItems(list(col.enum_labels(language())))
                return combo
            if col.ref and col.type == "str":
                combo = QComboBox(parent)
                combo.setEditable(True)
                ids = sorted(known_ids(self._model.doc.network, col.ref))
                combo.addItems(([""] if not col.required else []) + ids)
                return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = str(index.data(Qt.ItemDataRole.EditRole) or "")
            found = editor.findText(text)
            if found >= 0:
                editor.setCurrentIndex(found)
            elif editor.isEditable():
                editor.setEditText(text)
            return
        super().setEditorData(editor, index)

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class _RowNumbers(QHeaderView):
    """The row numbers down the left: as wide as the widest number, the last row's.

    Qt's own size hint asks the model for the headers of the first and last 100 rows in four roles,
    each a call into Python: with the national network that was 3,000-6,000 calls per reset sheet,
    hidden or not (80-190 ms of the first paint after an open). Row numbers only widen downwards.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        # as QTableView's own header: a click on a number selects its row
        self.setSectionsClickable(True)
        self.setHighlightSections(True)

    def sizeHint(self) -> QSize:
        count = self.count()
        if count == 0:
            return super().sizeHint()
        return self.sectionSizeFromContents(0).expandedTo(self.sectionSizeFromContents(count - 1))


class SheetView(QTableView):
    """A table view with Excel-like copy (Ctrl+C) and block paste (Ctrl+V) of tab-separated text."""

    def __init__(self, model: TableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.setModel(self.proxy)
        self.setItemDelegate(_ChoiceDelegate(model, self))
        self.setSortingEnabled(isinstance(model, SheetTableModel))
        if isinstance(model, SheetTableModel):
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setAlternatingRowColors(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(200)
        self.setVerticalHeader(_RowNumbers(self))
        self.verticalHeader().setDefaultSectionSize(24)

    def fit_columns(self) -> None:
        """Size columns to their contents (sampling the first rows), none wider than 320 px.

        A hidden table is sized when it is first shown: measuring all ten sheets of a national network
        on every open took most of the open's time (3.7 of 5.4 s), for tables nobody was looking at.
        """
        if not self.isVisible():
            self._fit_pending = True
            return
        self._fit_pending = False
        self.resizeColumnsToContents()
        for c in range(self.model().columnCount()):
            self.setColumnWidth(c, min(self.columnWidth(c), 320))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_pending", False):
            self.fit_columns()

    def source_rows(self) -> list[int]:
        """Selected rows in source-model numbering."""
        rows = {self.proxy.mapToSource(i).row() for i in self.selectionModel().selectedIndexes()}
        if not rows and self.currentIndex().isValid():
            rows = {self.proxy.mapToSource(self.currentIndex()).row()}
        return sorted(r for r in rows if r >= 0)

    def keyPressEvent(self, event: Any) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste(QGuiApplication.clipboard().text())
            return
        super().keyPressEvent(event)

    def copy_selection(self) -> None:
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = [
            "\t".join(
                str(self.proxy.index(r, c).data(Qt.ItemDataRole.EditRole) or "") if (r, c) in chosen else ""
                for c in cols
            )
            for r in rows
        ]
        QGuiApplication.clipboard().setText("\n".join(lines))

    def paste(self, text: str) -> bool:
        """Paste a tab-separated block at the current cell as one undoable edit; rows past the end are
        added."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        while lines and not lines[-1]:
            lines.pop()
        if not lines:
            return False
        selected = self.selectionModel().selectedIndexes()
        if len(lines) == 1 and "\t" not in lines[0] and len(selected) > 1:
            # one value into a selection fills every selected cell, as in Excel
            cells = [(self.proxy.mapToSource(i).row(), i.column(), lines[0]) for i in selected]
            return self.source.set_cells(cells, grow=False)
        start = self.currentIndex()
        r0 = start.row() if start.isValid() else self.proxy.rowCount()
        c0 = start.column() if start.isValid() else 0
        visible = self.proxy.rowCount()
        total = self.source.rowCount()
        edits: list[tuple[int, int, Any]] = []
        for i, line in enumerate(lines):
            pr = r0 + i
            if pr < visible:
                sr = self.proxy.mapToSource(self.proxy.index(pr, 0)).row()
            else:
                sr = total + (pr - visible)
            for j, cell in enumerate(line.split("\t")):
                edits.append((sr, c0 + j, cell))
        return self.source.set_cells(edits, grow=True)


class NetworkTablesView(QWidget):
    """Every sheet of the current network as a tab, with filter, add, duplicate and delete."""

    SOURCE = "tables"
    validated = Signal(object, list)

    def __init__(self, doc: NetworkDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.models: dict[str, TableModel] = {}
        self.views: dict[str, SheetView] = {}
        self.issues: list[Issue] = []
        self._syncing = False

        self.filter_box = QLineEdit()
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._apply_filter)
        self.add_button = QToolButton()
        self.duplicate_button = QToolButton()
        self.delete_button = QToolButton()
        self.add_button.clicked.connect(self.add_row)
        self.duplicate_button.clicked.connect(self.duplicate_rows)
        self.delete_button.clicked.connect(self.delete_rows)
        self.issue_label = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a40000; padding: 2px;")
        self.message.hide()
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")

        bar = QHBoxLayout()
        bar.addWidget(self.filter_box, 2)
        for b in (self.add_button, self.duplicate_button, self.delete_button):
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.issue_label)

        self.tabs = QTabWidget()
        self.tabs.setTabPosition(QTabWidget.TabPosition.South)
        self.tabs.setDocumentMode(True)
        for spec in schema.data_sheets():
            model: TableModel
            if spec.key == schema.PARAMETERS_SHEET.key:
                model = ParametersTableModel(doc, self)
            else:
                model = SheetTableModel(doc, ADAPTERS[spec.key], self)
            model.editRefused.connect(self.show_refusal)
            model.rowsEdited.connect(lambda rows, key=spec.key: self._select_source_rows(key, rows))
            view = SheetView(model)
            model.modelReset.connect(view.fit_columns)
            view.selectionModel().selectionChanged.connect(lambda *_, key=spec.key: self._on_selection(key))
            self.models[spec.key] = model
            self.views[spec.key] = view
            self.tabs.addTab(view, spec.key)
        self.tabs.currentChanged.connect(lambda _i: self._on_tab_changed())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addLayout(bar)
        layout.addWidget(self.description)
        layout.addWidget(self.tabs, 1)
        # below the table: a refusal shown above it pushed the rows down under the user's cursor
        layout.addWidget(self.message)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(250)
        self._validate_timer.timeout.connect(self.revalidate_in_background)
        self.validated.connect(self._on_validated)
        doc.networkChanged.connect(self._validate_timer.start)
        doc.networkChanged.connect(self.message.hide)
        doc.selectionChanged.connect(self.show_selection)
        # a bound method, not a lambda: Qt drops the connection when the view is deleted
        notifier.changed.connect(self._language_changed)
        self.retranslate()
        self.revalidate()
        for view in self.views.values():
            view.fit_columns()

    # ---- language ------------------------------------------------------------------------------
    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        lang = language()
        for i, spec in enumerate(schema.data_sheets()):
            self.tabs.setTabText(i, sheet_words(spec))
            # the tooltip also names the sheet as it is in the workbook, to find it in Excel
            self.tabs.setTabToolTip(i, f"{spec.description(lang)}\n({spec.name(lang)})")
            self.models[spec.key].retranslate()
        self.filter_box.setPlaceholderText(tr("tables.filter"))
        self.add_button.setText(tr("tables.add"))
        self.duplicate_button.setText(tr("tables.duplicate"))
        self.delete_button.setText(tr("tables.delete"))
        self.add_button.setToolTip(tr("tables.add_tip"))
        self.duplicate_button.setToolTip(tr("tables.duplicate_tip"))
        self.delete_button.setToolTip(tr("tables.delete_tip"))
        self._on_tab_changed()
        self._show_issue_count()

    # ---- current sheet -------------------------------------------------------------------------
    def current_key(self) -> str:
        return schema.data_sheets()[self.tabs.currentIndex()].key

    def current_view(self) -> SheetView:
        return self.views[self.current_key()]

    def show_sheet(self, key: str) -> None:
        self.tabs.setCurrentIndex([s.key for s in schema.data_sheets()].index(key))

    def _on_tab_changed(self) -> None:
        key = self.current_key()
        self.description.setText(schema.sheet(key).description(language()))
        editable_rows = isinstance(self.models[key], SheetTableModel)
        for b in (self.add_button, self.duplicate_button, self.delete_button):
            b.setEnabled(editable_rows)
        self._apply_filter(self.filter_box.text())

    def _apply_filter(self, text: str) -> None:
        self.current_view().proxy.setFilterFixedString(text)

    # ---- row actions ---------------------------------------------------------------------------
    def add_row(self) -> None:
        model = self.models[self.current_key()]
        if isinstance(model, SheetTableModel):
            rows = self.current_view().source_rows()
            model.add_row(rows[-1] if rows else None)

    def duplicate_rows(self) -> None:
        model = self.models[self.current_key()]
        rows = self.current_view().source_rows()
        if isinstance(model, SheetTableModel) and rows:
            model.duplicate_rows(rows)

    def delete_rows(self) -> None:
        model = self.models[self.current_key()]
        rows = self.current_view().source_rows()
        if isinstance(model, SheetTableModel) and rows:
            model.delete_rows(rows)

    def show_refusal(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()
        window = self.window()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message.splitlines()[0], 8000)

    def _select_source_rows(self, key: str, rows: Sequence[int]) -> None:
        view = self.views[key]
        model = self.models[key]
        selection = QItemSelection()
        for r in rows:
            if 0 <= r < model.rowCount():
                left = view.proxy.mapFromSource(model.index(r, 0))
                right = view.proxy.mapFromSource(model.index(r, model.columnCount() - 1))
                selection.select(left, right)
        if selection.isEmpty():
            return
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        view.selectionModel().select(selection, flags)
        first = selection.indexes()[0]
        view.setCurrentIndex(first)
        view.selectionModel().select(selection, flags)
        view.scrollTo(first)

    # ---- validation ----------------------------------------------------------------------------
    def revalidate(self) -> None:
        """Check the current network now, on this thread (tests; the app uses the background path)."""
        self._on_validated(self.doc.network, validate(self.doc.network))

    def revalidate_in_background(self) -> None:
        """Check the network in a short-lived thread: a national network takes a few hundred ms, which
        must not freeze typing. The result is shown only if the network has not changed since."""
        snapshot = self.doc.network

        def check() -> None:
            issues = validate(snapshot)
            with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                self.validated.emit(snapshot, issues)

        threading.Thread(target=check, name="copperloop-validate", daemon=True).start()

    def show_validation(self, network: Network, issues: list[Issue]) -> None:
        """Show ``issues`` found for ``network`` elsewhere (the open job checks on its worker), instead
        of checking it again in a thread that would compete with the map's first paint."""
        if network is self.doc.network:
            self._validate_timer.stop()
        self._on_validated(network, issues)

    def _on_validated(self, network: object, issues: list[Issue]) -> None:
        if network is not self.doc.network:
            return
        self.issues = issues
        for model in self.models.values():
            model.set_issues(self.issues)
        self._show_issue_count()

    def _show_issue_count(self) -> None:
        errors = sum(1 for i in self.issues if i.is_error)
        warnings = len(self.issues) - errors
        if not self.issues:
            self.issue_label.setText(tr("tables.no_issues"))
            self.issue_label.setStyleSheet("color: #1a7f37;")
        else:
            self.issue_label.setText(tr("tables.issue_count", errors=errors, warnings=warnings))
            self.issue_label.setStyleSheet("color: #a40000;" if errors else "color: #9a6700;")

    def show_issue(self, issue: Issue) -> bool:
        """Switch to the sheet and select the cell ``issue`` points at; False when it points nowhere."""
        for key, model in self.models.items():
            found = model.locate(issue)
            if found is None:
                continue
            row, col = found
            self.show_sheet(key)
            view = self.views[key]
            self.filter_box.clear()
            index = view.proxy.mapFromSource(model.index(row, col))
            view.setCurrentIndex(index)
            view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            view.setFocus()
            return True
        if issue.cell is not None:
            folded = schema.normalize(issue.cell.sheet)
            for spec in schema.data_sheets():
                if folded in schema.sheet_keys(spec):
                    self.show_sheet(spec.key)
                    view = self.views[spec.key]
                    row = max(0, issue.cell.row - 2)
                    if row < view.proxy.rowCount():
                        view.setCurrentIndex(view.proxy.index(row, 0))
                    return True
        return False

    # ---- selection shared with the map ---------------------------------------------------------
    def _on_selection(self, key: str) -> None:
        if self._syncing or key not in NODE_SHEETS:
            return
        view = self.views[key]
        ids = []
        for r in sorted({i.row() for i in view.selectionModel().selectedIndexes()}):
            node_id = view.proxy.index(r, 0).data(ID_ROLE)
            if node_id:
                ids.append(node_id)
        self.doc.select(ids, self.SOURCE)

    def show_selection(self, ids: list[str], source: str) -> None:
        if source == self.SOURCE or not ids:
            return
        self._syncing = True
        try:
            for key in NODE_SHEETS:
                model = self.models[key]
                assert isinstance(model, SheetTableModel)
                rows = [r for r in (model.row_of_id(i) for i in ids) if r is not None]
                if rows:
                    self.show_sheet(key)
                    self.filter_box.clear()
                    self._select_source_rows(key, rows)
                    break
        finally:
            self._syncing = False
