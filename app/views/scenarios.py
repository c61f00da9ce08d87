"""Scenarios: duplicate the current one, rename, delete, switch, solve several, and compare 2-4 side by
side (key figures, what differs in the inputs, and charts).

Solving the checked scenarios plans each as the Solve button would: over every year of its Periods sheet
when the panel's Years choice is all years (the multi-year investment plan, with the panel's multi-year
options), else the one year chosen (or the network's one year). The comparison then gains the
investment rows (NPV, IRR, payback, capex, builds with their first years) and shows a multi-year plan's
per-year figures as those of its last year, with the year said.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument, Scenario
from app.i18n import language, notifier, tr
from app.jobs import Job, JobCancelled, JobRunner, in_child_process
from app.table_models import display_value
from app.views.charts import PALETTE, BarChart
from app.views.results import _money
from optimizer import MultiYearOptions, Plan, SolveOptions, fixed_prices, schema
from optimizer.model import Network

MAX_COMPARED = 4


def _shown(spec: schema.ColumnSpec, value: object) -> str:
    return tr("table.no_limit") if value is None else display_value(spec, value)


def input_differences(base: Network, other: Network) -> list[str]:
    """What ``other`` changes relative to ``base``, as short lines in the UI language."""
    lang = language()
    lines: list[str] = []
    if base.name != other.name:
        lines.append(f"{schema.parameter_row('network_name').label(lang)}: {base.name} → {other.name}")
    for spec in schema.PARAMETER_ROWS[1:]:
        a, b = getattr(base.parameters, spec.key), getattr(other.parameters, spec.key)
        if a != b:
            unit = spec.unit_label(lang)
            lines.append(f"{spec.label(lang)}: {_shown(spec, a)} → {_shown(spec, b)} {unit}".rstrip())
    for field, sheet_key in (
        ("grades", "grades"),
        ("collection_points", "collection_points"),
        ("sites", "dismantling_sites"),
        ("smelters", "smelters"),
        ("vehicle_types", "vehicle_types"),
        ("distances", "distances"),
    ):
        a_items, b_items = getattr(base, field), getattr(other, field)
        if a_items == b_items:
            continue
        a_ids = {getattr(x, "id", i): x for i, x in enumerate(a_items)}
        b_ids = {getattr(x, "id", i): x for i, x in enumerate(b_items)}
        changed = sum(1 for k in a_ids.keys() & b_ids.keys() if a_ids[k] != b_ids[k])
        added = len(b_ids.keys() - a_ids.keys())
        removed = len(a_ids.keys() - b_ids.keys())
        name = tr(f"scenarios.part_{field}") if field == "sites" else schema.sheet(sheet_key).name(lang)
        lines.append(tr("scenarios.rows_changed", what=name, changed=changed, added=added, removed=removed))
    if base.parameters.copper_price_cny_per_t != other.parameters.copper_price_cny_per_t:
        # a copper-price scenario moves every linked price; say which fixed ones it left where they were
        fixed = fixed_prices(other)
        smelters = sum(f.kind == "smelter price" for f in fixed)
        if fixed:
            lines.append(tr("scenarios.fixed_prices", smelters=smelters, purchases=len(fixed) - smelters))
    return lines


def scenario_state(s: Scenario) -> str:
    """A scenario's plan in a few words, the same in the list and in the comparison: "Optimal",
    "Optimal (out of date)", "not solved"."""
    if s.plan is None:
        return tr("scenarios.state_none")
    status = tr(f"plan_status.{s.plan.status.value}")
    return f"{status} ({tr('scenarios.state_stale')})" if s.plan_stale else status


class ScenariosView(QWidget):
    """Scenario list with actions on the left, the comparison on the right.

    ``showScenario`` asks the window to show the map after switching to a scenario.
    """

    showScenario = Signal()

    def __init__(self, doc: NetworkDocument, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = runner
        self.options_provider: Callable[[], SolveOptions] = SolveOptions
        #: the options of a plan over all years (the Solve panel's, once the window wires it)
        self.multiyear_options_provider: Callable[[], MultiYearOptions] = MultiYearOptions
        #: the panel's Years choice: (all years?, the one year chosen or None), as Solve reads it
        self.years_provider: Callable[[], tuple[bool, int | None]] = lambda: (True, None)
        self._queue: list[Scenario] = []
        self._filling = False

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemChanged.connect(lambda _item: self._checked_changed())
        self.list.itemDoubleClicked.connect(self._switch_to_item)
        self.buttons = {k: QPushButton() for k in ("switch", "duplicate", "rename", "delete", "solve")}
        self.buttons["switch"].clicked.connect(lambda: self._switch_to_item(self.list.currentItem()))
        self.buttons["duplicate"].clicked.connect(self.duplicate)
        self.buttons["rename"].clicked.connect(self.rename_dialog)
        self.buttons["delete"].clicked.connect(self.delete)
        self.buttons["solve"].clicked.connect(self.solve_checked)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #57606a;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.title)
        left_layout.addWidget(self.list, 1)
        grid = QGridLayout()
        for i, key in enumerate(("switch", "duplicate", "rename", "delete")):
            grid.addWidget(self.buttons[key], i // 2, i % 2)
        left_layout.addLayout(grid)
        left_layout.addWidget(self.buttons["solve"])
        left_layout.addWidget(self.hint)

        self.compare_title = QLabel()
        self.compare_title.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.money_chart = BarChart(horizontal=False)
        self.util_chart = BarChart(horizontal=False)
        charts = QHBoxLayout()
        charts.addWidget(self.money_chart)
        charts.addWidget(self.util_chart)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.compare_title)
        right_layout.addWidget(self.table, 3)
        right_layout.addLayout(charts, 2)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([280, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

        doc.scenariosChanged.connect(self.refresh)
        doc.planChanged.connect(self.refresh)  # the list and the comparison show the same states
        runner.finished.connect(self._next_in_queue)
        notifier.changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("scenarios.title"))
        for key, button in self.buttons.items():
            button.setText(tr(f"scenarios.{key}"))
        self.hint.setText(tr("scenarios.hint"))
        self.compare_title.setText(tr("scenarios.compare"))
        self.refresh()

    # ---- list ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        # the ticks live in the document, so they are saved with the project and survive a reopen
        checked = set(self.doc.compared) or (
            {s.name for s in self.checked()} if self.list.count() else {self.doc.current.name}
        )
        self._filling = True
        self.list.clear()
        for i, s in enumerate(self.doc.scenarios):
            state = scenario_state(s)
            marker = "▶ " if i == self.doc.current_index else "   "
            item = QListWidgetItem(f"{marker}{s.name}  —  {state}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if s.name in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setCurrentRow(self.doc.current_index)
        self._filling = False
        self.doc.set_compared([s.name for s in self.checked()])
        self.buttons["delete"].setEnabled(len(self.doc.scenarios) > 1)
        self.compare()

    def checked(self) -> list[Scenario]:
        scenarios = self.doc.scenarios
        out = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            index = item.data(Qt.ItemDataRole.UserRole)
            if item.checkState() == Qt.CheckState.Checked and 0 <= index < len(scenarios):
                out.append(scenarios[index])
        return out

    def set_checked(self, names: list[str]) -> None:
        self._filling = True
        for row in range(self.list.count()):
            item = self.list.item(row)
            name = self.doc.scenarios[item.data(Qt.ItemDataRole.UserRole)].name
            item.setCheckState(Qt.CheckState.Checked if name in names else Qt.CheckState.Unchecked)
        self._filling = False
        self.doc.set_compared([s.name for s in self.checked()])
        self.compare()

    def _checked_changed(self) -> None:
        if not self._filling:
            self.doc.set_compared([s.name for s in self.checked()])
            self.compare()

    def _switch_to_item(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.doc.set_current_scenario(int(item.data(Qt.ItemDataRole.UserRole)))
        self.showScenario.emit()

    # ---- actions -------------------------------------------------------------------------------
    def duplicate(self) -> Scenario:
        copy = self.doc.duplicate_scenario(
            tr("scenarios.copy_name", name=self.doc.current.name), tr("undo.duplicate_scenario")
        )
        names = [s.name for s in self.checked()]
        self.set_checked([*names, copy.name][-MAX_COMPARED:])
        return copy

    def rename_dialog(self) -> None:
        scenario = self.doc.current
        name, ok = QInputDialog.getText(
            self, tr("scenarios.rename"), tr("scenarios.rename_prompt"), text=scenario.name
        )
        if ok:
            self.rename(scenario, name)

    def rename(self, scenario: Scenario, name: str) -> bool:
        try:
            self.doc.rename_scenario(scenario, name, tr("undo.rename_scenario"))
        except ValueError:
            QMessageBox.warning(self, tr("scenarios.rename"), tr("scenarios.name_taken", name=name))
            return False
        return True

    def delete(self) -> None:
        scenario = self.doc.current
        if len(self.doc.scenarios) <= 1:
            return
        answer = QMessageBox.question(
            self, tr("scenarios.delete"), tr("scenarios.delete_confirm", name=scenario.name)
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.doc.delete_scenario(scenario, tr("undo.delete_scenario"))

    def solve_checked(self) -> None:
        """Solve each checked scenario without a fresh plan, one after the other, with the panel's options."""
        self._queue = [s for s in self.checked() if s.plan is None or s.plan_stale]
        self._next_in_queue()

    def _next_in_queue(self, _kind: str = "") -> None:
        if self.runner.busy or not self._queue:
            return
        scenario = self._queue.pop(0)
        if scenario not in self.doc.scenarios:
            self._next_in_queue()
            return
        snapshot = scenario.network
        all_years, year = self.years_provider()
        if year is not None and year not in {p.year for p in snapshot.periods}:
            year = None  # a scenario without that period plans its own one year

        def done(outcome: tuple[list[Any], Plan | None]) -> None:
            _issues, plan = outcome
            if plan is not None and scenario in self.doc.scenarios:
                self.doc.set_plan(plan, snapshot, scenario)
            self.refresh()

        def failed(exc: BaseException, trace: str) -> None:
            from app.errors import show_error

            self._queue.clear()
            if isinstance(exc, JobCancelled):
                return
            show_error(tr("solve.failed", error=str(exc)), trace, self)

        if all_years and snapshot.periods:
            work = in_child_process(
                "app.child_jobs:checked_multiyear", snapshot, self.multiyear_options_provider()
            )
        else:
            work = in_child_process("app.child_jobs:checked_solve", snapshot, self.options_provider(), year)
        self.runner.submit(Job("solve", work, done, failed))

    # ---- comparison ----------------------------------------------------------------------------
    def compare(self) -> None:
        chosen = self.checked()[:MAX_COMPARED]
        if len(chosen) < 2:
            chosen = chosen or [self.doc.current]
        base = self.doc.scenarios[0].network
        plans = [s.plan for s in chosen]
        any_multi = any(p is not None and p.year_plans for p in plans)
        rows = ["status", *(INVESTMENT_ROWS if any_multi else ()), *YEAR_ROWS, "inputs"]
        self.table.clear()
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(chosen))
        self.table.setHorizontalHeaderLabels([s.name for s in chosen])
        self.table.setVerticalHeaderLabels([tr(f"compare.{r}") for r in rows])
        for c, s in enumerate(chosen):
            values = {
                "status": scenario_state(s),
                **investment_values(s.plan),
                **year_values(s.plan),
                "inputs": "\n".join(input_differences(base, s.network)) or tr("scenarios.same_as_base"),
            }
            for r, key in enumerate(rows):
                item = QTableWidgetItem(values[key])
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(r, c, item)
        solved = [(s.name, s.plan, s.plan.kpis) for s in chosen if s.plan is not None and s.plan.kpis]
        # over the years the charts compare NPV and the last year's utilization; a one-year plan has
        # no NPV, so a mixed comparison charts the one-year plans' profit only
        all_multi = bool(solved) and all(p.year_plans and p.npv_cny is not None for _n, p, _k in solved)
        if not all_multi:
            solved = [(n, p, k) for n, p, k in solved if not p.year_plans]
        names = [n for n, _p, _k in solved]
        self.money_chart.set_title(tr("compare.npv_chart" if all_multi else "compare.money_chart"))
        self.money_chart.set_bars(
            names,
            [(p.npv_cny or 0.0) if all_multi else k.profit_cny for _n, p, k in solved],
            list(PALETTE[: len(solved)]),
            fmt=_money,
            value_ticks=False,
        )
        self.util_chart.set_title(tr("compare.util_chart_last" if all_multi else "compare.util_chart"))
        self.util_chart.set_bars(
            names,
            [100 * k.utilization for _n, _p, k in solved],
            list(PALETTE[: len(solved)]),
            fmt=lambda v: f"{v:.1f} %",
        )


