"""Which build is running: version, commit and build date, so a bug report names exactly what ran.

- A frozen bundle carries `build_info.json` at the root of its contents folder, written by
  packaging/wan27_desktop.spec at build time (`record()`).
- A source checkout asks git for the commit (and whether tracked files were changed since).
- Anything else (a wheel install) knows its version only.

Qt-free and cheap to import: `wan27 --version` must not load Qt, and git runs only when asked.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from wan27_desktop import __version__

FILE_NAME = "build_info.json"
FROZEN, SOURCE, INSTALLED = "frozen build", "source checkout", "installed package"
SHORT_COMMIT = 12
GIT_TIMEOUT_S = 5.0
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildInfo:
    version: str
    origin: str  # FROZEN | SOURCE | INSTALLED
    commit: str | None = None  # full hex SHA
    dirty: bool = False  # tracked files differed from the commit
    built: str | None = None  # ISO 8601 UTC ("2026-05-01T12:00:00Z"), frozen builds only

    @property
    def short_commit(self) -> str | None:
        if self.commit is None:
            return None
        return self.commit[:SHORT_COMMIT] + ("+changes" if self.dirty else "")

    def summary(self) -> str:
        """One untranslated line for --version, the self-test and bug reports:
        `0.1.0 (commit 0123456789ab, built 2026-05-01T12:00:00Z)`."""
        commit = f"commit {self.short_commit}" if self.commit else "commit unknown"
        if self.origin == FROZEN:
            return f"{self.version} ({commit}, built {self.built or 'at an unknown time'})"
        return f"{self.version} ({self.origin}, {commit})"


def _git(*args: str, cwd: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_state(repo: Path | None = None) -> tuple[str | None, bool]:
    """(commit, dirty) of a git checkout (default: the one this package is in); (None, False) when
    it is not one or git is missing. Untracked files are no change: build output lives in the tree."""
    repo = repo or REPO_ROOT
    if not (repo / ".git").exists():
        return None, False
    commit = _git("rev-parse", "--verify", "HEAD", cwd=repo)
    if not commit:
        return None, False
    status = _git("status", "--porcelain", "--untracked-files=no", cwd=repo)
    return commit, bool(status)


def build_time(environ: Mapping[str, str] = os.environ) -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH's time when set (reproducible builds)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def record(repo: Path | None = None) -> dict[str, Any]:
    """What a build writes into the bundle (the spec calls this)."""
    commit, dirty = git_state(repo)
    return asdict(BuildInfo(__version__, FROZEN, commit, dirty, build_time()))


def _bundle_file() -> Path | None:
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) / FILE_NAME if getattr(sys, "frozen", False) and bundle else None


def _from_file(path: Path) -> BuildInfo:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return BuildInfo(
            version=str(data.get("version") or __version__),
            origin=FROZEN,
            commit=data.get("commit") or None,
            dirty=bool(data.get("dirty")),
            built=data.get("built") or None,
        )
    except (OSError, ValueError, AttributeError):
        return BuildInfo(__version__, FROZEN)


@lru_cache(maxsize=1)
def current() -> BuildInfo:
    bundled = _bundle_file()
    if bundled is not None:
        return _from_file(bundled)
    commit, dirty = git_state()
    if commit:
        return BuildInfo(__version__, SOURCE, commit, dirty)
    return BuildInfo(__version__, INSTALLED)


def version_line(prog: str) -> str:
    return f"{prog} {current().summary()}"


class VersionAction(argparse.Action):
    """`--version` printing version, commit and build date; the build is looked up only when asked."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str = argparse.SUPPRESS,
        default: str = argparse.SUPPRESS,
        help: str = "show the version, commit and build date, then exit",  # noqa: A002 - argparse's name
    ) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: object, values: object, option: object = None
    ) -> None:
        print(version_line(parser.prog))
        parser.exit()
