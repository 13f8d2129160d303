"""Background threads give way to the UI thread when the CPU is short.

On a busy machine (two cores, other programs running) the UI thread's longest stalls during a
batch were mostly time it was ready to run but had no core, while our own threads used one. Work
that only makes pictures appear a little later (the thumbnail pools of the gallery and the stage)
asks the OS to prefer the UI thread: `lower_current_thread()` is called on such a thread before
its work. It only changes who runs first when both want a core; an idle CPU still runs the
background work at full speed. Not for work a person is waiting on (the viewer's full-size
decode): under load it would wait longer.

Linux: a thread's own nice value (setpriority on its thread id; nice is per thread there), +10. A
thread lowered on Linux cannot be raised again without privileges, so only threads that stay
background (their pool's threads do nothing else) call it. Windows: THREAD_PRIORITY_BELOW_NORMAL.
macOS: the "utility" quality of service. Best effort: a refusal changes nothing else.

Qt-free (the api/ layer may use it), and never for threads holding the journal's write path: a
background thread preempted while it holds the GIL or a lock would make the UI thread wait longer.
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
