"""Tables: typed cell edits through the document, refused values, paste, rows, sorting and filtering."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.document import NetworkDocument
from app.table_models import ADAPTERS, ParametersTableModel, SheetTableModel
from app.views.network_tables import NetworkTablesView
from optimizer.model import Network, SiteStatus


def _model(doc: NetworkDocument, key: str) -> SheetTableModel:
    return SheetTableModel(doc, ADAPTERS[key])


def test_edit_cell_then_undo_and_redo(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "supply")
    col = model.column_index("supply_t_per_year")
    assert model.setData(model.index(0, col), "1,250")
    assert doc.network.node("CP-01").supplies[0].supply_t_per_year == 1250.0
    assert model.index(0, col).data() == "1,250"

    doc.undo_stack.undo()
    assert doc.network is tiny_network
    assert model.index(0, col).data() == "1,000"
    doc.undo_stack.redo()
    assert model.index(0, col).data() == "1,250"


def test_bad_values_are_refused_with_a_located_message(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "grades")
    messages: list[str] = []
    model.editRefused.connect(messages.append)
    content = model.column_index("copper_content")
    assert not model.setData(model.index(0, content), "abc")
    assert not model.setData(model.index(0, content), "1.5")
    assert not model.setData(model.index(0, model.column_index("id")), "MOT")
    assert doc.network is tiny_network
    assert "Grades, row 1, Copper content (0-1)" in messages[0] and "not a number" in messages[0]
    assert "out of range" in messages[1] and "from 0 to 1" in messages[1]
    assert "already used" in messages[2]
    # percent is accepted for 0-1 columns
    assert model.setData(model.index(1, content), "12%")
    assert doc.network.grade("MOT").copper_content == 0.12


def test_unknown_reference_is_refused(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "supply")
    messages: list[str] = []
    model.editRefused.connect(messages.append)
    assert not model.setData(model.index(0, model.column_index("grade_id")), "No9")
    assert "No9" in messages[0]
    assert doc.network is tiny_network


def test_renaming_a_grade_follows_its_references(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "grades")
    assert model.setData(model.index(0, model.column_index("id")), "BB")
    net = doc.network
    assert net.node("CP-01").supplies[0].grade_id == "BB"
    assert net.smelters[0].accepted_grade_ids == ("BB",)
    assert {y.output_grade_id for y in net.sites[0].yields} == {"BB"}


def test_enum_cell_accepts_chinese_labels(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "dismantling_sites")
    assert model.setData(model.index(0, model.column_index("status")), "现有")
    assert doc.network.sites[0].status is SiteStatus.EXISTING


def test_paste_block_grows_the_table_as_one_undo_step(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    view = NetworkTablesView(doc)
    qtbot.addWidget(view)
    view.show_sheet("collection_points")
    table = view.views["collection_points"]
    table.setCurrentIndex(table.proxy.index(1, 0))
    text = "CP-02\tYard B2\t30.5\t114.1\nCP-03\tYard C\t30.9\t114.6\nCP-04\tYard D\t31.0\t114.7\n"
    assert table.paste(text)
    ids = [c.id for c in doc.network.collection_points]
    assert ids == ["CP-01", "CP-02", "CP-03", "CP-04"]
    assert doc.network.node("CP-04").lat == 31.0
    assert doc.network.node("CP-02").name == "Yard B2"
    doc.undo_stack.undo()
    assert doc.network is tiny_network


def test_paste_with_a_bad_cell_changes_nothing(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    view = NetworkTablesView(doc)
    qtbot.addWidget(view)
    table = view.views["collection_points"]
    table.setCurrentIndex(table.proxy.index(0, 2))
    assert not table.paste("30.1\t114\nnorth\t114\n")
    assert doc.network is tiny_network
    assert "not a number" in view.message.text()


def test_add_duplicate_delete_rows(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "collection_points")
    model.add_row()
    # the ids' own pattern (CP-03 beside CP-01, not the default CP-003)
    assert [c.id for c in doc.network.collection_points] == ["CP-01", "CP-02", "CP-03"]
    model.duplicate_rows([0])
    assert doc.network.collection_points[-1].id == "CP-04"
    assert doc.network.collection_points[-1].supplies == tiny_network.collection_points[0].supplies
    model.delete_rows([0, 1])
    assert [c.id for c in doc.network.collection_points] == ["CP-03", "CP-04"]
    for _ in range(3):
        doc.undo_stack.undo()
    assert doc.network is tiny_network


def test_child_rows_are_added_under_the_selected_parent(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = _model(doc, "supply")
    model.add_row(near=2)  # the CP-02 row
    assert [s.grade_id for s in doc.network.node("CP-02").supplies] == ["No1", "No1"]


def test_parameters_table_edits_and_refuses(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    model = ParametersTableModel(doc)
    keys = [p.key for p in model.params]
    row = keys.index("target_utilization")
    assert model.setData(model.index(row, model.VALUE), "85%")
    assert doc.network.parameters.target_utilization == 0.85
    assert model.setData(model.index(row, model.VALUE), "")
    assert doc.network.parameters.target_utilization is None
    assert model.index(row, model.VALUE).data() == "no limit"
    assert not model.setData(model.index(keys.index("circuity_factor"), model.VALUE), "0.5")


def test_sort_and_filter(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    view = NetworkTablesView(doc)
    qtbot.addWidget(view)
    view.show_sheet("supply")
    table = view.views["supply"]
    col = table.source.column_index("supply_t_per_year")
    table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    values = [table.proxy.index(r, col).data() for r in range(table.proxy.rowCount())]
    assert values == ["400", "500", "1,000"]
    view.filter_box.setText("MOT")
    assert table.proxy.rowCount() == 1


def test_validation_flags_cells(qtbot, tiny_network: Network) -> None:
    doc = NetworkDocument(tiny_network)
    view = NetworkTablesView(doc)
    qtbot.addWidget(view)
    model = view.models["grades"]
    assert isinstance(model, SheetTableModel)
    # A smelter that accepts nothing reachable: make a grade id unknown to supplies via delete.
    model.delete_rows([1])  # MOT is still supplied by CP-01 and in the yields
    view.revalidate()
    supply = view.models["supply"]
    flagged = [
        (r, c)
        for r in range(supply.rowCount())
        for c in range(supply.columnCount())
        if supply.index(r, c).data(Qt.ItemDataRole.BackgroundRole) is not None
    ]
    assert flagged, "the supply row of the deleted grade is flagged"
    assert view.issues and any(i.is_error for i in view.issues)
