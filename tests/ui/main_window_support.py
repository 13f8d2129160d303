"""Helpers for the main window tests: a window against the per-test data dir, a recording notifier,
and waits on the library (real SQLite) and the queue."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.service_fixtures import env_key, fake  # noqa: F401 - fixtures
from wan27_desktop.library import JobState, Library
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.window.main_window import MainWindow

FAST_POLL = (0.05, 0.05)
REPO = Path(__file__).resolve().parents[2]


def screenshot_dir(tmp_path: Path) -> Path:
    """resources/screenshots with WAN27_WRITE_SCREENSHOTS=1 (refreshing README's pictures), else tmp."""
    if os.environ.get("WAN27_WRITE_SCREENSHOTS") == "1":
        # README's pictures include Chinese text (the prompt placeholder's "图1", the zh_CN window):
        # without a CJK font they would show boxes.
        from PySide6.QtGui import QFontDatabase

        if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
            pytest.fail("README screenshots need a Chinese font: apt-get install fonts-noto-cjk")
        target = REPO / "resources" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return screenshot_dir(tmp_path)


def child(parent: QWidget, name: str) -> Any:
    """The descendant widget with objectName `name` (fails the test when there is none)."""
    widget = parent.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


class RecordingNotifier:
    def __init__(self) -> None:
        self.notifications: list[tuple[str, str, bool]] = []
        self.alerts: list[QWidget] = []

    def notify(self, title: str, message: str, *, error: bool = False) -> bool:
        self.notifications.append((title, message, error))
        return True

    def alert(self, window: QWidget) -> None:
        self.alerts.append(window)


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def make_window(
    qtbot: Any, isolated_environment: Path, notifier: RecordingNotifier
) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(*, start: bool = True, show: bool = True, **kwargs: Any) -> MainWindow:
        kwargs.setdefault("poll_interval", FAST_POLL)
        kwargs.setdefault("notifier", notifier)
        window = MainWindow(data_dir=isolated_environment, settings=AppSettings(), **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        if show:
            window.show()
            qtbot.waitExposed(window)
        if start:
            with qtbot.waitSignal(window.journalLoaded, timeout=10_000):
                window.start()
        return window

    yield make
    for window in windows:
        window.shutdown()


def prompt_edit(window: MainWindow) -> QWidget:
    edit = window.prompt_edit()
    assert edit is not None, "the generation panel has no promptEdit"
    return edit


def library_images(data_dir: Path) -> list[Any]:
    with Library.open(data_dir, reconcile=False) as library:
        return [image for job in library.jobs.find(limit=100) for image in library.images.of_job(job.id)]


def only_job(window: MainWindow) -> Any:
    jobs = journaled(window)
    assert len(jobs) == 1, [j.job_id for j in jobs]
    return jobs[0]


def wait_state(qtbot: Any, window: MainWindow, job_id: int, *states: JobState, timeout: int = 20_000) -> Any:
    def reached() -> None:
        row = window.queue.model.job(job_id)
        assert row is not None and row.state in states, None if row is None else row.state

    qtbot.waitUntil(reached, timeout=timeout)
    return window.queue.model.job(job_id)


def journaled(window: MainWindow) -> list[Any]:
    """Queue rows of journaled jobs (not the placeholders of submissions waiting for a slot)."""
    return [row for row in window.queue.model.jobs() if not row.placeholder]


def wait_for_job(qtbot: Any, window: MainWindow, count: int = 1, timeout: int = 10_000) -> list[Any]:
    qtbot.waitUntil(lambda: len(journaled(window)) >= count, timeout=timeout)
    return journaled(window)


# -- themes and a lived-in window, for screenshots (tests/ui/test_main_window_screens.py) -----------
@pytest.fixture
def app_theme(qapp: Any) -> Iterator[Callable[..., bool]]:
    """`app_theme(Theme.DARK)` applies a theme to the whole app; the platform's comes back afterwards."""
    from wan27_desktop.ui.common import theme

    yield theme.apply_theme
    theme.controller().restore_platform()


SCENE_HUES = (205, 25, 140, 280, 350, 50, 185, 235)


def scene_png(path: Path, hue: int, width: int = 768, height: int = 512) -> Path:
    """A small landscape (sky, sun, two hills) in the colours of `hue`: thumbnails that look like
    pictures, so screenshots show how real work reads in the gallery."""
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPainterPath

    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    sky = QLinearGradient(0, 0, 0, height)
    sky.setColorAt(0, QColor.fromHsv(hue, 110, 250))
    sky.setColorAt(1, QColor.fromHsv((hue + 30) % 360, 60, 255))
    painter.fillRect(image.rect(), sky)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor.fromHsv((hue + 170) % 360, 120, 255))
    painter.drawEllipse(QPointF(width * 0.72, height * 0.3), height * 0.12, height * 0.12)
    for depth, (base, peak) in enumerate(((0.62, 0.30), (0.78, 0.62))):
        hill = QPainterPath()
        hill.moveTo(0, height)
        hill.lineTo(0, height * base)
        hill.cubicTo(width * 0.3, height * (base - 0.25), width * peak, height * (base + 0.1), width, height * base)
        hill.lineTo(width, height)
        painter.setBrush(QColor.fromHsv((hue + 20 * depth) % 360, 150 + 40 * depth, 150 - 45 * depth))
        painter.drawPath(hill)
    painter.end()
    assert image.save(str(path), "PNG")
    return path


def fill_showcase(qtbot: Any, window: MainWindow, folder: Path, count: int = 8) -> None:
    """A window as people use it: `count` pictures in the gallery (imported, as a user would),
    two reference images and a prompt."""

    pictures = folder / "pictures"
    pictures.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        hue = SCENE_HUES[index % len(SCENE_HUES)]
        size = (768, 512) if index % 3 else (512, 640)
        scene_png(pictures / f"scene{index}.png", hue, *size)
    window.import_folder(pictures)
    gallery = window.gallery
    assert gallery is not None
    qtbot.waitUntil(lambda: gallery.model.rowCount() == count, timeout=20_000)
    for index, hue in enumerate((30, 200)):
        window.generation.add_reference(str(scene_png(folder / f"reference{index}.png", hue, 640, 480)))
    edit = prompt_edit(window)
    edit.setFocus()
    qtbot.keyClicks(edit, "Put the lighthouse from image 1 on the coast of image 2, warm evening light")
