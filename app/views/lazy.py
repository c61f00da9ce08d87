"""A view whose redraw is expensive: it redraws while visible, else once when it is next shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget


class LazyView(QWidget):
    """Base of the results and routes tabs: a national plan or week takes hundreds of ms to draw, so a
    change to a hidden tab only marks it dirty. Subclasses implement :meth:`refresh` (which clears
    ``_dirty``) and connect their document's signals to :meth:`refresh_when_shown`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dirty = True

    def refresh(self) -> None:
        raise NotImplementedError

    def refresh_when_shown(self) -> None:
        """Redraw now if visible; otherwise when next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: Any) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)
