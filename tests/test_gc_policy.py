"""Garbage that holds Qt objects is collected on the UI thread only (wan27_desktop/gc_policy.py).

A reference cycle made on the UI thread, then allocations on a pool thread that would have crossed
Python's thresholds: the cycle must die on the UI thread, when the collector's timer runs."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from wan27_desktop import gc_policy


class _Cycle:
    def __init__(self) -> None:
        self.me = self
        self.qt = QObject()  # owned by Python: destroyed with this cycle, on the thread that collects it


def _churn_cycles(count: int) -> None:
    """What a busy worker does: makes many short-lived container objects, some of them cyclic."""
    for _ in range(count):
        node: dict[str, object] = {}
        node["self"] = node


def test_the_app_collects_on_the_ui_thread_only(qtbot: QtBot, qapp) -> None:
    collector = gc_policy.collect_on_ui_thread(qapp)
    assert gc_policy.installed() is collector and not gc.isenabled()
    gc.collect()
    died_on: list[int] = []
    cycle = _Cycle()
    weakref.finalize(cycle, lambda: died_on.append(threading.get_ident()))
    del cycle
    worker = threading.Thread(target=_churn_cycles, args=(200_000,))  # ~300 of Python's gen-0 thresholds
    worker.start()
    worker.join()
    assert died_on == []  # the worker thread did not collect it
    before = sum(collector.collections)
    qtbot.waitUntil(lambda: died_on != [], timeout=5_000)  # the timer did, on this thread
    assert died_on == [threading.get_ident()] and sum(collector.collections) > before


def test_collections_follow_pythons_thresholds(qapp) -> None:
    collector = gc_policy.collect_on_ui_thread(qapp)
    gc.collect()
    assert collector.due() == -1  # nothing made since: nothing to do
    _churn_cycles(collector.thresholds[0] + 50)
    assert collector.due() == 0
    assert collector.collect_due() == 0 and collector.due() == -1


def test_installing_twice_gives_the_same_collector(qapp) -> None:
    assert gc_policy.collect_on_ui_thread(qapp) is gc_policy.collect_on_ui_thread()
    assert len(qapp.findChildren(gc_policy.UiThreadCollector)) == 1
