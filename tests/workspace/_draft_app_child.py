"""The real app, driven from inside for the draft crash test (tests/workspace/test_draft_store.py).

    python tests/workspace/_draft_app_child.py edit PROMPT REFERENCE   # type, add a reference, run on
    python tests/workspace/_draft_app_child.py read                    # print what the panel shows, exit

Both run `wan27_desktop.app.main`, what `wan27-desktop` runs. `edit` types PROMPT into the prompt
editor key by key and adds REFERENCE as a person would, prints `EDITED`, and keeps running until
the test kills it. `read` prints, once the window is built, the prompt as the accessibility
interface reports it (what a screen reader reads) and the reference names, then ends.
"""

from __future__ import annotations

import json
import os
import sys


def main() -> int:
    mode = sys.argv[1]
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QAccessible
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMainWindow

    original = QMainWindow.show

    def show(window: QMainWindow) -> None:
        QMainWindow.show = original  # type: ignore[method-assign]  # only the first main window
        original(window)
        window.built.connect(lambda: QTimer.singleShot(0, lambda: act(window)))  # type: ignore[attr-defined]

    def act(window: QMainWindow) -> None:
        panel = window.generation  # type: ignore[attr-defined]
        if mode == "edit":
            panel.editor.setFocus()
            QTest.keyClicks(panel.editor, sys.argv[2])
            panel.add_reference(sys.argv[3])
            print("EDITED", flush=True)
            return
        interface = QAccessible.queryAccessibleInterface(panel.editor)
        shown = {
            "prompt": interface.text(QAccessible.Text.Value) if interface is not None else None,
            "references": panel.strip.names(),
            "sources": [item.source for item in panel.strip.items()],
        }
        print("READ " + json.dumps(shown), flush=True)
        os._exit(0)

    QMainWindow.show = show  # type: ignore[method-assign, assignment]
    from wan27_desktop.app import main as app_main

    return app_main([])


if __name__ == "__main__":
    sys.exit(main())
