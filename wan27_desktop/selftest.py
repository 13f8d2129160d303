"""`wan27-desktop --self-test`: is this installation able to run? Installers rely on it (issue 6).

Builds the main window offscreen against a temporary library, checks the Qt image plugins, TLS
certificates, the keyring backend, the library and the request builder, prints one line per check
and returns 0 (all passed) or 1. Never touches the network or the user's data dir.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from wan27_desktop import __version__, buildinfo, config

KEYRING_TIMEOUT_S = 5.0


@dataclass
class Check:
    name: str
    status: str  # OK | FAIL | WARN (WARN does not fail the self-test)
    detail: str


def _has_display() -> bool:
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _run(name: str, fn: Callable[[], tuple[str, str]]) -> Check:
    try:
        status, detail = fn()
    except Exception as err:  # noqa: BLE001 - a self-test reports every failure instead of dying
        return Check(name, "FAIL", f"{type(err).__name__}: {err}")
    return Check(name, status, detail)


# -- checks ---------------------------------------------------------------------------------------
def check_image_plugins() -> tuple[str, str]:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter

    readable = {bytes(f.data()).decode().lower() for f in QImageReader.supportedImageFormats()}
    writable = {bytes(f.data()).decode().lower() for f in QImageWriter.supportedImageFormats()}
    problems = []
    image = QImage(32, 24, QImage.Format.Format_RGB32)
    image.fill(QColor(200, 40, 90))
    for fmt in ("png", "jpeg", "webp"):
        if fmt not in readable or fmt not in writable:
            problems.append(
                f"{fmt}: read={'yes' if fmt in readable else 'NO'}, write={'yes' if fmt in writable else 'NO'}"
            )
            continue
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide wants the format as str at run time (its stubs say bytes).
        if not image.save(buffer, fmt.upper()):  # type: ignore[call-overload]
            problems.append(f"{fmt}: encoding failed")
            continue
        buffer.close()
        decoded = QImage.fromData(data, fmt.upper())  # type: ignore[arg-type]
        if decoded.isNull() or decoded.size() != image.size():
            problems.append(f"{fmt}: decoding failed")
    if problems:
        return "FAIL", "; ".join(problems)
    return "OK", "PNG, JPEG, WebP read + write round trip"


def check_tls() -> tuple[str, str]:
    import ssl

    context = ssl.create_default_context()
    system = context.cert_store_stats().get("x509_ca", 0)
    parts = [f"system store {system} CA certificates"]
    certifi_count = 0
    try:
        import certifi
    except ImportError:
        parts.append("certifi not installed")
    else:
        bundle = certifi.where()
        context = ssl.create_default_context(cafile=bundle)
        certifi_count = context.cert_store_stats().get("x509_ca", 0)
        parts.append(f"certifi {certifi_count} ({Path(bundle).name})")
    # httpx verifies with certifi's bundle; the system store is the fallback for other code.
    return ("OK" if certifi_count or system else "FAIL"), ", ".join(parts)


def check_keyring() -> tuple[str, str]:
    """Availability is reported, not required: without a keyring, DASHSCOPE_API_KEY or a session key
    still work. A backend that does not answer in time is reported the same way."""
    from wan27_desktop import keys

    result: list[tuple[bool, str]] = []
    # A daemon thread, not a pool's: if the keyring never answers it is left behind, holding no pool.
    worker = threading.Thread(target=lambda: result.append(keys.keyring_available()), daemon=True)
    worker.start()
    worker.join(KEYRING_TIMEOUT_S)
    if not result:
        return "WARN", f"the keyring did not answer within {KEYRING_TIMEOUT_S:.0f} s"
    available, explanation = result[0]
    return ("OK" if available else "WARN"), explanation.split(" Set the ")[0]


def check_library(data_dir: Path) -> tuple[str, str]:
    from wan27_desktop.api.pricing import format_cny
    from wan27_desktop.library import JobState, Library

    with Library.open(data_dir) as library:
        job_id = library.jobs.create(
            {
                "model": "wan2.7-image",
                "input": {"messages": [{"role": "user", "content": [{"text": "self-test"}]}]},
                "parameters": {"n": 1},
            },
            model="wan2.7-image",
            request_mode="sync",
            region="sg",
            endpoint="http://127.0.0.1/api/v1",
            n=1,
            estimated_cost="0",
            state=JobState.CANCELED,
        )
        jobs = library.jobs.find(limit=5)
        spend = library.ledger.spend_today()
    with Library.open(data_dir) as library:
        again = library.jobs.get(job_id)
    if again.prompt != "self-test" or not jobs:
        return "FAIL", "a job written could not be read back"
    return "OK", f"created, wrote and re-read {library.db_path.name} (spend today {format_cny(spend)})"


def check_request_bodies() -> tuple[str, str]:
    from wan27_desktop.api.models import GenerationRequest, ImageInput, Mode
    from wan27_desktop.api.request_body import EncodedImage, build_body

    image = "https://example.com/reference.png"
    cases = {
        Mode.TEXT_TO_IMAGE: GenerationRequest(prompt="a red kite over a beach", n=1),
        Mode.TEXT_TO_IMAGE_SET: GenerationRequest(prompt="a four-panel story", n=4, enable_sequential=True),
        Mode.EDIT: GenerationRequest(prompt="make image 1 a watercolour", images=(ImageInput(image),)),
        Mode.IMAGE_SET: GenerationRequest(
            prompt="variations of image 1", images=(ImageInput(image),), n=3, enable_sequential=True
        ),
    }
    built = []
    for mode, request in cases.items():
        if request.mode is not mode:
            return "FAIL", f"{mode.value}: derived mode is {request.mode.value}"
        body = build_body(request, [EncodedImage(i.source, i.boxes) for i in request.images])
        if body["parameters"]["n"] != request.n:
            return "FAIL", f"{mode.value}: n missing from the body"
        built.append(mode.value)
    return "OK", ", ".join(built)


def check_main_window(data_dir: Path) -> tuple[str, str]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.window.main_window import MainWindow

    class _QuietNotifier:
        def notify(self, title: str, message: str, *, error: bool = False) -> bool:
            return False

        def alert(self, window: QWidget) -> None:
            pass

    window = MainWindow(data_dir=data_dir, settings=AppSettings(data_dir / "settings.ini"), notifier=_QuietNotifier())
    try:
        window.show()
        loop = QEventLoop()
        window.journalLoaded.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        started = time.monotonic()
        window.start(resume=False, check_key=False)
        loop.exec()
        if window._reader is None:
            return "FAIL", "the journal did not load within 10 s"
        missing = [
            name
            for name in ("promptEdit", "generateButton", "jobQueue", "statusBar")
            if window.findChild(QWidget, name) is None
        ]
        if missing:
            return "FAIL", f"missing controls: {', '.join(missing)}"
        grab = window.grab()
        if grab.isNull():
            return "FAIL", "the window could not be painted"
        centre = "gallery" if window.gallery is not None else "results strip (gallery unavailable)"
        return "OK", (
            f"built {window.width()}x{window.height()} with {centre}; journal in "
            f"{(time.monotonic() - started) * 1000:.0f} ms"
        )
    finally:
        window.close()
        QApplication.processEvents()


# -- driver ---------------------------------------------------------------------------------------
def run_self_test(out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    temp = Path(tempfile.mkdtemp(prefix="wan27-selftest-"))
    previous = os.environ.get(config.ENV_DATA_DIR)
    os.environ[config.ENV_DATA_DIR] = str(temp)
    started = time.monotonic()
    checks: list[Check] = []
    try:
        from PySide6.QtCore import qVersion
        from PySide6.QtGui import QGuiApplication

        from wan27_desktop.app import create_application

        checks.append(
            _run(
                "qt",
                lambda: (
                    "OK",
                    f"Qt {qVersion()}, platform plugin {(create_application(), QGuiApplication.platformName())[1]}",
                ),
            )
        )
        checks.append(_run("image plugins", check_image_plugins))
        checks.append(_run("tls certificates", check_tls))
        checks.append(_run("keyring", check_keyring))
        checks.append(_run("library", lambda: check_library(temp)))
        checks.append(_run("request bodies", check_request_bodies))
        checks.append(_run("resources", _check_resources))
        checks.append(_run("translations", check_translations))
        checks.append(_run("main window", lambda: check_main_window(temp)))
    finally:
        if previous is None:
            os.environ.pop(config.ENV_DATA_DIR, None)
        else:
            os.environ[config.ENV_DATA_DIR] = previous
        shutil.rmtree(temp, ignore_errors=True)
    print(f"Wan 2.7 Desktop {__version__} self-test", file=out)
    print(f"build: {buildinfo.current().summary()}", file=out)
    for check in checks:
        print(f"{check.status:<5} {check.name}: {check.detail}", file=out)
    failed = [c for c in checks if c.status == "FAIL"]
    elapsed = time.monotonic() - started
    if failed:
        print(f"FAILED: {len(failed)} of {len(checks)} checks ({elapsed:.1f} s)", file=out)
        return 1
    print(f"PASSED: {len(checks)} checks ({elapsed:.1f} s)", file=out)
    return 0


def check_translations() -> tuple[str, str]:
    from wan27_desktop.i18n import UI_LANGUAGES, catalogue_problems

    problems = catalogue_problems()
    if problems:
        return "FAIL", "; ".join(problems)
    return "OK", f"catalogues for {', '.join(UI_LANGUAGES)} and Qt's zh_CN load"


def _check_resources() -> tuple[str, str]:
    from wan27_desktop.assets import app_icon_path, resources_dir

    icon = app_icon_path()
    if not icon.exists():
        return "FAIL", f"app icon missing: {icon}"
    return "OK", f"{resources_dir()}"
