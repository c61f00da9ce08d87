"""The Growth table: rows added and edited through the document (undoable), a grade that does not exist
refused, a blank grade or province meaning every one."""

from __future__ import annotations

from app.document import NetworkDocument
from app.table_models import ADAPTERS, SheetTableModel
from optimizer.model import Network, Period, SupplyGrowth


def test_growth_rows_are_added_edited_and_undone(qtbot, tiny_network: Network) -> None:
    network = tiny_network.replace(periods=(Period(2026), Period(2027)))
    doc = NetworkDocument(network)
    model = SheetTableModel(doc, ADAPTERS["growth"])
    assert model.rowCount() == 0
    model.add_row()
    assert doc.network.growth == (SupplyGrowth(2026),)  # the first period's year, every grade everywhere
    grade = network.grades[0].id
    province = network.collection_points[0].province
    assert model.setData(model.index(0, model.column_index("year")), "2027")
    assert model.setData(model.index(0, model.column_index("grade_id")), grade)
    assert model.setData(model.index(0, model.column_index("province")), province)
    assert model.setData(model.index(0, model.column_index("factor")), "1.25")
    assert doc.network.growth == (SupplyGrowth(2027, grade, province, 1.25),)
    refused: list[str] = []
    model.editRefused.connect(refused.append)
    assert not model.setData(model.index(0, model.column_index("grade_id")), "No9")
    assert "No9" in refused[0]
    assert not model.setData(model.index(0, model.column_index("factor")), "-1")
    assert doc.network.growth == (SupplyGrowth(2027, grade, province, 1.25),)
    for _ in range(5):
        doc.undo_stack.undo()
    assert doc.network is network
