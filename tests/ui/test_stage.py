# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The generation stage against the fake service: placeholders appear at once for every expected
image, say where the job is, and give way to the images as they land; the newest result is shown
large; the Generate area says what runs and offers Cancel, saying honestly what it costs. The tests
also write the stage's screenshots (resources/screenshots with WAN27_WRITE_SCREENSHOTS=1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.fake_dashscope import Fault
from tests.ui.main_window_support import env_key, fake, make_window, notifier, shots  # noqa: F401 - fixtures
from wan27_desktop import i18n
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.jobs.runner import JobEvent
from wan27_desktop.library import JobState

SIZE = (1280, 800)


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """As the app runs: "1 job running", not "1 job(s) running"."""
    i18n.install_translators(qapp, "en")
    yield
    i18n.uninstall_translators(qapp)


def grab(window: Any, path: Path) -> None:
    window.resize(*SIZE)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert window.grab().save(str(path), "PNG")


def release(fake: Any) -> None:
    """Let the fake's held tasks go on (their next poll answers RUNNING, then the result)."""
    for task in fake.tasks.values():
        task.polls_pending = task.queries


def job_rows(window: Any) -> list[Any]:
    return [row for row in window.workspace.board.rows() if not row.placeholder]


def card_of(window: Any, job_id: int) -> Any:
    stage = window.stage
    assert stage is not None
    return stage.cards[job_id]


def tile_labels(card: Any) -> list[str]:
    return [tile.label or "image" for tile in card.tiles]


def test_the_stage_is_not_built_until_a_job_runs(qtbot: Any, make_window: Any, env_key: Any) -> None:
    window = make_window()
    assert window.stage is None
    assert not window.generation.activity.isVisible()
    window.workspace.submit(GenerationRequest(prompt="first of the session", size="1K"), RequestMode.SYNC)
    assert window.stage is not None and window.stage.isVisible()


def test_the_journals_past_does_not_bring_the_stage_up(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Path
) -> None:
    """A window opened on a library with finished jobs shows them in the job queue, not on the stage."""
    from tests.library.conftest import Maker
    from wan27_desktop.library import Library

    with Library.open(isolated_environment) as library:
        job = Maker(library, isolated_environment / "downloads").job("an old lighthouse", state=JobState.DONE)
    window = make_window()
    assert window.workspace.board.row(job) is not None and window.workspace.board.row(job).state is JobState.DONE
    assert window.stage is None and not window.generation.activity.isVisible()


def test_placeholders_say_where_the_job_is_then_images_replace_them(
    qtbot: Any, make_window: Any, env_key: Any, shots: Path
) -> None:
    env_key.polls_pending = 10**6  # held at the service until released below
    window = make_window()
    window.generation.editor.setFocus()
    qtbot.keyClicks(window.generation.editor, "a lighthouse on a cliff at dusk, four views")
    window.generation.params.count_spin.setValue(4)
    window.workspace.draft.request_mode = RequestMode.ASYNC
    qtbot.mouseClick(window.generation.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].server_status == "PENDING", timeout=10_000)
    job = job_rows(window)[0]
    card = card_of(window, job.job_id)
    assert tile_labels(card) == ["Pending"] * 4
    assert card.phase.text() == "At the service: pending"
    assert card.stop_button.text() == "Cancel"  # the service has not started it: nothing is billed
    activity = window.generation.activity
    assert activity.isVisible() and activity.label.text().startswith("1 job running; newest: At the service: pending")
    assert activity.stop_button.text() == "Cancel"
    assert activity.stop_button.accessibleName() and activity.stop_button.focusPolicy() & Qt.FocusPolicy.TabFocus
    grab(window, shots / "stage_running.png")

    release(env_key)
    env_key.add_fault(Fault("download", "slow", times=None, delay=0.3))
    qtbot.waitUntil(lambda: job.state is JobState.DONE, timeout=30_000)
    qtbot.waitUntil(lambda: all(tile.image is not None for tile in card.tiles), timeout=10_000)
    assert [tile.image_id for tile in card.tiles] == job.image_ids and len(job.image_ids) == 4
    assert card.phase.text() == "Done: 4 images"
    assert not card.stop_button.isVisible() and not activity.isVisible()


