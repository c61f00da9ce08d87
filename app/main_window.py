"""The main window: tabs over one document, the solve panel docked at the side, menus and status bar.

The window owns the document, the one background :class:`JobRunner` and the file handling (new, open,
import, save, recent files, autosave and crash recovery, exports). The views never talk to each other;
each renders the document and sends its edits back to it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import i18n
from app.document import NetworkDocument
from app.errors import log_folder, show_error
from app.i18n import language, notifier, tr, tr_n, tr_title
from app.jobs import Job, JobRunner, in_child_process
from app.project_state import collect, restore, to_state
from app.settings import Recovery, Settings
from app.views.investment import InvestmentView
from app.views.issues_dialog import IssuesDialog
from app.views.labels import plan_origin
from app.views.map_view import MapView
from app.views.network_tables import NetworkTablesView
from app.views.results import ResultsView
from app.views.routes import RoutesView
from app.views.scenarios import ScenariosView
from app.views.solve_panel import SolvePanel
from app.views.sweep import SweepView
from optimizer import (
    Issue,
    example_network,
    load_network,
    read_project_state,
    read_scenarios,
    write_project,
)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "sample_networks"
TEACHING_SAMPLE = "teaching"
AUTOSAVE_INTERVAL_MS = 60_000
VIEWS = ("map", "tables", "results", "investment", "routes", "scenarios", "sweep")


if TYPE_CHECKING:
    from app.child_jobs import Opened as _Opened  # what app.child_jobs.open_project hands back


def sample_files() -> list[Path]:
    """The sample workbooks shipped with the source (teaching first), if any."""
    if not SAMPLES_DIR.is_dir():
        return []
    files = sorted(p for p in SAMPLES_DIR.glob("*.xlsx") if not p.name.endswith(".bak.xlsx"))
    return sorted(files, key=lambda p: (TEACHING_SAMPLE not in p.stem, p.stem))


def teaching_sample() -> Path | None:
    return next((p for p in sample_files() if TEACHING_SAMPLE in p.stem), None)


class HintBanner(QFrame):
    """The first-run guide: the three steps from a network to a plan, dismissible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hint")
        self.setStyleSheet(
            "#hint { background: #eef6ff; border: 1px solid #9cc3f5; border-radius: 4px; }"
            "#hint QLabel { color: #123; }"
        )
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.steps = [QLabel() for _ in range(3)]
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.hide)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.title)
        for step in self.steps:
            step.setWordWrap(True)
            row.addWidget(step, 1)
        row.addWidget(self.close_button)
        notifier.changed.connect(lambda _lang: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("hint.title"))
        for i, step in enumerate(self.steps, start=1):
            step.setText(tr(f"hint.step{i}"))
        self.close_button.setText(tr("hint.close"))


class _StepTimer:
    """Times the slices of a sliced job hand-over: ``lap(name)`` records the time since the last lap."""

    def __init__(self, into: list[tuple[str, float]]) -> None:
        self._into = into
        self._since = time.perf_counter()

    def lap(self, name: str) -> str:
        now = time.perf_counter()
        self._into.append((name, now - self._since))
        self._since = now
        return name


