"""A guard against a PySide6 6.12 reference-count bug on Python < 3.12 (found by the gallery benchmark).

On this build every `Signal.emit()` drops a reference to `True` and every void method call (e.g.
`QObject.setObjectName`, `QPainter.drawRect`) drops one to `None`, as if they were immortal (they
are only from Python 3.12 on). A long-running GUI — scrolling 100,000 tiles, thousands of queued
signals — then dies with "Fatal Python error: none_dealloc / bool_dealloc". Measured:
`for _ in range(50): obj.setObjectName("x")` lowers `sys.getrefcount(None)` by exactly 50.

The guard gives those singletons a huge reference count, which is what 3.12 does by design; they are
never freed anyway, so nothing else changes. Idempotent; a no-op on Python >= 3.12. The lead should
call it once at start-up (app.py) and in tests/conftest.py; the gallery calls it too, to be safe.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40
_done = False


def guard_pyside_singletons() -> bool:
    """Make None/True/False/Ellipsis/NotImplemented effectively immortal. Returns True if applied."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for singleton in (None, True, False, Ellipsis, NotImplemented):
        # CPython < 3.12: ob_refcnt is the first Py_ssize_t of every object.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _done = True
    return True
