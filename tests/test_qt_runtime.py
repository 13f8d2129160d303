"""Guards against PySide6 builds that corrupt the interpreter (see the pin in pyproject.toml)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signals_and_void_methods_keep_reference_counts_of_none_and_bools() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for value in range(2000):
        emitter.setObjectName("probe")
        emitter.fired.emit(value)
    # Allow a little slack for unrelated objects created meanwhile; a leaking build loses 2000+.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
    assert len(received) == 2000
