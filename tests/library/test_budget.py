"""The account's submission budget (§6) shared through the library: slots, the send rate, throttling
pauses, and processes that hold slots, alive or SIGKILLed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from wan27_desktop.library import Library
from wan27_desktop.library.budget import RATE_WINDOW_S, AccountBudget, BudgetCanceled, ProcessLiveness

ACCOUNT = "http://127.0.0.1:9/api/v1"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def db_path(library: Library) -> Path:
    return library.db_path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def budget(db_path: Path, clock: Clock):
    made = AccountBudget(db_path, ACCOUNT, clock=clock)
    yield made
    made.close()


def test_at_most_five_slots_are_held_at_once(budget: AccountBudget):
    slots = [budget.acquire(timeout=0) for _ in range(5)]
    with pytest.raises(BudgetCanceled):
        budget.acquire(timeout=0)
    budget.release(slots[0])
    budget.acquire(timeout=0)
    assert budget.state().in_progress == 5


def test_at_most_five_sends_within_a_second(budget: AccountBudget, clock: Clock):
    for _ in range(5):
        budget.wait_send(timeout=0)
    with pytest.raises(BudgetCanceled):
        budget.wait_send(timeout=0)
    clock.now += RATE_WINDOW_S - 0.01
    with pytest.raises(BudgetCanceled):
        budget.wait_send(timeout=0)
    clock.now += 0.02
    budget.wait_send(timeout=0)


def test_a_running_task_is_counted_without_waiting(budget: AccountBudget):
    for _ in range(5):
        budget.acquire(timeout=0)
    budget.take_running()  # resumed after a restart: it is in progress whatever the count
    assert budget.state().in_progress == 6
    with pytest.raises(BudgetCanceled):
        budget.acquire(timeout=0)


def test_throttling_pauses_every_sender_then_backs_off(db_path: Path, budget: AccountBudget, clock: Clock):
    other = AccountBudget(db_path, ACCOUNT, clock=clock)  # another sender of the same account
    try:
        assert budget.throttled(retry_after=4) == pytest.approx(4)
        for sender in (budget, other):
            with pytest.raises(BudgetCanceled):
                sender.wait_send(timeout=0)
            with pytest.raises(BudgetCanceled):
                sender.acquire(timeout=0)
        assert other.state().paused_for == pytest.approx(4)
        clock.now += 4.01
        other.wait_send(timeout=0)
        # Without Retry-After the pause grows with each 429, and successes lower it again.
        first = budget.throttled()
        clock.now += 60
        second = budget.throttled()
        assert 0.25 <= first <= 2 and 0.5 <= second <= 4
        budget.succeeded()
        budget.succeeded()
        clock.now += 60
        assert budget.throttled() <= 2
    finally:
        other.close()


def test_another_accounts_budget_is_separate(db_path: Path, budget: AccountBudget, clock: Clock):
    other = AccountBudget(db_path, "https://dashscope.aliyuncs.com/api/v1", clock=clock)
    try:
        for _ in range(5):
            budget.acquire(timeout=0)
        other.acquire(timeout=0)
    finally:
        other.close()


def test_cancel_stops_a_wait(budget: AccountBudget):
    for _ in range(5):
        budget.acquire(timeout=0)
    with pytest.raises(BudgetCanceled):
        budget.acquire(lambda: True)


_HOLDER = """
import sys
from pathlib import Path
from wan27_desktop.library.budget import AccountBudget
budget = AccountBudget(Path(sys.argv[1]), sys.argv[2])
slots = [budget.acquire(timeout=30) for _ in range(int(sys.argv[3]))]
print("held", flush=True)
sys.stdin.readline()
for slot in slots:
    budget.release(slot)
print("released", flush=True)
sys.stdin.readline()
"""


def _holder(db_path: Path, count: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db_path), ACCOUNT, str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_slots_held_by_another_process_count_here(db_path: Path):
    here = AccountBudget(db_path, ACCOUNT)
    proc = _holder(db_path, 4)
    try:
        here.acquire(timeout=0)
        with pytest.raises(BudgetCanceled):
            here.acquire(timeout=0)
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "released"
        for _ in range(4):
            here.acquire(timeout=0)
    finally:
        proc.kill()
        proc.wait()
        here.close()


@posix_only
def test_slots_of_a_killed_process_are_freed(db_path: Path):
    here = AccountBudget(db_path, ACCOUNT)
    proc = _holder(db_path, 5)
    try:
        with pytest.raises(BudgetCanceled):
            here.acquire(timeout=0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        slots = [here.acquire(timeout=5) for _ in range(5)]
        assert len(slots) == 5
    finally:
        here.close()


def test_liveness_tells_this_process_from_gone_ones(tmp_path: Path):
    liveness = ProcessLiveness(tmp_path / "sessions")
    try:
        assert liveness.is_alive(liveness.token)
        assert not liveness.is_alive("12345-not-a-token")
        other = ProcessLiveness(tmp_path / "sessions")  # another holder, alive while its lock is held
        assert liveness.is_alive(other.token)
        other.close()
        liveness._seen.clear()
        assert not liveness.is_alive(other.token)
    finally:
        liveness.close()