def test_a_rate_limited_job_shows_when_it_tries_again(qtbot: Any, make_window: Any, env_key: Any, shots: Path) -> None:
    # The service throttles the first poll and says when to come back: the runner waits that long.
    env_key.add_fault(Fault("query", "throttle", times=1, retry_after=30))
    window = make_window()
    window.workspace.submit(
        GenerationRequest(prompt="a busy afternoon at the service", n=2, size="1K"), RequestMode.ASYNC
    )
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].rate_limited, timeout=10_000)
    job = job_rows(window)[0]
    assert job.retry_at is not None and job.attempt == 2
    card = card_of(window, job.job_id)
    qtbot.waitUntil(lambda: card.phase.text().startswith("Rate-limited: retrying at "), timeout=5000)
    assert f"{job.retry_at.astimezone():%H:%M:%S} (in " in card.phase.text()
    assert card.phase.text().endswith(", attempt 2")
    assert tile_labels(card) == ["Rate-limited"] * 2
    assert card.stop_button.text() == "Cancel"  # the task waits at the service: canceling it costs nothing
    grab(window, shots / "stage_rate_limited.png")
    window.workspace.board.apply_event(JobEvent(job.job_id, JobState.RUNNING, "RUNNING"))
    assert card.phase.text() == "At the service: running"  # the next answer clears it
    assert not job.rate_limited


def test_an_image_set_of_six_lands_one_by_one(qtbot: Any, make_window: Any, env_key: Any, shots: Path) -> None:
    env_key.add_fault(Fault("download", "slow", times=None, delay=1.5))
    window = make_window()
    window.workspace.draft.prompt = "a six-panel storyboard: a kite escapes, crosses the sea, lands in a garden"
    window.workspace.draft.set_parameter(sequential=True, n=6, size="1K")
    window.workspace.draft.request_mode = RequestMode.ASYNC
    window.workspace.submit()
    qtbot.waitUntil(lambda: bool(job_rows(window)) and len(job_rows(window)[0].image_ids) >= 3, timeout=30_000)
    job = job_rows(window)[0]
    card = card_of(window, job.job_id)
    landed = len(job.image_ids)
    assert landed < 6 and len(card.tiles) == 6
    qtbot.waitUntil(lambda: all(tile.image is not None for tile in card.tiles[:landed]), timeout=10_000)
    assert [tile.label for tile in card.tiles[landed:]] == ["Downloading"] + ["Waiting"] * (5 - landed)
    assert card.phase.text() == f"Downloading image {landed + 1} of 6"
    grab(window, shots / "stage_set_landing.png")
    qtbot.waitUntil(lambda: job.state is JobState.DONE, timeout=30_000)
    assert len(card.tiles) == 6 and card.phase.text() == "Done: 6 images"


def test_a_failed_job_says_why_on_the_stage(qtbot: Any, make_window: Any, env_key: Any, shots: Path) -> None:
    env_key.add_fault(Fault("sync", "moderation"))
    window = make_window()
    window.workspace.submit(
        GenerationRequest(prompt="a prompt the content filter refuses", n=2, size="1K"), RequestMode.SYNC
    )
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].state is JobState.FAILED, timeout=20_000)
    job = job_rows(window)[0]
    card = card_of(window, job.job_id)
    qtbot.waitUntil(lambda: card.phase.text().startswith("Failed: "), timeout=5000)
    assert job.error_message and job.error_message in card.phase.text()
    assert tile_labels(card) == ["Failed"] * 2 and not card.stop_button.isVisible()
    assert card.retry_button.isVisible() and card.hint.text().startswith("What to do: ")
    grab(window, shots / "stage_failed.png")
    assert shows_whole_text(card.phase)


