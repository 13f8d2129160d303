# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""Batches in the app, against the fake with the account's limits on: Jobs ▸ New Batch… and its
preview (totals, refused rows with line numbers), starting it, the batch's window (progress, rows,
pause/resume, gallery, export, grid), spending limits in Settings and before sending (a batch and a
single job), keyboard and accessible names. Also writes the README's batch screenshots."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPlainTextEdit, QTableWidget, QWidget

from tests.fake_dashscope.limits import AccountLimits
from tests.jobs.batch.conftest import sends_refused
from tests.ui.main_window_support import (  # noqa: F401 (fixtures)
    child,
    click,
    env_key,
    fake,
    make_window,
    notifier,
    shots,
)
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.library import Library
from wan27_desktop.library import batches as b


@pytest.fixture
def limited(env_key: Any) -> Any:
    env_key.limits = AccountLimits()
    return env_key


def _list_file(tmp_path: Path) -> Path:
    path = tmp_path / "prompts.csv"
    path.write_text(
        "prompt,seed,notes\na lighthouse at dusk,1,\na lighthouse at dawn,2,\n,3,no prompt\nfog,seven,bad seed\n",
        encoding="utf-8",
    )
    return path


def _open_dialog(qtbot: Any, window: Any) -> Any:
    window.actions_by_name["actionNewBatch"].trigger()
    dialog = window.batch_ui.dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _previewed(qtbot: Any, dialog: Any) -> None:
    click(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)


def _wait_finished(qtbot: Any, window: Any, batch_id: int, timeout: int = 60_000) -> None:
    def finished() -> bool:
        with Library.open(window.data_dir, reconcile=False) as library:
            return library.batches.get_batch(batch_id).state in (b.FINISHED, b.CANCELED)

    qtbot.waitUntil(finished, timeout=timeout)
    qtbot.waitUntil(lambda: not window.batch_ui.manager.is_running(batch_id), timeout=timeout)


def _started_batch(qtbot: Any, window: Any) -> int:
    with qtbot.waitSignal(window.batch_ui.manager.batchStarted, timeout=20_000) as started:
        pass
    return int(started.args[1])


def test_new_batch_from_a_list_previews_runs_and_lands_in_the_gallery(
    qtbot: Any, make_window: Any, limited: Any, tmp_path: Path, shots: Path, monkeypatch: Any
) -> None:
    from wan27_desktop.jobs.batch import qt as batch_qt

    # Its rows are sent once its window shows them: without the window's word they would wait 300 s.
    monkeypatch.setattr(batch_qt, "WINDOW_WAIT_S", 300.0)
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(child(dialog, "batchListFile"), str(_list_file(tmp_path)))
    _previewed(qtbot, dialog)
    summary = dialog.summary.text()
    assert "2 job(s), 2 image(s), estimated ¥1.12 (CNY)" in summary, summary
    refused = child(dialog, "batchRefusedRows")
    assert isinstance(refused, QTableWidget) and refused.isVisible()
    cells = {(refused.item(r, 0).text(), refused.item(r, 1).text()) for r in range(refused.rowCount())}
    assert {where for where, _ in cells} == {"line 4", "line 5"}
    assert "Columns ignored: notes" in summary
    assert limited.requests == []  # nothing sent by a preview
    dialog.grab().save(str(shots / "batch_preview.png"))
    assert dialog.start_button.isEnabled()
    click(qtbot, dialog.start_button)
    batch_id = _started_batch(qtbot, window)
    batch_window = window.batch_ui.windows[batch_id]
    _wait_finished(qtbot, window, batch_id)
    qtbot.waitUntil(lambda: "Done 2" in batch_window.counts_label.text(), timeout=10_000)
    model = batch_window.rows_model
    qtbot.waitUntil(lambda: model.rowCount() == 2 and model.text(0, 3) == "done")
    assert model.text(0, 2) == "a lighthouse at dusk"
    assert not sends_refused(limited)
    click(qtbot, child(batch_window, "batchGalleryButton"))
    qtbot.waitUntil(lambda: window.gallery.model.rowCount() == 2, timeout=10_000)
    assert window.gallery.query().batch_id == batch_id
    active = window.gallery.filters.active_label
    qtbot.waitUntil(lambda: f"Batch: prompts.csv (#{batch_id})" in active.text())  # the Batch filter, with its ✕
    bar = window.gallery.batch_bar  # the batch's spend over the grid, and a way back to its window
    qtbot.waitUntil(lambda: "spent ¥1.12" in bar.text(), timeout=10_000)
    batch_window.close()
    qtbot.waitUntil(lambda: batch_id not in window.batch_ui.windows)
    click(qtbot, bar.open_button)
    qtbot.waitUntil(lambda: batch_id in window.batch_ui.windows and window.batch_ui.windows[batch_id].isVisible())


