"""The solve panel: what to optimise, under which limits, and the live view of a running solve.

Solve and the trade-off sweep run on the shared :class:`JobRunner` on a snapshot of the current
scenario's network, so the user may keep editing (the plan then arrives marked stale). Cancel asks the
solver to stop; the solver hands back its best plan so far, which is kept.

A network with a Periods sheet is planned over its years, as ``copperloop solve`` does: the Years choice
is "all years" (the multi-year investment plan, objectives NPV or least discounted cost; the targets and
capital budgets per year come from the Periods sheet) or one year of it (the one-year objectives, with
the minimum utilization and budget set here), as ``--single-year YEAR``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument, Scenario
from app.i18n import language, notifier, tr, tr_n
from app.jobs import Job, JobCancelled, JobRunner, ProgressUpdate, in_child_process
from optimizer import (
    Issue,
    LoopReport,
    Msg,
    MultiYearObjective,
    MultiYearOptions,
    Objective,
    ParetoResult,
    Plan,
    PlanStatus,
    RoutePlan,
    RoutingOptions,
    SolveOptions,
    SolverName,
    message,
    plan_status_message,
)
from optimizer.model import Network

SOLVE_JOBS = ("solve", "pareto", "routing")
#: The Years choice that plans every year of the Periods sheet (the others carry their year).
ALL_YEARS = 0


def fmt_number(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def loop_text(report: LoopReport) -> str:
    """What the design-routing loop did, in the UI language: rounds, why it stopped, the collection
    cost the design assumed against what the routes cost, and the share of visits served."""
    total = report.total()
    assumed, routed = total.assumed_cny_per_t, total.routed_cny_per_t
    return tr_n(
        "solve.loop_result",
        len(report.rounds),
        reason=tr(f"solve.loop_stop_{report.stop_reason}"),
        assumed=fmt_number(assumed, 1),
        routed=fmt_number(routed, 1),
        served=f"{100 * report.served_share:.1f}",
    )


def fmt_gap(gap: float | None) -> str:
    if gap is None:
        return "–"
    return "> 1000 %" if gap > 10 else f"{100 * gap:.2f} %"


class SolvePanel(QWidget):
    """Options, Solve / Sweep / Cancel, progress with incumbent, bound and gap, and the solver log.

    ``solved(plan)`` fires when a plan (or a sweep's first plan) has been attached to its scenario;
    ``wantsIssues(list)`` asks the window to list validation problems that block a solve.
    """

    solved = Signal(object)
    wantsIssues = Signal(list)

    def __init__(self, doc: NetworkDocument, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = runner
        self._started = 0.0
        #: a solve job of SOLVE_JOBS runs (its ``on_done`` included: the runner says finished after it)
        self._in_job = False
        self._last: ProgressUpdate | None = None
        self._stopped_early = False
        self._said = ""

        self.years = QComboBox()
        self.years.setObjectName("years")
        self.years.currentIndexChanged.connect(lambda _i: self._fill_objectives())
        self.objective = QComboBox()  # filled with the objectives of the years chosen
        self.target_on = QCheckBox()
        self.target = QDoubleSpinBox()
        self.target.setRange(0.0, 100.0)
        self.target.setDecimals(1)
        self.target.setSuffix(" %")
        self.target.setValue(80.0)
        self.budget_on = QCheckBox()
        self.budget = QDoubleSpinBox()
        self.budget.setRange(0.0, 1e13)
        self.budget.setDecimals(0)
        self.budget.setSingleStep(1e6)
        self.budget.setGroupSeparatorShown(True)
        self.budget.setValue(50e6)
        self.solver = QComboBox()
        self.solver.addItem("HiGHS", SolverName.HIGHS.value)
        self.solver.addItem("CBC", SolverName.CBC.value)
        self.time_limit = QSpinBox()
        self.time_limit.setRange(1, 86_400)
        self.time_limit.setValue(60)
        self.time_limit.setSuffix(" s")
        self.gap = QDoubleSpinBox()
        self.gap.setRange(0.0, 50.0)
        self.gap.setDecimals(3)
        self.gap.setValue(0.01)
        self.gap.setSuffix(" %")
        # the design-routing loop: each round solves, routes the week and re-prices collection from
        # the routes, so the plan's collection cost is the one the trucks achieve
        self.with_routes = QCheckBox()
        self.with_routes.setObjectName("with_routes")
        #: the routing options of the loop's rounds (the window hands in the Routes tab's)
        self.routing_options: Callable[[], RoutingOptions] | None = None
        self.points = QSpinBox()
        self.points.setRange(2, 25)
        self.points.setValue(5)
        self.target_on.toggled.connect(lambda _on: self._enable_limits())
        self.budget_on.toggled.connect(lambda _on: self._enable_limits())
        self.target.setEnabled(False)
        self.budget.setEnabled(False)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._labels = {
            k: QLabel()
            for k in (
                *("years", "objective", "target", "budget", "solver"),
                *("time_limit", "gap", "with_routes", "points"),
            )
        }
        self.form.addRow(self._labels["years"], self.years)
        self.form.addRow(self._labels["objective"], self.objective)
        self.form.addRow(self._labels["target"], _row(self.target_on, self.target))
        self.form.addRow(self._labels["budget"], _row(self.budget_on, self.budget))
        self.form.addRow(self._labels["solver"], self.solver)
        self.form.addRow(self._labels["time_limit"], self.time_limit)
        self.form.addRow(self._labels["gap"], self.gap)
        self.form.addRow(self._labels["with_routes"], self.with_routes)

        self.solve_button = QPushButton()
        self.solve_button.setDefault(True)
        self.solve_button.setStyleSheet("font-weight: bold; padding: 6px 14px;")
        self.solve_button.clicked.connect(self.solve)
        self.sweep_button = QPushButton()
        self.sweep_button.clicked.connect(self.sweep)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.solve_button, 2)
        buttons.addWidget(self.cancel_button, 1)
        sweep_row = QHBoxLayout()
        sweep_row.addWidget(self._labels["points"])
        sweep_row.addWidget(self.points)
        sweep_row.addWidget(self.sweep_button, 1)

        self.progress_box = QGroupBox()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.phase = QLabel()
        self.phase.setWordWrap(True)
        self.values = {k: QLabel("–") for k in ("elapsed", "incumbent", "bound", "gap")}
        self.value_labels = {k: QLabel() for k in self.values}
        grid = QGridLayout()
        for i, key in enumerate(self.values):
            grid.addWidget(self.value_labels[key], i // 2, (i % 2) * 2)
            self.values[key].setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self.values[key], i // 2, (i % 2) * 2 + 1)
        box = QVBoxLayout(self.progress_box)
        box.addWidget(self.bar)
        box.addWidget(self.phase)
        box.addLayout(grid)

        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label = QLabel()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(max(7, mono.pointSize() - 1))
        self.log.setFont(mono)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addLayout(sweep_row)
        layout.addWidget(self.progress_box)
        layout.addWidget(self.result)
        layout.addWidget(self.log_label)
        layout.addWidget(self.log, 1)
        self.setMinimumWidth(330)

        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_elapsed)
        runner.started.connect(self._on_started)
        runner.finished.connect(self._on_finished)
        runner.progressed.connect(self._on_progress)
        doc.networkChanged.connect(self._load_defaults_if_idle)
        doc.scenariosChanged.connect(self._show_current_plan)
        doc.planAttached.connect(self._on_plan_attached)
        notifier.changed.connect(lambda _lang: self.retranslate())
        self._defaults_for: Network | None = None
        self._load_defaults_if_idle()
        self.retranslate()

    # ---- language ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for key, label in self._labels.items():
            label.setText(tr(f"solve.{key}"))
        self._label_years()
        self.years.setToolTip(tr("solve.years_tip"))
        self._label_objectives()
        self.budget.setSuffix(" " + tr("unit.cny_per_year"))
        self.time_limit.setToolTip(tr("solve.time_limit_tip"))
        self.gap.setToolTip(tr("solve.gap_tip"))
        self.with_routes.setText(tr("solve.with_routes_box"))
        self.with_routes.setToolTip(tr("solve.with_routes_tip"))
        self.solve_button.setText(tr("solve.run"))
        self.sweep_button.setText(tr("solve.sweep"))
        self.sweep_button.setToolTip(tr("solve.sweep_tip"))
        self.cancel_button.setText(
            tr("solve.cancelling") if self.runner.cancel_requested else tr("solve.cancel")
        )
        self.progress_box.setTitle(tr("solve.progress"))
        for key, label in self.value_labels.items():
            label.setText(tr(f"solve.value_{key}"))
        self.log_label.setText(tr("solve.log"))
        if self._last is not None:
            self.phase.setText(self._last.event.describe(language()))
        if not self.runner.busy:
            self._show_current_plan()

    # ---- years and objectives ------------------------------------------------------------------
    def multi_year(self) -> bool:
        """Whether Solve plans every year of the Periods sheet (the network has one, "all years")."""
        return self.years.count() > 0 and self.years.currentData() == ALL_YEARS

    def single_year(self) -> int | None:
        """The one year of the Periods sheet Solve plans, or None (all years, or no Periods sheet)."""
        year = self.years.currentData() if self.years.count() else None
        return None if year in (None, ALL_YEARS) else int(year)

    def _fill_years(self) -> None:
        """One entry per period of the network (kept if still there), "all years" first; the row is
        hidden without a Periods sheet."""
        periods = sorted(self.doc.network.periods, key=lambda p: p.year)
        wanted = [ALL_YEARS, *(p.year for p in periods)] if periods else []
        have = [self.years.itemData(i) for i in range(self.years.count())]
        if wanted != have:
            keep = self.years.currentData()
            self.years.blockSignals(True)
            self.years.clear()
            for value in wanted:
                self.years.addItem("", value)
            index = self.years.findData(keep)
            self.years.setCurrentIndex(max(0, index))
            self.years.blockSignals(False)
        self._label_years()
        self.form.setRowVisible(self.years, bool(periods))
        self._fill_objectives()

    def _label_years(self) -> None:
        periods = {p.year: p for p in self.doc.network.periods}
        first, last = (
            min(periods, default=0),
            max((p.year + max(1, p.length_years) - 1 for p in periods.values()), default=0),
        )
        for i in range(self.years.count()):
            year = self.years.itemData(i)
            if year == ALL_YEARS:
                self.years.setItemText(i, tr("solve.years_all", first=first, last=last))
            elif year in periods and periods[year].length_years > 1:
                end = year + periods[year].length_years - 1
                self.years.setItemText(i, tr("solve.years_span", first=year, last=end))
            else:
                self.years.setItemText(i, tr("solve.years_one", year=year))

    def _label_objectives(self) -> None:
        """Objective names, and tooltips that say where the targets come from for the years chosen."""
        for i in range(self.objective.count()):
            self.objective.setItemText(i, tr(f"objective.{self.objective.itemData(i)}"))
        multi = self.multi_year()
        self.objective.setToolTip(tr("solve.objective_multiyear_tip" if multi else "solve.objective_tip"))
        target_tip = tr("solve.limits_multiyear_tip") if multi else tr("solve.target_tip")
        budget_tip = tr("solve.limits_multiyear_tip") if multi else tr("solve.budget_tip")
        self.target_on.setToolTip(target_tip)
        self.target.setToolTip(target_tip)
        self.budget_on.setToolTip(budget_tip)
        self.budget.setToolTip(budget_tip)

    def _fill_objectives(self) -> None:
        """The objectives of the years chosen: NPV or least discounted cost over all years, the one-year
        objectives for one year (the choice is kept where both offer it: cost)."""
        values = [o.value for o in MultiYearObjective] if self.multi_year() else [o.value for o in Objective]
        have = [self.objective.itemData(i) for i in range(self.objective.count())]
        if values != have:
            keep = self.objective.currentData()
            self.objective.blockSignals(True)
            self.objective.clear()
            for value in values:
                self.objective.addItem(tr(f"objective.{value}"), value)
            self.objective.setCurrentIndex(max(0, self.objective.findData(keep)))
            self.objective.blockSignals(False)
        self._enable_limits()
        self._label_objectives()

    def _enable_limits(self) -> None:
        """The minimum utilization and budget apply to one year; over all years the Periods sheet's
        targets and capital budgets do."""
        multi = self.multi_year()
        self.target_on.setEnabled(not multi)
        self.budget_on.setEnabled(not multi)
        self.target.setEnabled(not multi and self.target_on.isChecked())
        self.budget.setEnabled(not multi and self.budget_on.isChecked())
        self.with_routes.setEnabled(not multi)  # the loop plans one year's design and week

    # ---- options -------------------------------------------------------------------------------
    def _load_defaults_if_idle(self) -> None:
        """Take target and budget from the network's parameters when a new network is shown, and offer
        its years."""
        self._fill_years()
        params = self.doc.network.parameters
        if self._defaults_for is not None and self._defaults_for.parameters == params:
            return
        self._defaults_for = self.doc.network
        self.target_on.setChecked(params.target_utilization is not None)
        if params.target_utilization is not None:
            self.target.setValue(100.0 * params.target_utilization)
        self.budget_on.setChecked(params.annual_budget_cny is not None)
        if params.annual_budget_cny is not None:
            self.budget.setValue(params.annual_budget_cny)

    def options(self) -> SolveOptions:
        """The one-year options the widgets describe (the solver log is always forwarded to the panel).

        Over all years the objective says what each year is planned for (NPV: profit), which is what
        the trade-off sweep and the scenario comparison, both one-year plans, use.
        """
        objective = self.objective.currentData()
        return SolveOptions(
            objective=Objective.PROFIT if objective == MultiYearObjective.NPV.value else Objective(objective),
            target_utilization=self.target.value() / 100.0 if self.target_on.isChecked() else None,
            budget_cny=self.budget.value() if self.budget_on.isChecked() else None,
            solver=SolverName(self.solver.currentData()),
            time_limit_s=float(self.time_limit.value()),
            mip_gap=self.gap.value() / 100.0,
            log_to_progress=True,
        )

    def multiyear_options(self) -> MultiYearOptions:
        """The options of a solve over all years of the Periods sheet."""
        return MultiYearOptions(
            objective=MultiYearObjective(self.objective.currentData()),
            solver=SolverName(self.solver.currentData()),
            time_limit_s=float(self.time_limit.value()),
            mip_gap=self.gap.value() / 100.0,
            log_to_progress=True,  # the solver's lines, named by year, in the log as a one-year solve's
        )

    # ---- running -------------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.runner.busy:
            self.result.setText(tr("busy.text", job=tr(f"job.{self.runner.current_kind}")))
            return False
        if self.objective.currentData() != Objective.COST.value:
            return True
        net = self.doc.network
        if self.multi_year():
            if net.parameters.target_utilization is None and all(
                p.target_utilization is None for p in net.periods
            ):
                self.result.setText(tr("solve.cost_needs_period_target"))
                self.result.setStyleSheet("color: #a40000;")
                return False
        elif not self.target_on.isChecked() and net.parameters.target_utilization is None:
            self.result.setText(tr("solve.cost_needs_target"))
            self.result.setStyleSheet("color: #a40000;")
            return False
        return True

    def _blocked(self, issues: list[Issue]) -> None:
        """The network has errors: say so and ask the window to list them (double click jumps)."""
        errors = [i for i in issues if i.is_error]
        self.result.setText(tr("solve.blocked", n=len(errors)))
        self.result.setStyleSheet("color: #a40000;")
        self.wantsIssues.emit(issues)

    def solve(self) -> bool:
        """Validate and solve the current scenario in the background; False when it could not start.

        Over all years of a Periods sheet this is the multi-year investment plan, else one year.
        """
        if not self._ready():
            return False
        snapshot, scenario = self.doc.network, self.doc.current

        def done(outcome: tuple[list[Issue], Plan | None]) -> None:
            issues, plan = outcome
            if plan is None:
                self._blocked(issues)
                return
            self._attach(plan, snapshot, scenario)

        if self.multi_year():
            work = in_child_process("app.child_jobs:checked_multiyear", snapshot, self.multiyear_options())
        elif self.with_routes.isChecked():
            return self._solve_with_routes(snapshot, scenario)
        else:
            year = self.single_year()
            work = in_child_process("app.child_jobs:checked_solve", snapshot, self.options(), year)
        return self.runner.submit(Job("solve", work, done, self._failed))

    def _solve_with_routes(self, snapshot: Network, scenario: Scenario) -> bool:
        """The design-routing loop in the background: the plan, then its routes, then what the loop did."""

        def done(outcome: tuple[list[Issue], Plan | None, RoutePlan | None, LoopReport | None]) -> None:
            issues, plan, routes, report = outcome
            if plan is None:
                self._blocked(issues)
                return
            self._attach(plan, snapshot, scenario)
            if routes is not None and scenario in self.doc.scenarios:
                self.doc.set_route_plan(routes, snapshot, scenario)
            if report is not None:
                self.result.setText(self.result.text() + "\n" + loop_text(report))

        routing = self.routing_options() if self.routing_options is not None else None
        work = in_child_process(
            "app.child_jobs:checked_solve_with_routes", snapshot, self.options(), self.single_year(), routing
        )
        return self.runner.submit(Job("solve", work, done, self._failed))

    def sweep(self) -> bool:
        """Run the cost-vs-utilization trade-off sweep in the background (on the year chosen, or on the
        network's base year when all years are chosen: a sweep is a set of one-year plans)."""
        if not self._ready():
            return False
        snapshot, scenario, options = self.doc.network, self.doc.current, self.options()

        def done(outcome: tuple[list[Issue], ParetoResult | None]) -> None:
            issues, result = outcome
            if result is None:
                self._blocked(issues)
                return
            self.doc.set_pareto(list(result.plans), snapshot, scenario)
            best = next((p for p in reversed(result.plans) if p.has_solution), None)
            low, high = (min(result.targets), max(result.targets)) if result.targets else (0.0, 0.0)
            summary = message(
                "status.sweep",
                solved=len(result.plans),
                n=points,
                low=f"{100 * low:.1f}%",
                high=f"{100 * high:.1f}%",
            )
            self._show_result_text(result.status, summary)
            self.solved.emit(best)

        points, year = self.points.value(), self.single_year()
        work = in_child_process("app.child_jobs:checked_pareto", snapshot, options, points, year)
        return self.runner.submit(Job("pareto", work, done, self._failed))

    def cancel(self) -> None:
        self._stopped_early = True
        self.runner.cancel()
        self.cancel_button.setText(tr("solve.cancelling"))
        self.cancel_button.setEnabled(False)

    def _attach(self, plan: Plan, snapshot: Network, scenario: Scenario) -> None:
        if scenario in self.doc.scenarios:
            self.doc.set_plan(plan, snapshot, scenario)
        self._stopped_early = self._stopped_early or plan.status is PlanStatus.CANCELLED
        self._show_final_values(plan)
        self._show_plan_text(plan)
        self.solved.emit(plan)

    def _failed(self, exc: BaseException, trace: str) -> None:
        from app.errors import show_error

        if isinstance(exc, JobCancelled):
            self.result.setText(tr("solve.cancelled_empty"))
            self.result.setStyleSheet("color: #9a6700;")
            return
        self.result.setText(tr("solve.failed", error=str(exc)))
        self.result.setStyleSheet("color: #a40000;")
        show_error(tr("solve.failed", error=f"{type(exc).__name__}: {exc}"), trace, self)

    # ---- showing progress ----------------------------------------------------------------------
    def _on_started(self, kind: str) -> None:
        if kind not in SOLVE_JOBS:
            return
        self._started = time.monotonic()
        self._in_job = True
        self._last = None
        self._stopped_early = False
        self._said = ""
        self.log.clear()
        self.bar.setRange(0, 0)
        self.phase.setText(tr("solve.starting"))
        for label in self.values.values():
            label.setText("–")
        self.result.setText("")
        self.solve_button.setEnabled(False)
        self.sweep_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(tr("solve.cancel"))
        self._tick.start()

    def _on_finished(self, kind: str) -> None:
        if kind not in SOLVE_JOBS:
            return
        if self.runner.current_kind in SOLVE_JOBS:
            # a follow-up solve started before this job's end reached the panel (the Scenarios view
            # solves the checked scenarios one after the other, starting the next as one ends)
            return
        self._in_job = False
        self._tick.stop()
        self._update_elapsed()
        self.bar.setRange(0, 1000)
        if not self._stopped_early:
            self.bar.setValue(1000)  # a cancelled job's bar stays where it stopped
        self.solve_button.setEnabled(True)
        self.sweep_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText(tr("solve.cancel"))

    def _on_progress(self, update: ProgressUpdate) -> None:
        if update.kind not in SOLVE_JOBS:
            return
        self._last = update
        ev = update.event
        if ev.fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * max(0.0, min(1.0, ev.fraction))))
        # rendered now, in the language shown now; retranslate renders the same event again
        said = ev.describe(language())
        self.phase.setText(said)
        if said != self._said and not ev.log_line:
            # each step also goes to the log, so a long model build never shows an empty log
            self._said = said
            self.log.appendPlainText(f"[{update.elapsed_s:6.1f} s] {said}")
        if ev.incumbent is not None:
            self.values["incumbent"].setText(fmt_number(ev.incumbent))
        if ev.bound is not None:
            self.values["bound"].setText(fmt_number(ev.bound))
        if ev.gap is not None:
            self.values["gap"].setText(fmt_gap(ev.gap))
        if update.log_lines:
            self.log.appendPlainText("\n".join(update.log_lines))

    def _on_plan_attached(self, plan: Plan, _scenario: Scenario) -> None:
        """A plan a solve job returned, whoever started it (this panel, or the Scenarios view solving
        the checked scenarios one after the other): the box ends with that plan's figures, not with
        the last (throttled) progress event's."""
        if self._in_job:
            self._show_final_values(plan)

    def _show_final_values(self, plan: Plan) -> None:
        """The box ends with the plan's own objective, bound and gap, so it agrees with the result line
        (progress events are throttled; the last one the box saw may be older than the plan)."""
        self.values["incumbent"].setText(fmt_number(plan.objective))
        self.values["bound"].setText(fmt_number(plan.best_bound))
        self.values["gap"].setText(fmt_gap(plan.gap))

    def _update_elapsed(self) -> None:
        if self._started:
            self.values["elapsed"].setText(f"{time.monotonic() - self._started:,.1f} s")

    # ---- result text ---------------------------------------------------------------------------
    def _show_current_plan(self) -> None:
        plan = self.doc.plan
        if plan is None:
            self.result.setText(tr("solve.no_plan_yet"))
            self.result.setStyleSheet("color: #555;")
        else:
            self._show_plan_text(plan)

    def _show_plan_text(self, plan: Plan) -> None:
        self._show_result_text(plan.status, plan_status_message(plan), plan)

    def _show_result_text(self, status: PlanStatus, message: Msg | None, plan: Plan | None = None) -> None:
        text = tr(f"plan_status.{status.value}")
        if plan is not None and plan.objective is not None:
            unit = tr("unit.t_cu") if plan.objective_name == "utilization" else tr("unit.cny")
            text += " — " + tr("solve.objective_value", value=fmt_number(plan.objective), unit=unit)
            if plan.gap is not None:
                text += ", " + tr("solve.gap_value", gap=fmt_gap(plan.gap))
        if message is not None:
            text += "\n" + message.render(language())
        good = status in (PlanStatus.OPTIMAL, PlanStatus.FEASIBLE)
        self.result.setText(text)
        self.result.setStyleSheet("color: #1a7f37;" if good else "color: #9a6700;")


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for w in widgets:
        row.addWidget(w, 1 if not isinstance(w, QCheckBox) else 0)
    return holder