def test_a_job_phase_wraps_only_when_it_needs_a_second_line(qtbot: Any) -> None:
    # A wrapping label makes every change of any card lay the whole stage out again (height for
    # width); a line that fits looks the same unwrapped.
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from wan27_desktop.ui.stage.card import WrapWhenNeeded

    box = QWidget()
    qtbot.addWidget(box)
    label = WrapWhenNeeded(box)
    QHBoxLayout(box).addWidget(label)
    box.resize(420, 200)
    box.show()
    qtbot.waitExposed(box)
    label.show_text("At the service: running")
    assert not label.wordWrap()
    label.show_text("Failed: the service refused the prompt; change the words it names and send it again. " * 2)
    assert label.wordWrap()
    qtbot.waitUntil(lambda: shows_whole_text(label))
    label.show_text("Done: 1 image")
    assert not label.wordWrap() and shows_whole_text(label)
    box.resize(label.fontMetrics().horizontalAdvance("Done: 1") + 20, 200)  # the room shrinks
    qtbot.waitUntil(lambda: label.wordWrap() and shows_whole_text(label))
    # The text's width is measured once per text and font (a measure is a temporary Qt object, a GIL
    # hand-off): a bigger font with the same text and room must still be noticed.
    box.resize(label.fontMetrics().horizontalAdvance("Done: 1 image") + 40, 200)
    qtbot.waitUntil(lambda: not label.wordWrap() and shows_whole_text(label))
    label.show_text("Done: 1 image")  # shown again, unchanged: still one line
    assert not label.wordWrap()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    label.setFont(font)
    qtbot.waitUntil(lambda: label.wordWrap() and shows_whole_text(label))


def test_a_job_prompt_is_elided_again_when_the_font_or_the_room_changes(qtbot: Any) -> None:
    from wan27_desktop.ui.stage.card import JobCard
    from wan27_desktop.workspace.jobs import JobRow

    card = JobCard(7)
    qtbot.addWidget(card)
    card.resize(420, 200)
    card.show()
    qtbot.waitExposed(card)
    row = JobRow(7, JobState.RUNNING, prompt="a lighthouse on a cliff at dusk, in thick oil paint, " * 3, n=1)
    card.show_row(row, {})
    wide = card.prompt.text()
    assert wide.endswith("…") and len(wide) > 20
    card.show_row(row, {})
    assert card.prompt.text() == wide
    card.resize(260, 200)
    qtbot.waitUntil(lambda: len(card.prompt.text()) < len(wide))
    narrow = card.prompt.text()
    font = card.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    card.setFont(font)
    qtbot.waitUntil(lambda: len(card.prompt.text()) < len(narrow))  # bigger letters: fewer fit


def shows_whole_text(label: Any) -> bool:
    """On one line that fits, or wrapped with room for every line."""
    if not label.wordWrap():
        return label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    return label.height() >= label.heightForWidth(label.width())


