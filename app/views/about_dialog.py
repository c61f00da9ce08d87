"""Help › About: version, what CopperLoop is, and the licences of every bundled component.

The component list and licence texts come from :mod:`optimizer.about`, the same source the installer
ships as ``THIRD_PARTY_LICENSES``, so the dialog and the bundle cannot disagree.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr, tr_title
from optimizer import component_lines, icon_path, licenses_text, version


class AboutDialog(QDialog):
    """Version, description, the component list and a button that shows the full licence texts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr_title("help.about"))
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        icon = icon_path()
        if icon is not None:
            logo = QLabel()
            logo.setPixmap(QPixmap(str(icon)).scaledToWidth(72))
            head.addWidget(logo)
        title = QLabel(f"<h2>CopperLoop</h2>{tr('about.version', version=version())}")
        head.addWidget(title, 1)
        layout.addLayout(head)
        text = QLabel(tr("about.text"))
        text.setWordWrap(True)
        layout.addWidget(text)
        layout.addWidget(QLabel(f"<b>{tr('about.components')}</b>"))
        self.components = QListWidget()
        self.components.addItems(component_lines())
        layout.addWidget(self.components)
        # the map's orientation layer is data of others: say whose, under which licence
        self.map_data = QLabel(tr("about.map_data"))
        self.map_data.setWordWrap(True)
        self.map_data.setStyleSheet("color: #57606a;")
        layout.addWidget(self.map_data)
        self.licences = QPlainTextEdit()
        self.licences.setReadOnly(True)
        self.licences.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licences.hide()
        layout.addWidget(self.licences, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.licences_button = QPushButton(tr("about.licences"))
        buttons.addButton(self.licences_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.licences_button.clicked.connect(self.show_licences)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def show_licences(self) -> None:
        """Load the (large) licence file only when asked, then show it below the list."""
        if not self.licences.toPlainText():
            self.licences.setPlainText(licenses_text())
        self.licences.show()
        self.resize(self.width(), max(self.height(), 640))
