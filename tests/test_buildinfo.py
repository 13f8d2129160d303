"""Which build is running (issue 18): `--version` of both commands, the bundle's build_info.json,
a source checkout's commit, and the About dialog's build line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from wan27_desktop import __version__, buildinfo

REPO = Path(__file__).resolve().parent.parent
GIT_IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def fresh_build_info() -> Iterator[None]:
    buildinfo.current.cache_clear()
    yield
    buildinfo.current.cache_clear()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    (root / "tracked.txt").write_text("one\n", encoding="utf-8")
    git(root, "add", "tracked.txt")
    git(root, "commit", "-q", "-m", "first")
    return root


@pytest.fixture
def frozen_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This process looks like a PyInstaller bundle whose contents folder is returned."""
    contents = tmp_path / "_internal"
    contents.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(contents), raising=False)
    return contents


@pytest.mark.parametrize(("module", "prog"), [("wan27_desktop", "wan27-desktop"), ("wan27_desktop.cli", "wan27")])
def test_version_option_prints_version_and_commit_of_this_checkout(module: str, prog: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [sys.executable, "-m", module, "--version"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    head = git(REPO, "rev-parse", "HEAD")
    assert done.stdout.startswith(f"{prog} {__version__} (source checkout, commit {head[:12]}"), done.stdout
    assert done.stderr == ""


def test_git_state_sees_tracked_changes_but_not_untracked_files(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    assert buildinfo.git_state(repo) == (head, False)
    (repo / "build-output.bin").write_bytes(b"untracked")
    assert buildinfo.git_state(repo) == (head, False)
    (repo / "tracked.txt").write_text("two\n", encoding="utf-8")
    assert buildinfo.git_state(repo) == (head, True)


def test_outside_a_checkout_only_the_version_is_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert buildinfo.git_state(tmp_path) == (None, False)
    monkeypatch.setattr(buildinfo, "REPO_ROOT", tmp_path)
    info = buildinfo.current()
    assert (info.origin, info.commit) == (buildinfo.INSTALLED, None)
    assert info.summary() == f"{__version__} (installed package, commit unknown)"


def test_a_build_records_commit_changes_and_the_reproducible_date(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    (repo / "tracked.txt").write_text("changed\n", encoding="utf-8")
    recorded = buildinfo.record(repo)
    assert recorded == {
        "version": __version__,
        "origin": buildinfo.FROZEN,
        "commit": git(repo, "rev-parse", "HEAD"),
        "dirty": True,
        "built": "2026-01-01T00:00:00Z",
    }
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert buildinfo.record(repo)["built"].endswith("Z")


def test_a_frozen_bundle_reports_what_its_build_recorded(frozen_bundle: Path) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    recorded = {"version": "9.8.7", "commit": commit, "dirty": False, "built": "2026-01-02T03:04:05Z"}
    (frozen_bundle / buildinfo.FILE_NAME).write_text(json.dumps(recorded), encoding="utf-8")
    info = buildinfo.current()
    assert info == buildinfo.BuildInfo("9.8.7", buildinfo.FROZEN, commit, False, "2026-01-02T03:04:05Z")
    assert info.summary() == "9.8.7 (commit 0123456789ab, built 2026-01-02T03:04:05Z)"
    assert buildinfo.version_line("wan27-desktop") == "wan27-desktop " + info.summary()


@pytest.mark.parametrize("content", [None, "{not json", "[1, 2]"])
def test_a_frozen_bundle_without_a_readable_record_still_reports_its_version(
    frozen_bundle: Path, content: str | None
) -> None:
    if content is not None:
        (frozen_bundle / buildinfo.FILE_NAME).write_text(content, encoding="utf-8")
    info = buildinfo.current()
    assert (info.version, info.origin, info.commit) == (__version__, buildinfo.FROZEN, None)
    assert info.summary() == f"{__version__} (commit unknown, built at an unknown time)"


def test_diagnostic_info_names_the_build() -> None:
    from wan27_desktop import diagnostics

    text = diagnostics.diagnostic_info(keyring_timeout=0.1)
    assert text.splitlines()[0] == f"Wan 2.7 Desktop {buildinfo.current().summary()}"