def test_the_newest_result_is_shown_large_and_opens_in_the_viewer(
    qtbot: Any, make_window: Any, env_key: Any, shots: Path
) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.workspace.submit(
        GenerationRequest(prompt="a red kite over a grey beach, wide view", n=2, size="1K"), RequestMode.SYNC
    )
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].state is JobState.DONE, timeout=30_000)
    job = job_rows(window)[0]
    stage = window.stage
    newest = max(job.image_ids)
    qtbot.waitUntil(
        lambda: stage.preview.image_id == newest and not stage.preview.canvas.image.isNull(), timeout=10_000
    )
    qtbot.mouseClick(stage.large_button, Qt.MouseButton.LeftButton)
    assert stage.height() > window.gallery.height()
    # The decode for the pane, not the thumbnail: as many pixels as the pane shows, at most the image's.
    record = stage._records[newest]
    wanted = min(max(record.width, record.height), stage._preview_px())
    image = stage.preview.canvas
    qtbot.waitUntil(lambda: max(image.image.width(), image.image.height()) == wanted, timeout=10_000)
    assert image.image_size() == (record.width, record.height)  # drawn at the image's own size: no jump
    card = card_of(window, job.job_id)
    qtbot.waitUntil(lambda: all(tile.image is not None for tile in card.tiles), timeout=10_000)
    grab(window, shots / "stage_newest_large.png")
    # After the picture (README's, at the window's usual size): a bigger pane gets a sharper decode.
    window.resize(window.width() + 700, window.height() + 500)  # a bigger pane: a sharper decode
    qtbot.waitUntil(lambda: stage._preview_px() > wanted, timeout=10_000)
    sharper = min(max(record.width, record.height), stage._preview_px())
    qtbot.waitUntil(lambda: max(image.image.width(), image.image.height()) == sharper, timeout=10_000)
    assert sharper > wanted

    first = card.tiles[0]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Space)  # choose another result from the keyboard
    assert stage.preview.image_id == first.image_id
    qtbot.keyClick(first, Qt.Key.Key_Return)
    viewer = window.gallery.viewer()
    qtbot.waitUntil(lambda: viewer is not None and viewer.isVisible() and viewer.record is not None, timeout=10_000)
    assert window.gallery.viewer().record.id == first.image_id


def test_cancel_on_a_running_task_says_it_will_be_billed(qtbot: Any, make_window: Any, env_key: Any) -> None:
    env_key.polls_pending, env_key.polls_running = 0, 10**6
    window = make_window()
    window.workspace.submit(GenerationRequest(prompt="a long one", size="1K"), RequestMode.ASYNC)
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].state is JobState.RUNNING, timeout=10_000)
    activity = window.generation.activity
    qtbot.waitUntil(lambda: activity.stop_button.isVisible(), timeout=5000)
    assert activity.stop_button.text() == "Cancel" and "billed" in activity.stop_button.toolTip()
    qtbot.mouseClick(activity.stop_button, Qt.MouseButton.LeftButton)
    job = job_rows(window)[0]
    card = card_of(window, job.job_id)
    # The service cancels only tasks that have not started: the job runs on, and says so.
    qtbot.waitUntil(lambda: job.cancel_refused, timeout=10_000)
    assert job.active and card.phase.text().startswith("Running at the service — it will be billed")
    assert not card.stop_button.isVisible()
    for task in env_key.tasks.values():  # the service finishes it: the next poll answers SUCCEEDED
        task.polls_running = max(0, task.queries - task.polls_pending)
    qtbot.waitUntil(lambda: job.state is JobState.DONE, timeout=20_000)  # its images land all the same
    assert not activity.isVisible()


def test_new_stage_widgets_are_named_and_reachable_by_keyboard(qtbot: Any, make_window: Any, env_key: Any) -> None:
    window = make_window()
    window.workspace.submit(GenerationRequest(prompt="names", n=2, size="1K"), RequestMode.SYNC)
    qtbot.waitUntil(lambda: bool(job_rows(window)) and job_rows(window)[0].state is JobState.DONE, timeout=20_000)
    stage = window.stage
    card = card_of(window, job_rows(window)[0].job_id)
    for widget in (stage.large_button, stage.hide_button, stage.preview.open_button, *card.tiles):
        assert widget.accessibleName(), widget.objectName()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus, widget.objectName()
    qtbot.mouseClick(stage.hide_button, Qt.MouseButton.LeftButton)
    assert not stage.isVisible()
    window.workspace.submit(GenerationRequest(prompt="shown again", size="1K"), RequestMode.SYNC)
    assert stage.isVisible()


