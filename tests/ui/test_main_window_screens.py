# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The main states rendered at 1280x800, offscreen. With WAN27_WRITE_SCREENSHOTS=1 the grabs are saved
as resources/screenshots/main_*.png and hidpi_*.png (for README); otherwise into tmp_path, so a plain
test run never changes the repository. Each test also asserts what the state must show.

The light/dark pair applies the app's own themes; the high-DPI shots run the window in a child
process (pytest on `test_scaled_window_child`) with QT_SCALE_FACTOR 1, 1.5 and 2, because Qt reads
the scale factor once, when the application starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QToolButton

from tests.fake_dashscope import Fault
from tests.ui.main_window_support import (  # noqa: F401 - fixtures
    app_theme,
    env_key,
    fake,
    fill_showcase,
    make_window,
    notifier,
    prompt_edit,
    shots,
    wait_for_job,
    wait_state,
)
from wan27_desktop import i18n
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.library import JobState
from wan27_desktop.settings import Theme
from wan27_desktop.ui.common import theme
from wan27_desktop.ui.window import parts as parts

REPO = Path(__file__).resolve().parents[2]
SIZE = (1280, 800)


@pytest.fixture(autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """As the app runs: README's pictures say "2 images", not "2 image(s)"."""
    i18n.install_translators(qapp, "en")
    yield
    i18n.uninstall_translators(qapp)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def reference_png(path: Path, hue: int, width: int = 960, height: int = 720) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor.fromHsv(hue, 120, 235))
    gradient.setColorAt(1, QColor.fromHsv((hue + 40) % 360, 200, 120))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor.fromHsv((hue + 180) % 360, 90, 250))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(width // 3, height // 4, width // 3, height // 2)
    painter.end()
    assert image.save(str(path), "PNG")
    return path


def settle(qtbot: Any, window: Any) -> None:
    """Wait until the gallery has no query or thumbnail work pending."""
    gallery = window.gallery
    if gallery is None:
        return
    qtbot.waitUntil(lambda: gallery.wait_idle(50) and gallery.loader.pending_count() == 0, timeout=20_000)
    # A paint asks for the thumbnails it shows: paint now, then wait for them, so no tile is grey.
    gallery.view.viewport().repaint()
    qtbot.waitUntil(lambda: gallery.loader.pending_count() == 0, timeout=20_000)
    gallery.view.viewport().update()


def grab(window: Any, path: Path) -> QImage:
    window.resize(*SIZE)
    # Labels whose text just changed ask for a new layout through posted events: run them first.
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    image = window.grab().toImage()
    assert (image.width(), image.height()) == (SIZE[0] * image.devicePixelRatio(), SIZE[1] * image.devicePixelRatio())
    assert image.save(str(path), "PNG")
    return image


def test_empty_first_run(qtbot: Any, make_window: Any, no_keyring: None, shots: Path) -> None:
    window = make_window()
    window.resize(*SIZE)
    qtbot.waitUntil(lambda: window.key_origin() == "none")
    settle(qtbot, window)
    grab(window, shots / "main_empty.png")
    assert window.queue.model.rowCount() == 0
    assert window.status.key_label.text() == "No key"
    spend = window.status.spend_label
    assert spend.width() >= spend.sizeHint().width(), "the spend label is cut off"


def test_generating_with_references(qtbot: Any, make_window: Any, env_key: Any, tmp_path: Path, shots: Path) -> None:
    env_key.polls_pending = 10**6  # the async tasks stay queued on the "server" while we look
    window = make_window()
    window.resize(*SIZE)
    refs = [reference_png(tmp_path / f"ref{i}.png", hue) for i, hue in enumerate((20, 200))]
    for ref in refs:
        window.generation.add_reference(str(ref))
    edit = prompt_edit(window)
    qtbot.keyClicks(edit, "Put the cat from image 1 on the sofa of image 2, warm evening light")
    window.workspace.submit(
        GenerationRequest(prompt="a lighthouse on a cliff at dusk, long exposure", n=2, size="1K"), RequestMode.ASYNC
    )
    window.workspace.submit(
        GenerationRequest(prompt="isometric tiny greenhouse, soft shadows", size="1K"), RequestMode.ASYNC
    )
    jobs = wait_for_job(qtbot, window, count=2)
    qtbot.waitUntil(lambda: all(window.queue.model.job(j.job_id).server_status == "PENDING" for j in jobs))
    settle(qtbot, window)
    grab(window, shots / "main_generating.png")
    for job in jobs:
        window.cancel_job(job.job_id)
        wait_state(qtbot, window, job.job_id, JobState.CANCELED)


def test_results_in_the_gallery(qtbot: Any, make_window: Any, env_key: Any, shots: Path) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.resize(*SIZE)
    prompts = [
        "a red kite over a grey beach",
        "paper boats on a rainy street, macro",
        "a cosy reading nook with a cat, morning light",
    ]
    for index, prompt in enumerate(prompts):
        window.workspace.submit(
            GenerationRequest(prompt=prompt, n=2 if index == 1 else 1, size="1K"),
            RequestMode.ASYNC if index == 1 else RequestMode.SYNC,
        )
    jobs = wait_for_job(qtbot, window, count=3)
    for job in jobs:
        wait_state(qtbot, window, job.job_id, JobState.DONE, timeout=60_000)
    if window.gallery is not None:
        qtbot.waitUntil(lambda: window.gallery.model.rowCount() == 4, timeout=20_000)
    window.queue.select_job(jobs[0].job_id)
    settle(qtbot, window)
    grab(window, shots / "main_results.png")
    assert "Online" in window.status.connectivity_label.text()


def test_error_row(qtbot: Any, make_window: Any, env_key: Any, shots: Path) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.resize(*SIZE)
    window.workspace.submit(GenerationRequest(prompt="a quiet harbour at dawn", size="1K"), RequestMode.SYNC)
    first = wait_for_job(qtbot, window)[0]
    wait_state(qtbot, window, first.job_id, JobState.DONE)
    env_key.add_fault(Fault("sync", "moderation"))
    window.workspace.submit(
        GenerationRequest(prompt="a prompt the content filter refuses", size="1K"), RequestMode.SYNC
    )
    failed = next(j for j in wait_for_job(qtbot, window, count=2) if j.job_id != first.job_id)
    wait_state(qtbot, window, failed.job_id, JobState.FAILED)
    qtbot.waitUntil(lambda: window.queue.model.job(failed.job_id).request_id is not None)
    window.queue.select_job(failed.job_id)
    settle(qtbot, window)
    grab(window, shots / "main_error.png")
    assert window.queue.retry_button.isEnabled()


# -- themes ---------------------------------------------------------------------------------------
def lived_in(qtbot: Any, window: Any, fake: Any, folder: Path) -> None:
    """Pictures, references and a prompt; a failed job (error colours) and one waiting on the service,
    with the job queue open to show them."""
    window.queue_dock.show()
    fill_showcase(qtbot, window, folder)
    fake.polls_pending = 10**6
    fake.add_fault(Fault("sync", "moderation"))
    refused, waiting = "a prompt the content filter refuses", "a lighthouse on a cliff at dusk, long exposure"
    window.workspace.submit(GenerationRequest(prompt=refused, size="1K"), RequestMode.SYNC)
    window.workspace.submit(GenerationRequest(prompt=waiting, n=2, size="1K"), RequestMode.ASYNC)
    # A row can appear from a job event before its record (with the prompt) is read back.
    qtbot.waitUntil(
        lambda: {row.prompt for row in wait_for_job(qtbot, window, count=2)} >= {refused, waiting}, timeout=20_000
    )
    jobs = wait_for_job(qtbot, window, count=2)
    failed = next(j for j in jobs if j.prompt == refused)
    pending = next(j for j in jobs if j.prompt == waiting)
    wait_state(qtbot, window, failed.job_id, JobState.FAILED)
    qtbot.waitUntil(lambda: window.queue.model.job(pending.job_id).server_status == "PENDING")
    window.queue.select_job(failed.job_id)
    gallery = window.gallery
    gallery.view.setCurrentIndex(gallery.model.index(1))
    gallery.view.selectionModel().select(gallery.model.index(2), gallery.view.selectionModel().SelectionFlag.Select)
    prompt_edit(window).setFocus()


@pytest.mark.parametrize("scheme", [Theme.LIGHT, Theme.DARK])
def test_light_and_dark_themes(
    qtbot: Any, make_window: Any, env_key: Any, app_theme: Any, tmp_path: Path, shots: Path, scheme: Theme
) -> None:
    app_theme(scheme)
    window = make_window()
    window.resize(*SIZE)
    lived_in(qtbot, window, env_key, tmp_path)
    settle(qtbot, window)
    image = grab(window, shots / f"main_{scheme.value}.png")
    wanted = theme.DARK if scheme is Theme.DARK else theme.LIGHT
    assert window.palette().color(QPalette.ColorRole.Window) == QColor(wanted.window)
    # The menu bar's row is the window colour: the theme reached the pixels, not only the palette.
    assert image.pixelColor(int(1200 * image.devicePixelRatio()), 4) == QColor(wanted.window)
    assert window.gallery.model.rowCount() == 8
    assert window.queue.error_details.isVisible()
    for job in window.queue.model.jobs():
        window.cancel_job(job.job_id)


# -- high DPI -------------------------------------------------------------------------------------
SCALE_ENV = "WAN27_SCALED_SHOT"  # set only in the child process: where to save the grab


@pytest.mark.skipif(not os.environ.get(SCALE_ENV), reason="runs in the child of test_main_window_at_scale")
def test_scaled_window_child(qtbot: Any, make_window: Any, env_key: Any, app_theme: Any, tmp_path: Path) -> None:
    target = Path(os.environ[SCALE_ENV])
    app_theme(Theme.LIGHT)
    window = make_window()
    window.resize(*SIZE)
    lived_in(qtbot, window, env_key, tmp_path)
    settle(qtbot, window)
    image = grab(window, target)
    dice = window.findChild(QToolButton, "seedDiceButton")
    dice_pixmap = dice.icon().pixmap(dice.iconSize(), window.devicePixelRatioF())
    facts = {
        "window_dpr": window.devicePixelRatioF(),
        "image_dpr": image.devicePixelRatio(),
        "image_size": [image.width(), image.height()],
        "dice_icon_device_px": [dice_pixmap.width(), dice_pixmap.height()],
        "dice_icon_logical": [dice.iconSize().width(), dice.iconSize().height()],
    }
    target.with_suffix(".json").write_text(json.dumps(facts))
    for job in window.queue.model.jobs():
        window.cancel_job(job.job_id)


@pytest.mark.parametrize(("scale", "name"), [("1", "hidpi_100"), ("1.5", "hidpi_150"), ("2", "hidpi_200")])
def test_main_window_at_scale(shots: Path, tmp_path: Path, scale: str, name: str) -> None:
    target = shots / f"{name}.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "QT_SCALE_FACTOR": scale,
        SCALE_ENV: str(target),
        "QT_ENABLE_HIGHDPI_SCALING": "1",
    }
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path / "child"),
            f"{Path(__file__).resolve()}::test_scaled_window_child",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-4000:]
    facts = json.loads(target.with_suffix(".json").read_text())
    target.with_suffix(".json").unlink()
    factor = float(scale)
    assert facts["window_dpr"] == pytest.approx(factor)
    assert facts["image_size"] == [round(SIZE[0] * factor), round(SIZE[1] * factor)]
    # Icons are drawn for the device pixels, not scaled up from a 1x bitmap.
    logical = facts["dice_icon_logical"]
    assert facts["dice_icon_device_px"] == [round(logical[0] * factor), round(logical[1] * factor)]
    image = QImage(str(target))
    assert (image.width(), image.height()) == tuple(facts["image_size"])
