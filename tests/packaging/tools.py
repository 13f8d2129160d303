"""Import the build helpers in packaging/ (plain scripts, not a package: the folder's name would
shadow the PyPI `packaging` distribution if it were one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))

import build_lock  # noqa: E402
import bundle_filter  # noqa: E402
import checksums  # noqa: E402
import elfinfo  # noqa: E402
import linux_deps  # noqa: E402
import sbom  # noqa: E402
import trim_icu  # noqa: E402
import workflow_lint  # noqa: E402

__all__ = [
    "PACKAGING",
    "ROOT",
    "build_lock",
    "bundle_filter",
    "checksums",
    "elfinfo",
    "linux_deps",
    "run_icu_probe",
    "sbom",
    "trim_icu",
    "workflow_lint",
]


def run_icu_probe(ld_library_path: Path | None, python: Path | str = sys.executable) -> dict[str, object]:
    """tests/packaging/icu_probe.py's report under `python` (whose PySide6 must match the Qt
    libraries), optionally with LD_LIBRARY_PATH (searched by the loader before Qt's RUNPATH, so Qt
    then loads the libicudata found there)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("LD_LIBRARY_PATH", None)
    if ld_library_path:
        env["LD_LIBRARY_PATH"] = str(ld_library_path)
    probe = Path(__file__).with_name("icu_probe.py")
    done = subprocess.run([str(python), str(probe)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
