"""Jobs the `wan27` command runs beside an open window (for real, in a child process, against the
fake service) show in the window's job queue as run elsewhere, follow their journal to the end, and
count in today's spend; a job whose process dies is paused here and can be resumed."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import cli_env
from wan27_desktop.library import JobState, Library
from wan27_desktop.workspace.jobs import JobRow
from wan27_desktop.workspace.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@pytest.fixture
def command(env_key: Any, isolated_environment: Path) -> Iterator[Any]:
    """Starts `wan27 generate` in a child process; its task stays PENDING until `finish_tasks()`."""
    started: list[subprocess.Popen[str]] = []

    def start(prompt: str) -> subprocess.Popen[str]:
        env_key.polls_pending = 10**6
        child = subprocess.Popen(
            [sys.executable, "-m", "wan27_desktop.cli", "generate", prompt, "--size", "1K"],
            env=cli_env(env_key, isolated_environment),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        return child

    yield start
    for child in started:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)


@pytest.fixture
def watching(make_workspace: Any) -> Workspace:
    """A started workspace whose journal watch looks every 100 ms."""
    workspace = make_workspace()
    workspace.journal_watch.stop()
    workspace.journal_watch.start(100)
    return workspace


def finish_tasks(fake: Any) -> None:
    for task in fake.tasks.values():
        task.polls_pending = task.queries  # the next query finds it done


def commands_job(workspace: Workspace) -> JobRow | None:
    return next((row for row in workspace.board.rows() if row.elsewhere is not None or row.idle), None)


def leased_job(data_dir: Path) -> int | None:
    """A job the command has journaled (committed) and holds: the lease comes first, in the
    transaction that journals it."""
    with Library.open(data_dir, reconcile=False) as library:
        held = library.leases.held()
        journaled = {job.id for job in library.jobs.find()}
    return next((job_id for job_id in held if job_id in journaled), None)


def test_a_job_the_wan27_command_runs_is_shown_as_run_elsewhere_then_done_and_counted_in_the_spend(
    qtbot: Any, watching: Workspace, command: Any, env_key: Any, isolated_environment: Path
) -> None:
    workspace = watching
    assert workspace.service.spend_today == Decimal("0")
    child = command("a lighthouse painted by another window")
    qtbot.waitUntil(lambda: commands_job(workspace) is not None, timeout=20_000)
    row = commands_job(workspace)
    assert row is not None and row.running_elsewhere and "pid" in (row.elsewhere or "")
    assert not row.active and not row.can_cancel and not row.can_resume
    assert workspace.board.active() == []  # not this window's work: no stage, no Stop
    qtbot.waitUntil(lambda: bool(env_key.tasks), timeout=20_000)  # sent: the service holds its task
    finish_tasks(env_key)
    assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    qtbot.waitUntil(lambda: row.state is JobState.DONE, timeout=20_000)
    assert row.elsewhere is None and not row.idle and row.images_done == 1
    with Library.open(isolated_environment, reconcile=False) as library:
        spent = library.ledger.spend_today()
    assert spent > 0
    qtbot.waitUntil(lambda: workspace.service.spend_today == spent, timeout=20_000)


def test_a_job_whose_process_died_is_paused_here_and_its_result_lands_when_resumed(
    qtbot: Any, watching: Workspace, command: Any, env_key: Any
) -> None:
    workspace = watching
    child = command("a fox that outlives its command")
    qtbot.waitUntil(lambda: (row := commands_job(workspace)) is not None and row.running_elsewhere, timeout=20_000)
    row = commands_job(workspace)
    assert row is not None
    qtbot.waitUntil(lambda: row.task_id is not None, timeout=20_000)  # the command journaled its task
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    qtbot.waitUntil(lambda: row.idle, timeout=20_000)  # nobody runs it now: paused, not "elsewhere"
    assert row.elsewhere is None and row.can_resume and not row.state.is_terminal
    finish_tasks(env_key)
    assert workspace.resume_job(row.job_id)
    qtbot.waitUntil(lambda: row.state.is_terminal, timeout=20_000)
    assert (row.state, row.images_done, row.error_code) == (JobState.DONE, 1, None)
    assert row.elsewhere is None and len(env_key.requests_for(op="create")) == 1  # sent once, landed once


def test_a_window_opened_while_the_command_runs_shows_its_job_as_run_elsewhere(
    qtbot: Any, make_workspace: Any, command: Any, isolated_environment: Path
) -> None:
    command("a boat already at sea")
    qtbot.waitUntil(lambda: leased_job(isolated_environment) is not None, timeout=20_000)
    workspace = make_workspace()  # reads the journal at start, then resumes what nobody runs
    workspace.journal_watch.stop()  # what the journal load alone shows
    row = commands_job(workspace)
    assert row is not None and row.running_elsewhere and not row.active
    assert workspace.board.active() == [] and not workspace.jobs.is_active(row.job_id)
