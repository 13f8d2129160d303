"""Background threads that only make pictures give way to the UI thread (Linux: per-thread nice)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from wan27_desktop import thread_priority

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


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
