"""PySide6 reads the source of every module imported after it; this tells it ours use it.

PySide6 supports `from __feature__ import ...` per module; to know which modules take part, it
hooks every import after its own and reads the new module's source (`inspect.getsource`) to look
for the word "PySide6". That costs ~0.3 ms per module, ~20 ms for the modules the window loads
after its first paint. Our modules never select a feature, and PySide treats a module that uses it
with no feature selected exactly as a module it ignores, so answering for our package is safe.

Called by `app.create_application` right after PySide6 is imported, and by the package's
`__init__` for the case where PySide6 was loaded before any of our modules (a launcher, the tests,
the start-up benchmark's hook): there the scan would otherwise read `wan27_desktop.app` and
everything it imports before the QApplication exists (~3 ms). Imports nothing but `sys` (not
even `typing`, which would be read first).
"""

from __future__ import annotations

import sys


def skip_pyside_source_scan(package: str = "wan27_desktop") -> bool:
    """Tell PySide6 that our modules use it, so it stops reading each one's source to find out.

    The standard library's modules (email, json, sqlite3... ~40 of them load before the full
    window) never mention PySide6, so the scan would answer False for them: that answer is given
    without reading their source. The hook is PySide's internal
    `shibokensupport.feature._mod_uses_pyside` (PySide6 6.4 to 6.11 at least); when it is not
    there, nothing is changed. Returns True when it was changed."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original) or getattr(original, "skips", None) == package:
        return False
    prefix = package + "."
    stdlib = sys.stdlib_module_names

    def uses_pyside(module: object) -> bool:
        name = getattr(module, "__name__", "")
        if name == package or name.startswith(prefix):
            return True
        if name.partition(".")[0] in stdlib:
            return False
        return bool(original(module))

    uses_pyside.skips = package  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 - a private name of PySide
    return True