def test_a_matrix_runs_and_its_window_exports_the_grid(
    qtbot: Any, make_window: Any, limited: Any, tmp_path: Path, shots: Path
) -> None:
    limited.polls_pending = limited.polls_running = 10_000
    limited.pending_seconds, limited.running_seconds = 0.0, 1.0  # a task takes a second, async
    limited.sync_delay = 1.0  # or sync (the generation panel's mode is the batch's)
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(2)
    qtbot.keyClicks(child(dialog, "batchMatrixPrompt"), "a {red|blue|green} fox in {snow|rain}")
    qtbot.keyClicks(child(dialog, "batchSeeds"), "1, 2")
    qtbot.keyClicks(child(dialog, "batchName"), "Foxes")
    _previewed(qtbot, dialog)
    assert "12 job(s)" in dialog.summary.text() and "prompt 1: red | blue | green" in dialog.summary.text()
    click(qtbot, dialog.start_button)
    batch_id = _started_batch(qtbot, window)
    batch_window = window.batch_ui.windows[batch_id]
    model = batch_window.rows_model

    def table_agrees_with_counts() -> bool:  # the table reloads each second; the counts move at once
        states = [model.text(row, 3) for row in range(model.rowCount())]
        counts = batch_window.counts
        return (
            counts.running >= 1
            and counts.done >= 1
            and (states.count("done"), states.count("running")) == (counts.done, counts.running)
        )

    qtbot.waitUntil(table_agrees_with_counts, timeout=30_000)
    batch_window.grab().save(str(shots / "batch_running.png"))
    _wait_finished(qtbot, window, batch_id)
    qtbot.waitUntil(lambda: batch_window.counts.done == 12 and child(batch_window, "batchGridButton").isEnabled())
    assert batch_window.title.text().startswith("Batch 1: Foxes")
    assert not sends_refused(limited) and limited.limits.peak_in_progress == 5
    grid = shots / "batch_grid.png"
    batch_window.grid_to(grid)
    qtbot.waitUntil(lambda: "Grid saved" in batch_window.notice.text(), timeout=30_000)
    assert grid.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    batch_window.export_to(tmp_path / "export")
    qtbot.waitUntil(lambda: (tmp_path / "export" / "batch.csv").is_file(), timeout=30_000)
    assert len(list((tmp_path / "export").glob("*.png"))) == 12


def test_pause_and_resume_from_the_batch_window(qtbot: Any, make_window: Any, limited: Any, tmp_path: Path) -> None:
    limited.polls_pending = limited.polls_running = 10_000
    limited.pending_seconds, limited.running_seconds = 0.0, 0.5
    limited.sync_delay = 0.5
    path = tmp_path / "many.txt"
    path.write_text("".join(f"prompt {i}\n" for i in range(10)), encoding="utf-8")
    window = make_window()
    dialog = _open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    child(dialog, "batchListFile").setText(str(path))
    _previewed(qtbot, dialog)
    click(qtbot, dialog.start_button)
    batch_id = _started_batch(qtbot, window)
    batch_window = window.batch_ui.windows[batch_id]
    pause = child(batch_window, "batchPauseButton")
    qtbot.waitUntil(lambda: pause.isEnabled() and batch_window.running, timeout=10_000)
    click(qtbot, pause)

    def state() -> str:
        with Library.open(window.data_dir, reconcile=False) as library:
            return library.batches.get_batch(batch_id).state

    qtbot.waitUntil(lambda: state() == b.PAUSED, timeout=10_000)
    qtbot.waitUntil(lambda: pause.text() == "&Resume", timeout=10_000)
    assert pause.accessibleName() == "Resume the batch"
    click(qtbot, pause)
    _wait_finished(qtbot, window, batch_id)
    assert limited.created_count == 10