def test_showing_an_unchanged_job_again_repaints_nothing_and_a_theme_change_redraws_its_icon(qtbot: Any) -> None:
    # Every event of a job shows its card again; in a batch that is several a second per card.
    from PySide6.QtGui import QPalette

    from wan27_desktop.ui.stage.card import JobCard
    from wan27_desktop.workspace.jobs import JobRow

    card = JobCard(7)
    qtbot.addWidget(card)
    row = JobRow(7, JobState.RUNNING, prompt="a lighthouse", n=2)
    card.show_row(row, {})
    repaints: list[int] = []
    for tile in card.tiles:
        tile.update = lambda: repaints.append(1)  # type: ignore[method-assign]
    icon = card.icon.pixmap().cacheKey()
    card.show_row(row, {})
    assert repaints == [] and card.icon.pixmap().cacheKey() == icon
    row.state = JobState.DOWNLOADING
    card.show_row(row, {})
    assert len(repaints) == 2  # both placeholders say something new
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    theme = QPalette(before)
    theme.setColor(QPalette.ColorRole.Highlight, Qt.GlobalColor.darkMagenta)  # the running tone's colour
    app.setPalette(theme)
    try:
        qtbot.waitUntil(lambda: card.icon.pixmap().cacheKey() != icon, timeout=5000)
    finally:
        app.setPalette(before)


def test_the_running_jobs_line_keeps_its_height_as_its_text_changes(qtbot: Any) -> None:
    # It changes with every event of a running job: a line more or less would lay out and repaint
    # the whole generation panel each time.
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from wan27_desktop.ui.stage.activity import GenerateActivity

    box = QWidget()
    qtbot.addWidget(box)
    activity = GenerateActivity(box)
    column = QVBoxLayout(box)
    column.addWidget(activity)
    column.addStretch(1)  # the line gets its own height, as in the generation panel's footer
    activity.show()
    box.resize(420, 120)
    box.show()
    qtbot.waitExposed(box)
    label = activity.label
    label.setText("1 job running; newest: Sending · 0:01")
    qtbot.waitUntil(lambda: label.height() > 0)
    one_line = label.height()
    label.setText("5 jobs running; newest: Rate-limited: retrying at 17:23:46 (in 30 s), attempt 2 · 0:02")
    assert label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing()  # two lines
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert label.height() == one_line


def test_a_new_job_takes_the_card_of_the_oldest_finished_one(qtbot: Any, tmp_path: Path) -> None:
    # In a batch a job starts about as often as one ends: the card's widgets are reused, not made
    # and destroyed each time; the stage still shows the newest jobs, newest first.
    from wan27_desktop.library import Library
    from wan27_desktop.ui.stage.panel import MAX_CARDS, StagePanel
    from wan27_desktop.workspace.jobs import JobBoard

    Library.open(tmp_path / "data").close()
    board = JobBoard()
    stage = StagePanel(board, tmp_path / "data")
    qtbot.addWidget(stage)
    stage.resize(900, 400)
    stage.show()
    stage.activateWindow()
    qtbot.waitActive(stage)
    for job in range(1, MAX_CARDS + 1):
        board.apply_event(JobEvent(job, JobState.DONE), batch_id=3)
    oldest = stage.cards[1]
    board.apply_event(JobEvent(MAX_CARDS + 1, JobState.SUBMITTING), batch_id=3)
    assert stage.cards[MAX_CARDS + 1] is oldest and 1 not in stage.cards
    assert len(stage.cards) == MAX_CARDS and stage.cards_layout.indexOf(oldest) == 0  # on top
    assert oldest.phase.text() == "Sending" and oldest.row is board.row(MAX_CARDS + 1)
    assert [card.key for card in stage.cards.values()] == list(stage.cards)
    focused = stage.cards[2]
    qtbot.waitUntil(focused.tiles[0].isVisible)
    focused.tiles[0].setFocus()  # keyboard focus on the oldest finished card: it is not reused
    qtbot.waitUntil(lambda: QApplication.focusWidget() is focused.tiles[0])
    board.apply_event(JobEvent(MAX_CARDS + 2, JobState.SUBMITTING), batch_id=3)
    assert stage.cards[MAX_CARDS + 2] is not focused and 2 not in stage.cards
    stage.shutdown()
