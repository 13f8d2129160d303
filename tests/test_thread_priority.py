"""The UI thread first: picture-making threads give way to it (Linux: per-thread nice), and a GUI
process hands the GIL on every millisecond."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from wan27_desktop import thread_priority

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@linux_only
def test_a_lowered_thread_runs_at_a_higher_nice_value_and_only_that_thread() -> None:
    mine = _nice()
    seen: list[tuple[int, int]] = []

    def work() -> None:
        before = _nice()
        thread_priority.lower_current_thread()
        thread_priority.lower_current_thread()  # once per thread: not lowered twice
        seen.append((before, _nice()))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)
    ((before, after),) = seen
    assert before == mine and after == min(19, mine + thread_priority.NICE_INCREMENT)
    assert _nice() == mine  # the calling thread (the UI thread in the app) keeps its priority


def test_a_gui_process_hands_the_gil_on_every_millisecond() -> None:
    import subprocess

    code = (
        "import sys\n"
        "before = sys.getswitchinterval()\n"
        "from wan27_desktop.app import create_application\n"
        "create_application()\n"
        "print(before, sys.getswitchinterval())\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    before, after = map(float, result.stdout.split())
    assert before == 0.005 and after == thread_priority.UI_SWITCH_INTERVAL_S == 0.001
