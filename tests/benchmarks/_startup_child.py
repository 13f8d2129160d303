"""The process `bench_startup` times: the real app, or a bare PySide6 QMainWindow, each reporting its
first painted window through `wan27_desktop.benchhooks` (then ending at once).

    WAN27_BENCH_STARTUP=1 python tests/benchmarks/_startup_child.py app [wan27-desktop args...]
    WAN27_BENCH_STARTUP=1 python tests/benchmarks/_startup_child.py bare

Both modes hook the same way: the first `QMainWindow.show()` of the process installs the hook on
that window and goes on as normal, so the app runs its real entry point (`wan27_desktop.app.main`,
what the `wan27-desktop` command calls) unchanged. Run as a script, not `-m`, so neither mode pays
for importing the `tests` package.

`WAN27_BENCH_CPROFILE=FILE` profiles the whole process with cProfile and writes the stats to FILE
when the hook ends it.
"""

from __future__ import annotations

import os
import sys

if os.environ.get("WAN27_BENCH_CPROFILE"):
    import cProfile

    _profiler = cProfile.Profile()
    _profiler.enable()


def hook_first_main_window() -> None:
    from PySide6.QtWidgets import QMainWindow

    from wan27_desktop import benchhooks

    if os.environ.get("WAN27_BENCH_CPROFILE"):

        def dump() -> None:
            _profiler.disable()
            _profiler.dump_stats(os.environ["WAN27_BENCH_CPROFILE"])

        benchhooks.before_exit.append(dump)
    original = QMainWindow.show

    def show(window: QMainWindow) -> None:
        QMainWindow.show = original  # type: ignore[method-assign]  # only the first main window
        benchhooks.watch_first_paint(window)
        original(window)

    QMainWindow.show = show  # type: ignore[method-assign, assignment]


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(["bare-qmainwindow"])
    window = QMainWindow()
    window.setWindowTitle("Bare QMainWindow")
    window.resize(1280, 800)  # the app's default size: the same area to paint
    window.show()
    return int(app.exec())


def main() -> int:
    mode = sys.argv[1] if len(sys.argv) > 1 else "app"
    hook_first_main_window()
    if mode == "bare":
        return bare()
    from wan27_desktop.app import main as app_main

    return app_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