def test_a_batch_over_the_spending_limit_asks_before_sending(
    qtbot: Any, make_window: Any, limited: Any, tmp_path: Path
) -> None:
    window = make_window()
    with Library.open(window.data_dir, reconcile=False) as library:
        library.spend_limits.set_limits("sg", Decimal("0.50"), None)
    dialog = _open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    child(dialog, "batchListFile").setText(str(_list_file(tmp_path)))
    _previewed(qtbot, dialog)
    assert "would cross a spending limit" in dialog.summary.text()
    click(qtbot, dialog.start_button)
    box = dialog.limit_box
    qtbot.waitUntil(box.isVisible)
    assert "daily limit of ¥0.50" in box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Cancel))
    assert limited.requests == [] and dialog.isVisible()
    click(qtbot, dialog.start_button)
    qtbot.waitUntil(dialog.limit_box.isVisible)
    click(qtbot, dialog.send_anyway)
    batch_id = _started_batch(qtbot, window)
    _wait_finished(qtbot, window, batch_id)
    assert limited.created_count == 2


def test_a_single_job_over_the_limit_asks_and_sends_only_when_confirmed(
    qtbot: Any, make_window: Any, limited: Any
) -> None:
    window = make_window()
    with Library.open(window.data_dir, reconcile=False) as library:
        library.spend_limits.set_limits("sg", Decimal("0.10"), None)
    request = GenerationRequest("a lighthouse", size="1K")
    window.workspace.submit(request, RequestMode.SYNC)
    qtbot.waitUntil(lambda: getattr(window, "_over_limit_box", None) is not None, timeout=10_000)
    box = window._over_limit_box
    assert "daily spending limit" in box.text() and limited.requests == []
    click(qtbot, [b for b in box.buttons() if b.text() == "Send Anyway"][0])
    qtbot.waitUntil(lambda: limited.created_count == 1, timeout=20_000)


def test_spending_limits_in_settings_are_saved_to_the_library(qtbot: Any, make_window: Any, limited: Any) -> None:
    window = make_window()
    dialog = window.open_settings()
    box = dialog.spend_box
    qtbot.waitUntil(lambda: box.loaded)
    daily = child(dialog, "spendLimit_sg_daily")
    monthly = child(dialog, "spendLimit_cn_monthly")
    assert isinstance(daily, QLineEdit) and daily.accessibleName()
    qtbot.keyClicks(daily, "abc")
    assert not box.validate() and not box.error.isHidden()
    daily.clear()
    qtbot.keyClicks(daily, "20")
    qtbot.keyClicks(monthly, "300.5")
    dialog.accept()

    def saved() -> bool:
        with Library.open(window.data_dir, reconcile=False) as library:
            return library.spend_limits.limits("sg") == (Decimal("20"), None) and library.spend_limits.limits("cn") == (
                None,
                Decimal("300.5"),
            )

    qtbot.waitUntil(saved, timeout=10_000)


def test_new_batch_is_reachable_by_keyboard_and_every_control_is_named(
    qtbot: Any, make_window: Any, limited: Any
) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.batch_ui.dialog is not None and window.batch_ui.dialog.isVisible())
    dialog = window.batch_ui.dialog
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, (QLineEdit, QPlainTextEdit)) and widget.isVisible():
            assert widget.accessibleName(), widget.objectName()
            assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    for button in (dialog.preview_button, dialog.start_button):
        assert button.accessibleName() and button.focusPolicy() & Qt.FocusPolicy.TabFocus
    dialog.reject()
    window.actions_by_name["actionBatches"].trigger()
    listing = window.batch_ui.list_dialog
    qtbot.waitUntil(listing.isVisible)
    assert listing.table.accessibleName() == "Batches"
    qtbot.waitUntil(lambda: listing.empty.isVisible())


