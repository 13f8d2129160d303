"""The UI thread first: background threads give way to it, for the CPU and for the GIL.

On a busy machine (two cores, other programs running) the UI thread's longest stalls during a
batch were mostly time it was ready to run but had no core, while our own threads used one, and
time it waited for the GIL.

The CPU: work that only makes pictures appear a little later (the thumbnail pools of the gallery
and the stage) asks the OS to prefer the UI thread: `lower_current_thread()` is called on such a
thread before its work. It only changes who runs first when both want a core; an idle CPU still
runs the background work at full speed. Not for work a person is waiting on (the viewer's
full-size decode): under load it would wait longer. Linux: a thread's own nice value (setpriority
on its thread id; nice is per thread there), +10; a thread lowered on Linux cannot be raised again
without privileges, so only threads that stay background (their pool does nothing else) call it.
Windows: THREAD_PRIORITY_BELOW_NORMAL. macOS: the "utility" quality of service. Best effort: a
refusal changes nothing else. Never for threads holding the journal's write path: a background
thread preempted while it holds the GIL or a lock would make the UI thread wait longer.

The GIL: PySide releases it around Qt calls, so the UI thread asks for it again many times per
event, and a thread running Python keeps it up to the interpreter's switch interval each time
(5 ms by default). A GUI process switches every 1 ms (`favour_ui_thread()`, with the
QApplication): a little more switching among busy threads, much less waiting for the one that
paints.

Qt-free (the api/ layer may use it).
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

NICE_INCREMENT = 10
_lowered = threading.local()


def lower_current_thread() -> None:
    """Lower the calling thread's CPU priority (once per thread; cheap after the first call)."""
    if getattr(_lowered, "done", False):
        return
    _lowered.done = True
    with contextlib.suppress(OSError, AttributeError, ValueError):
        if sys.platform.startswith("linux"):
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + NICE_INCREMENT))
        elif sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1)  # THREAD_PRIORITY_BELOW_NORMAL
        elif sys.platform == "darwin":
            import ctypes

            libc = ctypes.CDLL("/usr/lib/libSystem.dylib")
            libc.pthread_set_qos_class_self_np(0x11, 0)  # QOS_CLASS_UTILITY


UI_SWITCH_INTERVAL_S = 0.001


def favour_ui_thread() -> None:
    """A GUI process: the GIL changes hands every 1 ms instead of 5 (see the module's doc)."""
    sys.setswitchinterval(UI_SWITCH_INTERVAL_S)