class MainWindow(QMainWindow):
    """CopperLoop's window. ``open_path`` and ``save_to`` are the non-interactive entry points tests use."""

    def __init__(
        self,
        doc: NetworkDocument | None = None,
        settings: Settings | None = None,
        recovery: Recovery | None = None,
    ) -> None:
        super().__init__()
        self.doc = doc or NetworkDocument(example_network(language()))
        self.settings = settings or Settings()
        self.recovery = recovery or Recovery()
        self.runner = JobRunner(self)
        self._issues_dialog: IssuesDialog | None = None
        self._autosave_thread: threading.Thread | None = None
        self._closing = False
        #: how long each slice of the last open took on the GUI thread (name, seconds): benchmarks/gui.py
        self.open_steps: list[tuple[str, float]] = []

        self.map_view = MapView(self.doc)
        self.tables_view = NetworkTablesView(self.doc)
        self.results_view = ResultsView(self.doc, self.runner)
        self.investment_view = InvestmentView(self.doc)
        self.routes_view = RoutesView(self.doc, self.runner)
        self.scenarios_view = ScenariosView(self.doc, self.runner)
        self.sweep_view = SweepView(self.doc, self.runner)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for view in (
            self.map_view,
            self.tables_view,
            self.results_view,
            self.investment_view,
            self.routes_view,
            self.scenarios_view,
            self.sweep_view,
        ):
            self.tabs.addTab(view, "")
        self.hint = HintBanner()
        self.hint.hide()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.solve_panel = SolvePanel(self.doc, self.runner)
        self.solve_panel.solved.connect(self._on_solved)
        self.solve_panel.wantsIssues.connect(self.show_issues)
        self.scenarios_view.options_provider = self.solve_panel.options
        # solving checked scenarios honours the panel's Years choice, as its Solve button does
        self.scenarios_view.multiyear_options_provider = self.solve_panel.multiyear_options
        self.scenarios_view.years_provider = lambda: (
            self.solve_panel.multi_year(),
            self.solve_panel.single_year(),
        )
        self.solve_dock = QDockWidget()
        self.solve_dock.setObjectName("solve_dock")
        self.solve_dock.setWidget(self.solve_panel)
        self.solve_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.solve_dock)
        self.results_view.showPlanOnMap.connect(lambda: self.show_view("map"))
        self.scenarios_view.showScenario.connect(lambda: self.show_view("map"))
        self.sweep_view.finished.connect(self._on_sweep_finished)
        self.solve_panel.routing_options = self.routes_view.options  # the loop routes as the tab does

        self.status_doc = QLabel()
        self.status_plan = QLabel()
        self.statusBar().addPermanentWidget(self.status_plan)
        self.statusBar().addPermanentWidget(self.status_doc)
        # long scenario names must not widen the window past a 1366-pixel screen: the labels may shrink
        # (their full text is in the tooltip)
        self.status_plan.setMaximumWidth(520)
        self.status_doc.setMaximumWidth(420)

        self._build_actions()
        self._build_menus()
        self.doc.dirtyChanged.connect(lambda _d: self._update_title())
        self.doc.pathChanged.connect(lambda _p: self._update_title())
        self.doc.networkChanged.connect(self._update_status)
        self.doc.planChanged.connect(self._update_status)
        self.doc.scenariosChanged.connect(self._update_status)
        self.runner.started.connect(lambda _k: self._update_status())
        self.runner.finished.connect(lambda _k: self._update_status())
        # the map draws a running solve's first plan at once, and drops it if the solve ends without one
        self.runner.progressed.connect(self.map_view.show_progress)
        self.runner.finished.connect(self.map_view.job_finished)
        notifier.changed.connect(lambda _lang: self.retranslate())

        self._autosave_timer = QTimer(self)
        self._autosave_timer.setInterval(AUTOSAVE_INTERVAL_MS)
        self._autosave_timer.timeout.connect(self.autosave)
        self._autosave_timer.start()
        QTimer.singleShot(0, self._prestart)

        self.resize(QSize(1400, 880))
        geometry = self.settings.geometry()
        if geometry is not None:
            with contextlib.suppress(TypeError):
                self.restoreGeometry(geometry)
        self.retranslate()
        # What exists now (Qt, numpy, pyqtgraph, the views: ~95,000 objects) lives as long as the window;
        # frozen, it is never walked again by the cycle collector, whose full passes over it took
        # 110-220 ms each: while the worker reads a workbook (thousands of objects) and in
        # _settle_memory, all on the interpreter lock the GUI thread needs.
        gc.freeze()

    # ---- actions and menus ---------------------------------------------------------------------
    def _action(
        self,
        key: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(self)
        action.setData(key)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        self._actions[key] = action
        return action

    def _build_actions(self) -> None:
        self._actions: dict[str, QAction] = {}
        s = QKeySequence.StandardKey
        self._action("file.new", self.new_from_template, s.New)
        self._action("file.open", self.open_dialog, s.Open)
        self._action("file.import", self.import_dialog, "Ctrl+I")
        self._action("file.save", self.save, s.Save)
        self._action("file.save_as", self.save_as, s.SaveAs)
        self._action("file.export_plan", self.export_plan_dialog, "Ctrl+E")
        self._action("file.export_png", self.export_png_dialog, "Ctrl+Shift+P")
        self._action("file.quit", self.close, s.Quit)
        self.undo_action = self.doc.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence(s.Undo))
        self.redo_action = self.doc.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence(s.Redo))
        self._action("edit.add_row", self.tables_view.add_row, "Ctrl+Shift+N")
        self._action("edit.duplicate_rows", self.tables_view.duplicate_rows, "Ctrl+D")
        self._action("edit.delete_rows", self.tables_view.delete_rows, "Ctrl+Shift+Del")
        self._action("edit.check", lambda: self.show_issues(self.tables_view.issues), "F7")
        for i, key in enumerate(VIEWS, start=1):
            self._action(f"view.{key}", functools.partial(self.show_view, key), f"Ctrl+{i}")
        self.solve_toggle = self.solve_dock.toggleViewAction()
        self._action("view.fit", self.map_view.fit, "Ctrl+0")
        self._action("solve.run", self.solve_panel.solve, "F5")
        self._action("solve.cancel", self.runner.cancel, "Shift+F5")
        self._action("help.hint", self.hint.show)
        self._action("help.logs", lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_folder()))))
        self._action("help.about", self.about)
        self.language_group = QActionGroup(self)
        for lang in i18n.LANGUAGES:
            action = QAction(self)
            action.setCheckable(True)
            action.setData(lang)
            action.triggered.connect(lambda _c=False, lang=lang: self.set_language(lang))
            self.language_group.addAction(action)
            self._actions[f"language.{lang}"] = action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {}
        file_menu = bar.addMenu("")
        self.menus["menu.file"] = file_menu
        self.new_menu = QMenu(self)
        self.menus["menu.new"] = self.new_menu
        file_menu.addMenu(self.new_menu)
        file_menu.addAction(self._actions["file.open"])
        self.recent_menu = QMenu(self)
        self.menus["menu.recent"] = self.recent_menu
        file_menu.addMenu(self.recent_menu)
        file_menu.addAction(self._actions["file.import"])
        file_menu.addSeparator()
        file_menu.addAction(self._actions["file.save"])
        file_menu.addAction(self._actions["file.save_as"])
        file_menu.addSeparator()
        file_menu.addAction(self._actions["file.export_plan"])
        file_menu.addAction(self._actions["file.export_png"])
        file_menu.addSeparator()
        file_menu.addAction(self._actions["file.quit"])

        edit_menu = bar.addMenu("")
        self.menus["menu.edit"] = edit_menu
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        for key in ("edit.add_row", "edit.duplicate_rows", "edit.delete_rows", "edit.check"):
            edit_menu.addAction(self._actions[key])

        view_menu = bar.addMenu("")
        self.menus["menu.view"] = view_menu
        for key in VIEWS:
            view_menu.addAction(self._actions[f"view.{key}"])
        view_menu.addSeparator()
        view_menu.addAction(self.solve_toggle)
        view_menu.addAction(self._actions["view.fit"])

        solve_menu = bar.addMenu("")
        self.menus["menu.solve"] = solve_menu
        solve_menu.addAction(self._actions["solve.run"])
        solve_menu.addAction(self._actions["solve.cancel"])

        lang_menu = bar.addMenu("")
        self.menus["menu.language"] = lang_menu
        for lang in i18n.LANGUAGES:
            lang_menu.addAction(self._actions[f"language.{lang}"])

        help_menu = bar.addMenu("")
        self.menus["menu.help"] = help_menu
        for key in ("help.hint", "help.logs", "help.about"):
            help_menu.addAction(self._actions[key])

    def _fill_new_menu(self) -> None:
        self.new_menu.clear()
        blank = self.new_menu.addAction(tr("file.new_template"))
        blank.triggered.connect(lambda _c=False: self.new_from_template())
        samples = sample_files()
        if samples:
            self.new_menu.addSeparator()
        for path in samples:
            action = self.new_menu.addAction(tr("file.new_sample", name=_sample_title(path)))
            action.triggered.connect(lambda _c=False, p=path: self.open_path(p, as_copy=True))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.settings.recent_files if Path(p).exists()]
        for p in recent:
            action = self.recent_menu.addAction(Path(p).name)
            action.setToolTip(p)
            action.triggered.connect(lambda _c=False, p=p: self.open_path(Path(p)))
        if not recent:
            empty = self.recent_menu.addAction(tr("file.recent_empty"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction(tr("file.recent_clear"))
            clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent()
        self._fill_recent_menu()

    # ---- language ------------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.settings.language = lang
        i18n.set_language(lang)

    def retranslate(self) -> None:
        for key, action in self._actions.items():
            if key.startswith("language."):
                lang = key.split(".")[1]
                action.setText(tr(f"language.{lang}"))
                action.setChecked(lang == language())
            else:
                action.setText(tr(key))
        self.undo_action.setText(tr("edit.undo"))
        self.redo_action.setText(tr("edit.redo"))
        self.solve_toggle.setText(tr("view.solve_panel"))
        for key, menu in self.menus.items():
            menu.setTitle(tr(key))
        for i, key in enumerate(VIEWS):
            self.tabs.setTabText(i, tr(f"tab.{key}"))
        self.solve_dock.setWindowTitle(tr("solve.title"))
        self._fill_new_menu()
        self._fill_recent_menu()
        self._update_title()
        self._update_status()

    def _update_title(self) -> None:
        name = self.doc.path.name if self.doc.path else tr("title.untitled")
        # Qt shows "[*]" as "*" while the window is modified (and as the platform's own mark on macOS).
        self.setWindowTitle(f"{name}[*] — {self.doc.network.name} — CopperLoop")
        self.setWindowModified(self.doc.dirty)

    def _update_status(self) -> None:
        net = self.doc.network
        self.status_doc.setText(
            tr(
                "status.network",
                scenario=self.doc.current.name,
                points=len(net.collection_points),
                sites=len(net.sites),
                smelters=len(net.smelters),
            )
        )
        plan = self.doc.plan
        if self.runner.busy:
            text = tr("status.running", job=tr(f"job.{self.runner.current_kind}"))
        elif plan is None:
            text = tr("status.no_plan")
        else:
            text = tr(
                "status.plan_named",
                scenario=self.doc.current.name,
                origin=plan_origin(self.doc.current),
                status=tr(f"plan_status.{plan.status.value}"),
            )
            if self.doc.current.plan_stale:
                text += " " + tr("status.stale")
        self.status_plan.setText(text)
        self.status_plan.setToolTip(text)
        self.status_doc.setToolTip(self.status_doc.text())
        self._update_title()

    def _on_sweep_finished(self, result: Any) -> None:
        """The break-even copper prices of the sweep go to the map's site tooltips."""
        self.map_view.break_even = {
            b.site_id: b.copper_price_cny_per_t_cu
            for b in result.break_even
            if b.copper_price_cny_per_t_cu is not None
        }

    def show_view(self, key: str) -> None:
        self.tabs.setCurrentIndex(VIEWS.index(key))

    # ---- opening -------------------------------------------------------------------------------
    def _may_discard(self) -> bool:
        """Ask what to do with unsaved changes; True when it is fine to replace the document."""
        if not self.doc.dirty:
            return True
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("unsaved.title"))
        box.setText(tr("unsaved.text", name=self.doc.path.name if self.doc.path else tr("title.untitled")))
        save = box.addButton(tr("unsaved.save"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(tr("unsaved.discard"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("unsaved.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is save:
            return self.save()
        return box.clickedButton() is discard

    def _runner_free(self) -> bool:
        if not self.runner.busy:
            return True
        QMessageBox.information(
            self, tr("busy.title"), tr("busy.text", job=tr(f"job.{self.runner.current_kind}"))
        )
        return False

    def new_from_template(self) -> None:
        if not self._may_discard():
            return
        self.doc.load(example_network(language()), None, base_name=tr("scenario.base"))
        self.map_view.fit()
        self.statusBar().showMessage(tr("file.new_done"), 5000)

    def open_dialog(self) -> None:
        title = tr_title("file.open")
        path, _ = QFileDialog.getOpenFileName(self, title, self._start_dir(), tr("file.filter"))
        if path:
            self.open_path(Path(path))

    def import_dialog(self) -> None:
        title = tr_title("file.import")
        path, _ = QFileDialog.getOpenFileName(self, title, self._start_dir(), tr("file.filter"))
        if path:
            self.open_path(Path(path), as_copy=True, always_show_issues=True)

    def _start_dir(self) -> str:
        if self.doc.path:
            return str(self.doc.path.parent)
        recent = self.settings.recent_files
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def open_path(
        self, path: Path, as_copy: bool = False, always_show_issues: bool = False, ask: bool = True
    ) -> bool:
        """Read ``path`` on the worker and make it the document when done.

        ``as_copy`` opens it untitled (samples, imports: Save asks where, never overwriting the source).
        Returns False when the open could not start (unsaved changes kept, or a job is running).
        """
        if ask and not self._may_discard():
            return False
        if not self._runner_free():
            return False
        path = Path(path)

        # read in the job process, not in a thread here: see app.child_jobs.open_project
        work = in_child_process("app.child_jobs:open_project", path)

        def done(outcome: _Opened) -> Iterator[str]:
            # in slices, one per turn of the event loop (the runner steps this generator), each timed in
            # ``open_steps``: the national network's hand-over took one 110-350 ms pause before
            result, scenarios, base_name, extra_issues, state, sweep, checked = outcome
            issues = [*result.issues, *extra_issues]
            if result.network is None:
                self.show_issues(issues, title=tr("issues.open_failed", name=path.name))
                return
            self.open_steps = []
            timer = _StepTimer(self.open_steps)
            self._settle_memory()
            yield timer.lap("memory")
            for step in self.doc.load_steps(
                result.network,
                None if as_copy else path,
                scenarios,
                base_name=base_name or tr("scenario.base"),
            ):
                yield timer.lap(f"load: {step}")
            self.tables_view.show_validation(result.network, checked)
            yield timer.lap("issues in the tables")
            back = restore(self.doc, state)
            yield timer.lap("restore plans")
            if sweep is not None:
                self.sweep_view.show_definition(sweep)
            self.map_view.fit()
            if not as_copy:
                self.settings.add_recent(path)
                self._fill_recent_menu()
            self._last_read = result
            errors = sum(1 for i in issues if i.is_error)
            opened = tr("file.opened", name=path.name, errors=errors, warnings=len(issues) - errors)
            if back.plans:
                opened += " " + tr_n("file.plans_restored", back.plans)
            if back.stale:
                opened += " " + tr_n("file.plans_stale", back.stale)
            self.statusBar().showMessage(opened, 12000)
            yield timer.lap("sweep, fit, status")
            if issues and (always_show_issues or errors):
                self.show_issues(issues, title=tr("issues.title_file", name=path.name))

        def failed(exc: BaseException, trace: str) -> None:
            show_error(tr("file.open_failed", name=path.name, error=str(exc)), trace, self)

        self.statusBar().showMessage(tr("file.opening", name=path.name))
        return self.runner.submit(Job("open", work, done, failed))

    def show_issues(self, issues: list[Issue], title: str | None = None) -> None:
        """Show problems in a list; double-clicking one jumps to its cell in the tables."""
        if self._issues_dialog is None:
            self._issues_dialog = IssuesDialog(self)
            self._issues_dialog.activated.connect(self._jump_to_issue)
        self._issues_dialog.set_issues(issues, title or tr("issues.title"))
        self._issues_dialog.show()
        self._issues_dialog.raise_()

    def _jump_to_issue(self, issue: Issue) -> None:
        if self.tables_view.show_issue(issue):
            self.show_view("tables")

    # ---- saving --------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self.save_to(self.doc.path)

    def save_as(self) -> bool:
        start = (
            str(self.doc.path)
            if self.doc.path
            else str(Path(self._start_dir()) / f"{self.doc.network.name}.xlsx")
        )
        path, _ = QFileDialog.getSaveFileName(self, tr_title("file.save_as"), start, tr("file.filter"))
        if not path:
            return False
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the project (base network and every scenario) to ``path`` atomically, keeping a backup."""
        scenarios = self.doc.scenarios
        base, extra = scenarios[0], [(s.name, s.network) for s in scenarios[1:]]
        try:
            state = to_state(collect(self.doc))
            sweeps = self.sweep_view.sweeps_rows()  # the Sweep tab's definition stays with the project
            write_project(
                path, base.network, extra, lang=language(), base_name=base.name, state=state, sweeps=sweeps
            )
        except OSError as exc:
            QMessageBox.warning(
                self,
                tr("file.save_failed_title"),
                tr("file.save_failed", path=str(path), error=exc.strerror or str(exc)),
            )
            return False
        self.doc.mark_saved(path)
        self.settings.add_recent(path)
        self._fill_recent_menu()
        self.recovery.discard()
        self.statusBar().showMessage(tr("file.saved", name=path.name), 5000)
        return True

    # ---- autosave and recovery -----------------------------------------------------------------
    def autosave(self) -> None:
        """Write the unsaved document to the recovery file in a background thread."""
        if not self.doc.dirty or (self._autosave_thread and self._autosave_thread.is_alive()):
            return
        scenarios = [(s.name, s.network) for s in self.doc.scenarios]
        plans = collect(self.doc)  # cheap here; turned into text in the thread
        original = self.doc.path
        recovery = self.recovery

        def write() -> None:
            try:
                write_project(
                    recovery.workbook,
                    scenarios[0][1],
                    scenarios[1:],
                    lang=language(),
                    base_name=scenarios[0][0],
                    state=to_state(plans),
                )
                recovery.write_meta(original)
            except OSError:
                pass  # autosave is best effort; the user's own Save reports its errors

        self._autosave_thread = threading.Thread(target=write, name="copperloop-autosave", daemon=True)
        self._autosave_thread.start()

    def offer_recovery(self) -> bool:
        """After a crash, offer the autosaved work back; True when it was restored."""
        if not self.recovery.exists():
            return False
        original, saved_at = self.recovery.info()
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(saved_at)) if saved_at else "?"
        answer = QMessageBox.question(
            self,
            tr("recovery.title"),
            tr("recovery.text", when=when, name=Path(original).name if original else tr("title.untitled")),
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.recovery.discard()
            return False
        return self.restore_recovery()

    def restore_recovery(self) -> bool:
        original, _ = self.recovery.info()
        result = load_network(self.recovery.workbook)
        if result.network is None:
            self.recovery.discard()
            return False
        scenarios, base_name, _issues = read_scenarios(self.recovery.workbook)
        self.doc.load(
            result.network,
            Path(original) if original else None,
            scenarios,
            base_name=base_name or tr("scenario.base"),
        )
        restore(self.doc, read_project_state(self.recovery.workbook)[0])
        # The restored work is not saved anywhere the user chose yet: mark it unsaved.
        self.doc.undo_stack.resetClean()
        self.map_view.fit()
        return True

    # ---- exports -------------------------------------------------------------------------------
    def export_plan_dialog(self) -> None:
        plan = self.doc.plan
        if plan is None:
            QMessageBox.information(self, tr_title("file.export_plan"), tr("export.no_plan"))
            return
        stem = (self.doc.path.stem if self.doc.path else self.doc.network.name) + "-plan.xlsx"
        # the file type chooses the edition: full (re-imports) or client (no inputs, no supplier prices)
        filters = f"{tr('export.full_filter')};;{tr('export.client_filter')}"
        path, chosen = QFileDialog.getSaveFileName(
            self, tr_title("file.export_plan"), str(Path(self._start_dir()) / stem), filters
        )
        if path:
            edition = "client" if chosen == tr("export.client_filter") else "full"
            self.export_plan(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"), edition)

    def export_plan(self, path: Path, edition: str = "full") -> bool:
        """Write the current plan as an Excel report (``edition`` "full" or "client") on the worker."""
        from app.exports import plan_export_job

        if not self._runner_free():
            return False
        job = plan_export_job(self.doc, path, language(), edition)

        def done(_result: Any) -> None:
            self.statusBar().showMessage(tr("export.done", path=str(path)), 8000)

        def failed(exc: BaseException, trace: str) -> None:
            if isinstance(exc, OSError):
                QMessageBox.warning(
                    self,
                    tr("file.save_failed_title"),
                    tr("file.save_failed", path=str(path), error=exc.strerror or str(exc)),
                )
            else:
                show_error(tr("export.failed", error=str(exc)), trace, self)

        return self.runner.submit(Job("export", job, done, failed))

    def export_png_dialog(self) -> None:
        key = VIEWS[self.tabs.currentIndex()]
        start = str(Path(self._start_dir()) / f"{self.doc.network.name}-{key}.png")
        path, _ = QFileDialog.getSaveFileName(self, tr_title("file.export_png"), start, tr("file.png_filter"))
        if path:
            self.export_png(Path(path if path.lower().endswith(".png") else path + ".png"))

    def export_png(self, path: Path, view: str | None = None, whole_window: bool = False) -> bool:
        """Save a picture of a view (default: the current tab) or of the whole window."""
        if view is not None:
            self.show_view(view)
        widget: QWidget = self if whole_window else self.tabs.currentWidget()
        ok = widget.grab().save(str(path), "PNG")
        if not ok:
            QMessageBox.warning(
                self, tr("file.save_failed_title"), tr("file.save_failed", path=str(path), error="?")
            )
        return bool(ok)

    def _prestart(self) -> None:
        """Start the job process as soon as the window is up: files are read there too, so the first
        open waits for its start (a second interpreter importing the reader and the solvers, about
        a second), which then never overlaps an open's hand-over or first paint."""
        if self._closing:
            return
        if self.runner.busy:
            QTimer.singleShot(500, self._prestart)
            return
        self.runner.prestart()

    # ---- plan ----------------------------------------------------------------------------------
    def _on_solved(self, _plan: Any) -> None:
        self._update_status()
        gc.freeze()  # no collection here: that would be the very pause this avoids

    @staticmethod
    def _settle_memory() -> None:
        """Exempt what is alive now (the network, its views, the plan) from future cycle collections.

        Python's cycle collector stops every thread while it walks all objects; with a national network
        loaded a full pass takes 100-200 ms, felt as a stutter during a solve. Frozen objects are still
        freed as soon as nothing refers to them; only reference cycles among them wait.
        """
        gc.collect()
        gc.freeze()

    def about(self) -> None:
        from app.views.about_dialog import AboutDialog

        AboutDialog(self).exec()

    # ---- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing and not self._may_discard():
            event.ignore()
            return
        self._closing = True
        self._autosave_timer.stop()
        self.runner.shutdown()
        if self._autosave_thread is not None:
            self._autosave_thread.join(timeout=10)
        self.recovery.discard()
        self.settings.save_geometry(self.saveGeometry())
        self.settings.sync()
        if self._issues_dialog is not None:
            # a child dialog is its own top-level window: left open, it would outlive the window
            self._issues_dialog.close()
        event.accept()


def _sample_title(path: Path) -> str:
    key = f"sample.{path.stem}"
    text = tr(key)
    return path.stem.replace("_", " ") if text == key else text