def test_a_batchs_rows_show_in_the_job_queue_and_on_the_stage_and_stop_with_their_batch(
    qtbot: Any, make_window: Any, limited: Any, tmp_path: Path
) -> None:
    limited.polls_pending = 10**6  # held at the service until released below
    path = tmp_path / "three.txt"
    path.write_text("a red kite\na blue kite\na green kite\n", encoding="utf-8")
    window = make_window()
    window.workspace.draft.request_mode = RequestMode.ASYNC
    dialog = _open_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    child(dialog, "batchListFile").setText(str(path))
    _previewed(qtbot, dialog)
    click(qtbot, dialog.start_button)
    batch_id = _started_batch(qtbot, window)
    board = window.workspace.board
    sent = lambda: [r for r in board.rows() if r.batch_id == batch_id and r.server_status]  # noqa: E731
    qtbot.waitUntil(lambda: len(sent()) == 3, timeout=20_000)
    rows = [row for row in board.rows() if row.batch_id == batch_id]
    model = window.queue.model
    expected = {f"Batch {batch_id} · a {colour} kite" for colour in ("red", "blue", "green")}
    # A row's prompt comes with its journal record, read apart from the row's live events: wait for it.
    qtbot.waitUntil(
        lambda: {model.data(model.index(model.row_of(row.job_id), model.COL_PROMPT)) for row in rows} == expected,
        timeout=10_000,
    )
    window.queue.select_job(rows[0].job_id)
    assert not window.queue.cancel_button.isEnabled()  # the batch's window pauses or cancels it
    stage = window.stage
    assert stage is not None and stage.isVisible() and all(row.job_id in stage.cards for row in rows)
    card = stage.cards[rows[0].job_id]
    assert card.prompt.text().startswith(f"Batch {batch_id} · ") and card.stop_button.isHidden()
    assert window.jobs_in_progress() == 3
    blocker = window.workspace.move_blocker()
    assert blocker is not None and "Jobs ▸ Batches…" in blocker
    window.hide_stage()  # the next rows of the same batch do not bring it back
    for task in limited.tasks.values():
        task.polls_pending = task.queries
    _wait_finished(qtbot, window, batch_id)
    qtbot.waitUntil(lambda: all(row.state.is_terminal for row in board.rows() if row.batch_id == batch_id))
    assert not stage.isVisible() and window.jobs_in_progress() == 0


def test_a_row_whose_create_answer_was_lost_says_so_in_the_batch_window(
    qtbot: Any, fake: Any, isolated_environment: Path, tmp_path: Path
) -> None:
    """A row whose task could not be told apart (another program made one at the same moment): its
    status says it is paused, its answer lost, and its tooltip says why and what to do, instead of
    'running'."""
    from tests.cli_helpers import cli_env, run_cli
    from tests.fake_dashscope import Fault
    from tests.fake_dashscope.testkit import create_elsewhere
    from wan27_desktop.ui.batch.progress import BatchWindow

    fake.limits = AccountLimits()
    env = cli_env(fake, isolated_environment)
    create_elsewhere(fake)
    fake.add_fault(Fault("create", "drop", accept=True))
    prompts = tmp_path / "prompts.txt"
    prompts.write_text("one\ntwo\n", encoding="utf-8")
    ran = run_cli(["batch", str(prompts), "--size", "1K", "--poll-interval", "0.02", "--yes"], env)
    assert ran.returncode == 3, ran.stderr
    shown = run_cli(["batch", "show", "1"], env)
    assert "paused" in shown.stdout and "its create's answer was lost" in shown.stdout
    assert "2: 1 done, 0 running, 1 paused (answer lost), 0 queued" in shown.stdout

    window = BatchWindow(1, isolated_environment)
    qtbot.addWidget(window)
    window.show()
    model = window.rows_model
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=10_000)
    statuses = [model.text(row, 3) for row in range(2)]
    assert sorted(statuses) == ["done", "paused (answer lost)"], statuses
    lost = statuses.index("paused (answer lost)")
    tooltip = model.data(model.index(lost, 3), Qt.ItemDataRole.ToolTipRole)
    assert "2 tasks at the service were made then" in tooltip
    counts = window.counts_label.text()  # nothing runs: the row is not counted as running
    assert "Done 1 · Running 0" in counts and "Paused 1 (answer lost)" in counts, counts
