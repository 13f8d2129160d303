"""packaging/requirements-build.lock: the exact versions and hashes the installers are built from.

    python3 packaging/build_lock.py check                 # this Python has exactly the locked versions?
    pip install uv                                         # once; only needed to refresh the lock
    python3 packaging/build_lock.py update                # add/drop what pyproject.toml now asks for
    python3 packaging/build_lock.py update --upgrade      # every pin to the newest allowed version
    python3 packaging/build_lock.py update --upgrade-package httpx

The lock covers the app's runtime dependencies (pyproject.toml keeps them as ranges) plus the
`packaging` extra (PyInstaller), resolved once for Linux, Windows and macOS alike (`--universal`:
platform- and Python-version-only dependencies carry markers), with the SHA-256 of every wheel on the index for each
pinned version, so one file serves all three build machines. Wheels only: installing it never runs a
package's build script. The build scripts install it with
`pip install --require-hashes --only-binary :all: -r packaging/requirements-build.lock`.

`update` keeps the pins already in the lock wherever they still satisfy pyproject.toml unless told
to upgrade; further arguments go to `uv pip compile` as they are.
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "packaging" / "requirements-build.lock"
# pyproject's requires-python: the lock holds for every Python the app runs on (markers fork the
# few pins that differ); the release workflow builds with 3.11.
OLDEST_PYTHON = "3.10"
INSTALL_FLAGS = ("--require-hashes", "--only-binary", ":all:")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None
    hashes: tuple[str, ...]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path = LOCK) -> list[Pin]:
    """Every `name==version [; marker]` entry with its `--hash=sha256:...` values."""
    joined = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    pins = []
    for line in joined.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        hashes = tuple(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
        requirement = re.sub(r"\s*--hash=\S+", "", line).strip()
        match = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)\s*(?:;\s*(.+))?", requirement)
        if not match:
            raise ValueError(f"{path.name}: not an exact pin: {line!r}")
        pins.append(Pin(normalise(match.group(1)), match.group(2), match.group(3), hashes))
    return pins


def applicable(pins: list[Pin]) -> list[Pin]:
    """The pins whose markers hold for this interpreter and platform."""
    from packaging.markers import Marker  # PyPA's packaging: locked itself (PyInstaller needs it)

    return [pin for pin in pins if pin.marker is None or Marker(pin.marker).evaluate()]


def mismatches(pins: list[Pin]) -> list[str]:
    """What this interpreter has that differs from the lock (missing or another version)."""
    problems = []
    for pin in applicable(pins):
        try:
            installed = importlib.metadata.version(pin.name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{pin.name}: locked {pin.version}, not installed")
            continue
        if installed != pin.version:
            problems.append(f"{pin.name}: locked {pin.version}, installed {installed}")
    return problems


def update_command(extra: list[str]) -> list[str]:
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("build_lock: uv is not installed; run `python3 -m pip install uv` first")
    return [
        uv,
        "pip",
        "compile",
        "pyproject.toml",
        "--extra",
        "packaging",
        "--universal",
        "--python-version",
        OLDEST_PYTHON,
        "--only-binary",
        ":all:",
        "--generate-hashes",
        "--quiet",
        "--custom-compile-command",
        "python3 packaging/build_lock.py update",
        "--output-file",
        str(LOCK.relative_to(ROOT)),
        *extra,
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        return subprocess.run(update_command(argv[1:]), cwd=ROOT).returncode
    if argv == ["check"]:
        problems = mismatches(read_lock())
        for problem in problems:
            print(f"build_lock: {problem}", file=sys.stderr)
        if problems:
            print(
                f"build_lock: {sys.executable} does not have the locked build inputs; install them with\n"
                f"  {sys.executable} -m pip install {' '.join(INSTALL_FLAGS)} -r packaging/requirements-build.lock",
                file=sys.stderr,
            )
            return 1
        print(f"build_lock: {len(applicable(read_lock()))} locked packages installed at their locked versions")
        return 0
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
