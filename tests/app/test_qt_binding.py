"""The Qt binding in use does not corrupt Python's reference counts (why pyproject pins PySide6 < 6.12).

PySide6 6.12.0 returns ``True`` from ``Signal.emit()`` without taking a reference; every emit then
drops one reference to ``True`` until, after a few thousand signals (minutes of GUI use), Python aborts
with "bool_dealloc: deallocating True or False". This test fails loudly on such a binding.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(object)


def test_signal_emit_keeps_the_reference_count_of_true() -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.changed.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.changed.emit(i)
    assert len(received) == 500
    assert sys.getrefcount(True) >= before - 5
