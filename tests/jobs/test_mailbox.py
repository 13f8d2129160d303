"""Mailbox: worker threads hand results to the UI thread without making any Qt call."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QThread

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