#: Rows of a plan over the years (shown when any compared plan is one).
INVESTMENT_ROWS = ("npv", "irr", "payback", "capex_total", "builds")
#: Rows of one year (a multi-year plan shows its last year's, the year said in the cell).
YEAR_ROWS = (
    "utilization",
    "copper",
    "profit",
    "cost",
    "transport",
    "fixed",
    "co2",
    "sites",
    "new_sites",
)


def _payback(value: float | None) -> str:
    if value is None:
        return tr("compare.never")
    if value <= 0:
        return tr("investment.within_first_year")
    return tr("investment.years_value", v=f"{value:,.1f}")


def investment_values(plan: Plan | None) -> dict[str, str]:
    """The investment rows of one column: NPV, IRR and payback of a plan over the years ("–" for a
    one-year plan), its capex and what it builds with each site's first year."""
    blank = dict.fromkeys(INVESTMENT_ROWS, "–")
    if plan is None or not plan.has_solution:
        return blank
    first: dict[str, int] = {}
    for b in sorted(plan.builds, key=lambda b: b.year):
        first.setdefault(b.site_id, b.year)
    builds = ", ".join(
        f"{site} {year}" for site, year in sorted(first.items(), key=lambda kv: (kv[1], kv[0]))
    )
    out = {
        **blank,
        "capex_total": _money(sum(b.capex_cny for b in plan.builds)),
        "builds": builds or tr("compare.no_builds"),
    }
    if plan.year_plans:
        out["npv"] = "–" if plan.npv_cny is None else _money(plan.npv_cny)
        out["irr"] = "–" if plan.irr is None else f"{100 * plan.irr:.1f} %"
        out["payback"] = _payback(plan.payback_years)
    return out


def year_values(plan: Plan | None) -> dict[str, str]:
    """The one-year rows of one column; a multi-year plan's are its last year's, "(2030)" after each."""
    k = plan.kpis if plan is not None else None
    if k is None or plan is None:
        return dict.fromkeys(YEAR_ROWS, "–")
    year = f" ({plan.periods[-1].year})" if plan.year_plans and plan.periods else ""
    values = {
        "utilization": f"{100 * k.utilization:.1f} %",
        "copper": f"{k.copper_delivered_t_cu:,.0f} t",
        "profit": _money(k.profit_cny),
        "cost": _money(k.total_cost_cny),
        "transport": _money(k.transport_cost_cny),
        "fixed": _money(k.fixed_cost_cny),
        "co2": f"{k.co2_t:,.0f} t",
        "sites": str(k.sites_open),
        "new_sites": str(k.new_sites_open),
    }
    return {key: text + year for key, text in values.items()}
