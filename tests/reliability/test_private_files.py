"""Private by default (issue 14): prompts, images, the spend journal and logs are readable by their
user only - folders 0700, files 0600 - whatever the umask, including files made later (the
database's -wal/-shm, a rotated log, a thumbnail, a landed image)."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.library.conftest import make_png

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: nothing the app makes may rely on the umask to stay private."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[path.relative_to(root).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


def _not_private(root: Path) -> list[str]:
    wrong = []
    for rel, mode in _modes(root).items():
        path = root / rel
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            wrong.append(f"{rel}: {mode:o}")
    return wrong


def test_what_the_command_makes_is_private_under_any_umask(fake_dashscope, isolated_environment: Path, tmp_path: Path):
    fake_dashscope.result_image_mode = "small"
    reference = tmp_path / "ref.png"
    reference.write_bytes(make_png(320, 320))
    env = cli_env(fake_dashscope, isolated_environment)
    generate = [sys.executable, "-m", "wan27_desktop.cli", "generate", "a fox", "--size", "1K"]
    for args in (generate, [*generate, "--ref", str(reference), "--mode", "async", "--poll-interval", "0.01"]):
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, preexec_fn=lambda: os.umask(0), check=False
        )
        assert done.returncode == 0, done.stderr
    made = _modes(isolated_environment)
    assert "library/library.sqlite3" in made and any(p.startswith("library/images/") for p in made)
    assert any(p.startswith("library/inputs/") for p in made)
    assert _not_private(isolated_environment) == []


def test_the_database_side_files_logs_settings_and_thumbnails_are_private(open_umask, isolated_environment: Path, qapp):
    from wan27_desktop import diagnostics
    from wan27_desktop.imaging.thumbnails import ensure_thumbnail
    from wan27_desktop.library import Library
    from wan27_desktop.settings import AppSettings

    with Library.open(isolated_environment) as library:
        source = isolated_environment.parent / "in.png"
        source.write_bytes(make_png(64, 48))
        job = library.jobs.create(
            {"input": {}}, model="m", request_mode="sync", region="sg", endpoint="e", n=1, estimated_cost="0"
        )
        image = library.images.add(job, None, 0, source, metadata={})
        assert Path(f"{library.db_path}-wal").exists()  # open: the -wal and -shm exist now
        ensure_thumbnail(isolated_environment, image)
        assert _not_private(isolated_environment) == []

    path = diagnostics.setup_logging(isolated_environment, max_bytes=200, backups=2)
    try:
        log = logging.getLogger("wan27.test")
        for n in range(20):  # enough to rotate twice
            log.warning("a line long enough to fill the small log file quickly %d", n)
    finally:
        diagnostics.setup_logging(isolated_environment.parent / "elsewhere")
    assert path.exists() and Path(f"{path}.1").exists()
    settings = AppSettings(isolated_environment / "settings.ini")
    settings.library_dir = isolated_environment
    settings.sync()
    assert _not_private(isolated_environment) == []
