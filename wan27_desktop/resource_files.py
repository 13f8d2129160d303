"""Find the files under the top-level `resources/` folder, wherever the app was installed from.

- a PyInstaller bundle: `<bundle>/resources` (see packaging/wan27_desktop.spec)
- a source checkout or editable install: `<repo>/resources`
- a wheel install: `<prefix>/share/wan27-desktop/resources` (pyproject's data-files)

No Qt here: the translations (i18n.py) are found through it by code that must not load QtGui (the
workspace model, see pyproject's import contracts); icons are assets.py's.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parent.parent / "resources")
    candidates.append(Path(sys.prefix) / "share" / "wan27-desktop" / "resources")
    for candidate in candidates:
        if (candidate / "icons").is_dir():
            return candidate
    return candidates[-1]


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
