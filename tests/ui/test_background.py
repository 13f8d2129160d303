"""The one background helper (ui/common/background.py): named pools of stated sizes, results on
the UI thread, waits and discards that concern one owner's calls only, one file-writing thread."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QObject, QThread, QThreadPool

from wan27_desktop.ui.common import background
from wan27_desktop.ui.common.background import POOL_SIZES, BackgroundWork, file_writer, named_pool

RELEASE_S = 10.0


@pytest.mark.parametrize("name", sorted(POOL_SIZES))
def test_each_named_pool_is_made_once_with_its_stated_size(qapp: Any, name: str) -> None:
    made = named_pool(name)
    assert named_pool(name) is made
    assert made.maxThreadCount() == POOL_SIZES[name] and made.objectName() == f"wan27-{name}"


def test_a_result_and_an_error_arrive_on_the_ui_thread(qtbot: Any) -> None:
    owner = QObject()
    work = BackgroundWork(owner, pool="window")
    worker_threads: list[threading.Thread] = []
    seen: list[tuple[str, object, QThread]] = []

    def compute() -> int:
        worker_threads.append(threading.current_thread())
        return 42

    def fail() -> None:
        raise ValueError("bad input")

    work.run(compute, lambda value: seen.append(("done", value, QThread.currentThread())))
    failing = BackgroundWork(owner, pool="window", expected=(ValueError,))
    failing.run(fail, None, lambda err: seen.append(("failed", str(err), QThread.currentThread())))
    qtbot.waitUntil(lambda: len(seen) == 2 and not work.busy and not failing.busy)
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    assert sorted((kind, value) for kind, value, _ in seen) == [("done", 42), ("failed", "bad input")]
    assert {thread for _, _, thread in seen} == {owner.thread()}


def test_wait_is_for_the_owners_calls_not_the_whole_pool(qtbot: Any) -> None:
    shared = QThreadPool()
    shared.setMaxThreadCount(2)
    release = threading.Event()
    other = BackgroundWork(pool=shared)
    other.run(lambda: release.wait(RELEASE_S))
    mine = BackgroundWork(pool=shared)
    mine.run(lambda: 1)
    try:
        assert mine.wait(5000)  # the other owner's call is still blocked
        assert not other.wait(50)
    finally:
        release.set()
    assert other.wait(5000)
    shared.waitForDone(5000)


def test_discarded_calls_that_have_not_started_never_run(qtbot: Any) -> None:
    single = QThreadPool()
    single.setMaxThreadCount(1)
    release = threading.Event()
    ran: list[str] = []
    work = BackgroundWork(pool=single)
    work.run(lambda: release.wait(RELEASE_S))
    work.run(lambda: ran.append("queued"), lambda _: ran.append("delivered"))
    work.discard_queued()
    release.set()
    assert work.wait(5000)
    qtbot.waitUntil(lambda: not work.busy)
    assert ran == []
    work.run(lambda: ran.append("later"))  # a call made after the discard runs as usual
    assert work.wait(5000) and ran == ["later"]
    single.waitForDone(5000)


def test_the_ui_saves_small_files_on_one_thread_in_order(tmp_path: Any) -> None:
    assert file_writer() is file_writer() and background.file_writer()._max_workers == 1
    order: list[int] = []
    futures = [file_writer().submit(order.append, n) for n in range(50)]
    for future in futures:
        future.result(timeout=5)
    assert order == list(range(50))
