"""Mailbox: worker threads hand results to the UI thread without making any Qt call."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QThread, QTimer

from wan27_desktop.jobs import mailbox
from wan27_desktop.jobs.mailbox import Mailbox


def _post_from_threads(
    box: Mailbox, owner: QObject | None, sink: list[tuple[int, int]], threads: int, each: int
) -> list[threading.Thread]:
    def work(n: int) -> None:
        for i in range(each):
            box.post(owner, sink.append, (n, i))

    started = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for thread in started:
        thread.start()
    return started


def test_everything_posted_from_many_threads_arrives_on_the_ui_thread_in_order(qtbot: Any) -> None:
    box = Mailbox.instance()
    sink: list[tuple[int, int]] = []
    threads_seen: set[QThread] = set()
    owner = QObject()
    for thread in _post_from_threads(box, owner, sink, threads=4, each=500):
        thread.join()
    box.post(owner, lambda: threads_seen.add(QThread.currentThread()))
    qtbot.waitUntil(lambda: len(sink) == 2000 and bool(threads_seen), timeout=10_000)
    assert threads_seen == {QObject().thread()}
    for n in range(4):
        assert [i for m, i in sink if m == n] == list(range(500))  # per-thread order kept


def test_a_result_for_a_deleted_owner_is_dropped(qtbot: Any) -> None:
    box = Mailbox.instance()
    calls: list[str] = []
    gone = QObject()
    kept = QObject()
    box.post(gone, calls.append, "gone")
    box.post(kept, calls.append, "kept")
    gone.deleteLater()
    qtbot.waitUntil(lambda: calls == ["kept"], timeout=5_000)
    box.drain()
    assert calls == ["kept"]


def test_a_failing_callback_is_reported_and_does_not_starve_the_others(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    box = Mailbox.instance()
    reported: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: reported.append(kind))
    calls: list[int] = []

    def boom() -> None:
        raise ZeroDivisionError

    threading.Thread(target=lambda: (box.post(None, boom), box.post(None, calls.append, 1))).start()
    qtbot.waitUntil(lambda: calls == [1], timeout=5_000)
    assert reported == [ZeroDivisionError]


class _Overriding(QObject):
    """A Python subclass with a virtual override: destroying it makes Shiboken look for the
    override (and take the GIL) while Qt holds its connection lock."""

    def event(self, event: QEvent) -> bool:
        return super().event(event)


def test_workers_posting_while_the_ui_thread_destroys_objects_do_not_deadlock(qtbot: Any) -> None:
    # The pattern that hung queued signals about once in five suite runs (see mailbox.py). A
    # regression shows up as a hang, which faulthandler_timeout turns into a stack dump.
    box = Mailbox.instance()
    sink: list[tuple[int, int]] = []
    owner = QObject()
    threads = _post_from_threads(box, owner, sink, threads=3, each=3000)
    while any(thread.is_alive() for thread in threads):
        batch = [_Overriding() for _ in range(50)]
        for obj in batch:
            obj.destroyed.connect(lambda *_: None)
        del batch
        qtbot.wait(1)
    qtbot.waitUntil(lambda: len(sink) == 9000, timeout=10_000)


def test_a_burst_is_delivered_in_slices_with_the_event_loop_turning_between_them(qtbot: Any) -> None:
    # Five batch rows ending at once post dozens of callbacks: the UI thread returns to its event
    # loop (input, painting, timers) every SLICE_SECONDS instead of running them all in one go.
    box = Mailbox.instance()
    seen: list[str] = []
    ticker = QTimer()
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: seen.append("tick"))

    def work(number: int) -> None:
        end = time.monotonic() + mailbox.SLICE_SECONDS / 2
        while time.monotonic() < end:  # a callback that takes half a slice
            pass
        seen.append(f"callback {number}")

    ticker.start()
    try:
        threading.Thread(target=lambda: [box.post(None, work, n) for n in range(40)]).start()
        qtbot.waitUntil(lambda: seen.count("tick") and "callback 39" in seen, timeout=10_000)
    finally:
        ticker.stop()
    callbacks = [entry for entry in seen if entry != "tick"]
    assert callbacks == [f"callback {n}" for n in range(40)]  # in the order posted
    longest_run, run = 0, 0
    for entry in seen[seen.index("callback 0") :]:
        run = 0 if entry == "tick" else run + 1
        longest_run = max(longest_run, run)
    assert longest_run <= 3  # ~2 callbacks of half a slice each, then the loop turned


def test_drain_still_runs_everything_posted(qtbot: Any) -> None:
    # Called directly (e.g. before closing): no slicing, nothing left behind.
    box = Mailbox.instance()
    box.drain()
    calls: list[int] = []

    def work(number: int) -> None:
        end = time.monotonic() + mailbox.SLICE_SECONDS / 2
        while time.monotonic() < end:
            pass
        calls.append(number)

    for number in range(10):
        box.post(None, work, number)
    box.drain()
    assert calls == list(range(10)) and box.pending() == 0
