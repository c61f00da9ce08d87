"""Sweep: define factors, run every scenario in the background (local worker processes), watch progress,
cancel, then read a chart of a KPI against a factor and the site-robustness table with break-even prices.

The view only builds a :class:`optimizer.SweepDefinition` from what is typed and hands
:func:`optimizer.run_sweep` to the one job runner; the sweep itself never touches a widget. A network
with periods is swept over all its years (the chart then starts on NPV) unless *Plan* picks one year.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.document import NetworkDocument
from app.i18n import language, notifier, tr
from app.jobs import Job, JobCancelled, JobRunner
from optimizer import (
    FactorError,
    LocalPool,
    SolveOptions,
    SweepDefinition,
    SweepResult,
    message,
    parse_factor,
    read_sweep,
    run_sweep,
    write_sweep_report,
)

#: What a new sweep starts from: the question a board asks first.
DEFAULT_FACTORS = "copper_price=60000:90000:10000\nsupply=0.8,1.0,1.2"
#: The chart's KPIs of a one-year sweep, and of a sweep over periods (NPV first; the rest last year's).
KPIS = ("profit", "utilization", "sites")
KPIS_MULTIYEAR = ("npv", "profit_last", "utilization_last", "sites")
#: KPIs in CNY: charted in millions
MONEY_KPIS = ("profit", "npv", "profit_last")


#: Factors with a name in words (the others are shown as typed, e.g. supply.grade.MOT)
NAMED_FACTORS = ("copper_price", "supply", "carbon_price", "target_utilization", "capex_factor")


def factor_label(name: str) -> str:
    """``copper_price`` as "Copper price (CNY/t Cu)" (铜价（元/吨铜）); other factors as typed."""
    return tr(f"sweep.factor_{name}") if name in NAMED_FACTORS else name


def _value_text(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _fixed_named(result: SweepResult) -> str:
    """The fixed prices by kind, grade and value: ``12 × purchase price MOT (5,800 CNY/t)``."""
    groups: dict[tuple[str, str, float, str], int] = {}
    for f in result.fixed_prices:
        key = (f.kind, f.subject_id.partition("/")[2], f.value, f.unit)
        groups[key] = groups.get(key, 0) + 1
    parts = []
    for (kind, grade, value, unit), n in groups.items():
        unit_key = "sweep.unit_cny_t_cu" if unit == "CNY/t Cu" else "sweep.unit_cny_t"
        kind_text = tr("sweep.fixed_smelter" if kind.startswith("smelter") else "sweep.fixed_purchase")
        value_text = f"{_money(value)} {tr(unit_key)}"
        parts.append(tr("sweep.fixed_group", n=n, kind=kind_text, grade=grade, value=value_text))
    return ", ".join(parts)


class SweepView(QWidget):
    """The sweep tab. ``finished`` is emitted with the result when a sweep ends (also when cancelled)."""

    finished = Signal(object)

    def __init__(self, doc: NetworkDocument, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.runner = runner
        self.result: SweepResult | None = None
        self._job: Job | None = None

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.factors = QPlainTextEdit(DEFAULT_FACTORS)
        self.factors.setMaximumHeight(110)
        self.samples = QSpinBox()
        self.samples.setRange(0, 100_000)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.workers = QSpinBox()
        self.workers.setRange(1, 256)
        self.workers.setValue(LocalPool().workers)
        self.stochastic = QCheckBox()
        self.break_even = QCheckBox()
        self.break_even.setChecked(True)
        #: all the years of the Periods sheet (None) or one of them, as ``copperloop sweep --single-year``
        self.horizon = QComboBox()
        self._horizon_years: list[int | None] = [None]
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button = QPushButton()
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_dialog)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.form = QFormLayout()
        self.form.addRow(self.title)
        self.form.addRow(self.factors)
        self.samples_label, self.seed_label, self.workers_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.samples_label, self.samples)
        self.form.addRow(self.seed_label, self.seed)
        self.form.addRow(self.workers_label, self.workers)
        self.horizon_label = QLabel()
        # on a row of its own: "all years, 2025–2030 (NPV)" does not fit beside the long labels
        self.form.addRow(self.horizon_label)
        self.form.addRow(self.horizon)
        self.form.addRow(self.stochastic)
        self.form.addRow(self.break_even)
        buttons = QHBoxLayout()
        for b in (self.run_button, self.cancel_button, self.export_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.form.addRow(self.progress)
        self.form.addRow(self.status)
        # fields as wide as the panel (the Plan choice is long), rows packed at the top
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(self.form)
        left_layout.addStretch(1)

        self.kpi = QComboBox()
        self.factor_axis = QComboBox()
        self.kpi.currentIndexChanged.connect(lambda _i: self.redraw())
        self.factor_axis.currentIndexChanged.connect(lambda _i: self.redraw())
        self.kpi_label, self.against_label = QLabel(), QLabel()
        chooser = QHBoxLayout()
        for w in (self.kpi_label, self.kpi, self.against_label, self.factor_axis):
            chooser.addWidget(w)
        chooser.addStretch(1)
        self.chart = pg.PlotWidget()
        self.chart.setBackground("w")
        self.chart.showGrid(x=True, y=True, alpha=0.3)
        self.robustness = QTableWidget(0, 4)
        self.robustness.verticalHeader().setVisible(False)
        header = self.robustness.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the site's name takes what is left
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(chooser)
        right_layout.addWidget(self.chart, 2)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(self.robustness, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        # a bound method, not a lambda: Qt drops the connection when this view is deleted
        notifier.changed.connect(self._language_changed)
        doc.networkChanged.connect(self._network_changed)
        self.retranslate()

    # ---- texts ---------------------------------------------------------------------------------

    @Slot(str)
    def _language_changed(self, _lang: str) -> None:
        self.retranslate()

    @Slot()
    def _network_changed(self) -> None:
        self._fill_horizon()

    def load_definition(self, path: str) -> bool:
        """Fill the form from ``path``'s Sweeps sheet; False when it has none (the form stays as it is).

        It reads the workbook: the main window reads it in its open job instead and calls
        :meth:`show_definition`, so opening never reads a workbook twice on the GUI thread."""
        try:
            definition, _issues = read_sweep(path)
        except OSError:
            return False
        if definition is None:
            return False
        return self.show_definition(definition)

    def show_definition(self, definition: SweepDefinition) -> bool:
        """Fill the form with a project's Sweeps-sheet definition (a bad row was left out when read)."""
        self.factors.setPlainText(
            "\n".join(f"{f.name}={','.join(_value_text(v) for v in f.values)}" for f in definition.factors)
        )
        self.samples.setValue(definition.samples or 0)
        self.seed.setValue(definition.seed)
        self.stochastic.setChecked(definition.stochastic)
        self.break_even.setChecked(definition.break_even)
        return True

    def sweeps_rows(self) -> list[tuple[str, str]]:
        """The form as Sweeps-sheet rows (factor, values), for the project workbook; none when the form
        holds no factor. Lines are kept as typed, so a half-written factor is not lost on save."""
        rows = []
        for line in self.factors.toPlainText().splitlines():
            name, _, values = line.strip().partition("=")
            if name.strip() and values.strip():
                rows.append((name.strip(), values.strip()))
        if not rows:
            return []
        if self.samples.value():
            rows += [("#samples", str(self.samples.value())), ("#seed", str(self.seed.value()))]
        rows.append(("#stochastic", "yes" if self.stochastic.isChecked() else "no"))
        if self.single_year() is not None:
            rows.append(("#single_year", str(self.single_year())))
        return rows

    def _fill_horizon(self) -> None:
        """*Plan*: all the years (NPV) and each period's year, or "one year" for a network without."""
        years = sorted({p.year for p in self.doc.network.periods})
        chosen = self.single_year()
        self._horizon_years = [None, *years]
        self.horizon.blockSignals(True)
        self.horizon.clear()
        if years:
            self.horizon.addItem(tr("sweep.horizon_all", first=years[0], last=years[-1]))
            for year in years:
                self.horizon.addItem(tr("sweep.horizon_year", year=year))
        else:
            self.horizon.addItem(tr("sweep.horizon_one"))
        index = self._horizon_years.index(chosen) if chosen in self._horizon_years else 0
        self.horizon.setCurrentIndex(index)
        self.horizon.setEnabled(bool(years))
        self.horizon.blockSignals(False)

    def single_year(self) -> int | None:
        """The one year *Plan* asks for, or ``None`` (all the years, or a network without periods)."""
        i = self.horizon.currentIndex()
        return self._horizon_years[i] if 0 <= i < len(self._horizon_years) else None

    def _kpis(self) -> tuple[str, ...]:
        return KPIS_MULTIYEAR if self.result is not None and self.result.multiyear else KPIS

    def retranslate(self) -> None:
        self.title.setText(tr("sweep.title"))
        self.horizon_label.setText(tr("sweep.horizon"))
        self._fill_horizon()
        self.samples_label.setText(tr("sweep.samples"))
        self.seed_label.setText(tr("sweep.seed"))
        self.workers_label.setText(tr("sweep.workers"))
        self.stochastic.setText(tr("sweep.stochastic"))
        self.break_even.setText(tr("sweep.break_even"))
        self.run_button.setText(tr("sweep.run"))
        self.cancel_button.setText(tr("sweep.cancel"))
        self.export_button.setText(tr("sweep.export"))
        self.kpi_label.setText(tr("sweep.kpi"))
        self.against_label.setText(tr("sweep.against"))
        current = self.kpi.currentIndex()
        self.kpi.blockSignals(True)
        self.kpi.clear()
        self.kpi.addItems([tr(f"sweep.kpi_{k}") for k in self._kpis()])
        self.kpi.setCurrentIndex(max(0, current))
        self.kpi.blockSignals(False)
        self.robustness.setHorizontalHeaderLabels(
            [tr("sweep.col_site"), tr("sweep.col_share"), tr("sweep.col_opens"), tr("sweep.col_break_even")]
        )
        if self.result is None and self._job is None:
            self.status.setText(tr("sweep.idle"))
        elif self.result is not None:
            self.show_result(self.result)

    # ---- running -------------------------------------------------------------------------------

    def definition(self) -> SweepDefinition:
        """What the form says; raises :class:`FactorError` with the reason (a catalogue message)."""
        lines = [line.strip() for line in self.factors.toPlainText().splitlines() if line.strip()]
        factors = tuple(parse_factor(line) for line in lines)
        if not factors:
            raise FactorError(message("factor.none"))
        definition = SweepDefinition(
            factors=factors,
            samples=self.samples.value() or None,
            seed=self.seed.value(),
            break_even=self.break_even.isChecked(),
            stochastic=self.stochastic.isChecked(),
            single_year=self.single_year(),
        )
        definition.check()
        return definition

    def run(self) -> bool:
        """Start the sweep in the background; False (with the reason shown) when it cannot start."""
        try:
            definition = self.definition()
        except FactorError as error:
            self.status.setText(tr("sweep.bad_factor", reason=error.text(language())))
            return False
        except ValueError as error:  # a bug's own words: no catalogue entry says them
            self.status.setText(tr("sweep.bad_factor", reason=str(error)))
            return False
        network = self.doc.network
        workers = self.workers.value()
        options = SolveOptions(threads=1)

        def work(progress: Any, cancel: Any) -> SweepResult:
            with LocalPool(workers) as pool:
                return run_sweep(
                    network, definition, options, executor=pool, progress=progress, cancel=cancel
                )

        def done(result: SweepResult) -> None:
            self._job = None
            self._set_running(False)
            self.result = result
            self.show_result(result)
            self.finished.emit(result)

        def failed(error: BaseException, _details: str) -> None:
            self._job = None
            self._set_running(False)
            if isinstance(error, JobCancelled):
                self.status.setText(tr("sweep.cancelled", n=0))
            elif isinstance(error, FactorError):  # the network cannot take a factor: say why in words
                self.status.setText(tr("sweep.failed", reason=error.text(language())))
            else:
                self.status.setText(tr("sweep.failed", reason=str(error)))

        job = Job("sweep", work, done, failed)
        if not self.runner.submit(job):
            return False
        self._job = job
        self.runner.progressed.connect(self._on_progress)
        self._set_running(True)
        self.status.setText(tr("sweep.running", n=definition.count()))
        return True

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel.cancel()

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.export_button.setEnabled(not running and self.result is not None)
        if not running:
            with contextlib.suppress(RuntimeError, TypeError):
                self.runner.progressed.disconnect(self._on_progress)

    def _on_progress(self, update: Any) -> None:
        if update.kind != "sweep":
            return
        event = update.event
        if event.fraction is not None:
            self.progress.setValue(int(1000 * event.fraction))
        text = event.message_text(language())
        if text:
            self.status.setText(text)

    # ---- results -------------------------------------------------------------------------------

    def show_result(self, result: SweepResult) -> None:
        lang = language()
        ok = [s for s in result.scenarios if s.ok]
        kpis = KPIS_MULTIYEAR if result.multiyear else KPIS
        if self.kpi.count() != len(kpis) or self.kpi.itemText(0) != tr(f"sweep.kpi_{kpis[0]}"):
            self.kpi.blockSignals(True)
            self.kpi.clear()
            self.kpi.addItems([tr(f"sweep.kpi_{k}") for k in kpis])
            self.kpi.setCurrentIndex(0)
            self.kpi.blockSignals(False)
        key = "sweep.cancelled" if result.cancelled else "sweep.done"
        self.status.setText(
            tr(
                key,
                n=len(ok) if result.cancelled else len(result.scenarios),
                seconds=result.runtime_s,
                workers=result.workers,
                failed=len(result.failed),
            )
        )
        self.progress.setValue(1000)
        self.export_button.setEnabled(True)
        names = [f.name for f in result.definition.factors if f.is_numeric]
        self.factor_axis.blockSignals(True)
        self.factor_axis.clear()
        for name in names:  # shown in words where the factor has a name, kept as its id for the series
            self.factor_axis.addItem(factor_label(name), name)
        self.factor_axis.blockSignals(False)
        prices = {b.site_id: b for b in result.break_even}
        self.robustness.setRowCount(len(result.robustness))
        for r, site in enumerate(result.robustness):
            b = prices.get(site.site_id)
            price = "—"
            if b is not None:
                price = (
                    _money(b.copper_price_cny_per_t_cu)
                    if b.copper_price_cny_per_t_cu is not None
                    else tr(f"sweep.be_{b.status}", low=_money(b.low), high=_money(b.high))
                )
            values = (
                f"{site.site_id} {site.name}",
                f"{100 * site.share:.0f} %",
                f"{site.opens_in} / {site.scenarios}",
                price,
            )
            for c, text in enumerate(values):
                self.robustness.setItem(r, c, QTableWidgetItem(text))
            if b is not None and b.message is not None:  # why no price was found, in the UI language
                item = self.robustness.item(r, 3)
                if item is not None:
                    item.setToolTip(b.message.render(lang))
        if result.multiyear:
            lines = [
                tr(
                    "sweep.summary_multiyear",
                    npv=_money(result.base.npv_cny),
                    first=result.years[0],
                    last=result.years[-1],
                    profit=_money(result.base.profit_cny),
                )
            ]
        else:
            lines = [tr("sweep.summary", profit=_money(result.base.profit_cny))]
        st = result.stochastic
        if st is not None and st.expected_profit_cny is None:  # no two-stage design: say how it ended
            lines.append(tr("sweep.stochastic_none", why=st.message.render(lang)))
        elif st is not None:
            lines.append(
                tr(
                    "sweep.stochastic_line_npv" if st.multiyear else "sweep.stochastic_line",
                    rp=_money(st.expected_profit_cny),
                    vss=_money(st.vss_cny),
                    evpi=_money(st.evpi_cny),
                )
            )
        if result.fixed_prices:
            lines.append(tr("sweep.fixed_line", what=_fixed_named(result)))
        unsolved = [s for s in result.scenarios if not s.ok and s.message is not None]
        if unsolved:  # the first scenario without a plan, and why (the sweep workbook lists every one)
            first = unsolved[0]
            lines.append(
                tr(
                    "sweep.not_solved_line",
                    n=len(unsolved),
                    scenario=", ".join(f"{k}={_value_text(v)}" for k, v in first.factors.items()),
                    why=first.message.render(lang) if first.message is not None else "",
                )
            )
        self.summary.setText(" ".join(lines))
        self.redraw()

    def series(self) -> tuple[list[float], list[float]]:
        """(factor values, KPI values) of the chart: the scenarios with a plan, sorted by the factor."""
        if self.result is None or self.factor_axis.currentIndex() < 0:
            return [], []
        name = str(self.factor_axis.currentData())
        kpis = self._kpis()
        kpi = kpis[min(max(0, self.kpi.currentIndex()), len(kpis) - 1)]
        points = []
        for s in self.result.scenarios:
            if not s.ok or name not in s.factors:
                continue
            if kpi in ("profit", "profit_last"):
                y = s.profit_cny
            elif kpi == "npv":
                y = s.npv_cny
            elif kpi in ("utilization", "utilization_last"):
                y = None if s.utilization is None else 100 * s.utilization
            else:
                y = float(len(s.sites_open))
            if y is not None:
                points.append((float(s.factors[name]), float(y)))
        points.sort()
        return [p[0] for p in points], [p[1] for p in points]

    def redraw(self) -> None:
        self.chart.clear()
        xs, ys = self.series()
        if xs:
            kpis = self._kpis()
            kpi = kpis[min(max(0, self.kpi.currentIndex()), len(kpis) - 1)]
            label = self.kpi.currentText()
            if kpi in MONEY_KPIS:  # millions on the axis: 131.5, not 1.3e+08
                ys = [y / 1e6 for y in ys]
                label = tr(f"sweep.axis_{kpi}")
            self.chart.plot(xs, ys, pen=None, symbol="o", symbolBrush=pg.mkBrush("#1F4E79"), symbolSize=8)
            self.chart.setLabel("bottom", self.factor_axis.currentText())
            self.chart.setLabel("left", label)

    def export_dialog(self) -> None:
        if self.result is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("sweep.export"), "sweep.xlsx", "Excel (*.xlsx)")
        if path:
            self.export(path)

    def export(self, path: str) -> None:
        """Write the sweep workbook of the last result to ``path``."""
        if self.result is not None:
            write_sweep_report(path, self.doc.network, self.result, lang=language())
