"""Moving a library: real files, real SQLite (WAL), refusals, cancel, a changed source, SIGKILL.

Every test ends by opening the library the settings point at and checking that each image is there
with its bytes: at no point may there be less than one complete library.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections import namedtuple
from pathlib import Path

import pytest

from tests.library.conftest import Maker, make_png
from wan27_desktop import config
from wan27_desktop.library import Library
from wan27_desktop.library import move as library_move
from wan27_desktop.library.move import (
    IN_PROGRESS_MARKER,
    MOVED_NOTE,
    MoveCanceled,
    MoveFailed,
    MoveRefused,
    copy_library,
    finish_move,
    move_library,
    plan_move,
)

REPO = Path(__file__).resolve().parents[2]


def digest(root: Path) -> dict[str, str]:
    """sha256 of every file the library owns (the database is compared by its rows instead)."""
    found = {}
    for entry in ("library", "cache", "incoming"):
        for path in sorted((root / entry).rglob("*")):
            if path.is_file() and not path.name.startswith("library.sqlite3") and "sessions" not in path.parts:
                found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def rows(root: Path) -> dict[str, object]:
    with Library.open(root, reconcile=False) as library:
        images = [
            (image.id, image.sha256, image.prompt, image.path.relative_to(root).as_posix())
            for job in library.jobs.find(limit=1000)
            for image in library.images.of_job(job.id)
        ]
        jobs = [(job.id, job.state.value, job.inputs and len(job.inputs)) for job in library.jobs.find(limit=1000)]
        return {"images": sorted(images), "jobs": sorted(jobs), "integrity": library.check_integrity()}


def assert_complete(root: Path, expected_files: dict[str, str], expected_rows: dict[str, object]) -> None:
    assert digest(root) == expected_files
    assert rows(root) == expected_rows
    with Library.open(root, reconcile=False) as library:
        for job in library.jobs.find(limit=1000):
            for image in library.images.of_job(job.id):
                assert image.path.is_file(), image.path


@pytest.fixture
def source(data_dir: Path, library: Library, maker: Maker, tmp_path: Path) -> Path:
    """A library with images, a job with a reference image, thumbnails, a stray download, and a
    job that exists only in the WAL (the fixture's connection stays open, nothing checkpointed)."""
    for prompt in ("a red fox in the snow", "a lighthouse at dusk", "一只猫"):
        maker.image(prompt)
    ref = tmp_path / "ref.png"
    ref.write_bytes(make_png(32, 24, (10, 200, 30)))
    job_id = maker.job("use image 1", refs=[ref])
    library.jobs.add_results(job_id, ["https://result.invalid/1.png"], [None])
    library.images.add(job_id, None, 0, maker.download(), metadata={"job_id": job_id})
    thumbs = data_dir / "cache" / "thumbs" / "ab"
    thumbs.mkdir(parents=True)
    (thumbs / "abcdef-256.jpg").write_bytes(b"\xff\xd8thumbnail\xff\xd9")
    (data_dir / "incoming").mkdir()
    (data_dir / "incoming" / "result.part").write_bytes(b"half a download")
    (data_dir / "settings.ini").write_text("[appearance]\ntheme=dark\n")
    (data_dir / "logs").mkdir()
    (data_dir / "logs" / "wan27.log").write_text("log line\n")
    maker.job("only in the WAL")
    assert Path(f"{library.db_path}-wal").stat().st_size > 0
    return data_dir


@pytest.fixture
def snapshot(source: Path) -> tuple[dict[str, str], dict[str, object]]:
    return digest(source), rows(source)


def recording_switch() -> tuple[list[Path], object]:
    calls: list[Path] = []
    return calls, calls.append


def test_a_move_copies_everything_then_removes_the_old_copy(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library
) -> None:
    files, expected_rows = snapshot
    assert any(name.startswith("library/inputs/") for name in files)
    target = tmp_path / "new place"
    calls, switch = recording_switch()
    seen: list[tuple[int, int]] = []
    report = move_library(source, target, switch, app_data_dir=source, progress=lambda d, t: seen.append((d, t)))
    library.close()
    assert calls == [target.resolve()]
    assert report.removed, report
    assert_complete(target, files, expected_rows)
    assert not (target / IN_PROGRESS_MARKER).exists()
    # The old copy is gone; what is not the library's stays in the data dir.
    for entry in ("library", "cache", "incoming"):
        assert not (source / entry).exists(), entry
    assert (source / "settings.ini").read_text() == "[appearance]\ntheme=dark\n"
    assert (source / "logs" / "wan27.log").exists()
    assert not (source / MOVED_NOTE).exists()
    # Progress went up to the total and never past it.
    assert seen[-1][0] == seen[-1][1] > 0
    assert all(0 <= done <= total for done, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_library_moved_again_leaves_no_empty_folder_behind(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library
) -> None:
    library.close()
    first, second = tmp_path / "first", tmp_path / "second"
    move_library(source, first, lambda _p: None, app_data_dir=source)
    report = move_library(first, second, lambda _p: None, app_data_dir=source)
    assert report.removed
    assert not first.exists()
    assert_complete(second, *snapshot)


def test_the_library_can_move_back_into_the_data_dir(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library
) -> None:
    library.close()
    away = tmp_path / "away"
    move_library(source, away, lambda _p: None, app_data_dir=source)
    # The data dir is not empty (settings, logs) but holds no library any more: it is accepted.
    move_library(away, source, lambda _p: None, app_data_dir=source)
    assert_complete(source, *snapshot)
    assert not away.exists()


# -- refusals: nothing is changed ------------------------------------------------------------------


def test_refuses_a_target_inside_the_library(source: Path) -> None:
    with pytest.raises(MoveRefused) as refused:
        plan_move(source, source / "library" / "elsewhere")
    assert refused.value.reason == "inside_source"
    assert "inside" in refused.value.message and refused.value.hint
    assert not (source / "library" / "elsewhere").exists()


def test_refuses_the_folder_it_is_already_in(source: Path) -> None:
    with pytest.raises(MoveRefused) as refused:
        plan_move(source, source)
    assert refused.value.reason == "same"


def test_refuses_a_folder_that_is_not_empty(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "holiday.jpg").write_bytes(b"someone else's file")
    with pytest.raises(MoveRefused) as refused:
        plan_move(source, target)
    assert refused.value.reason == "not_empty"
    assert "holiday.jpg" in refused.value.message
    assert "empty folder" in refused.value.hint
    assert sorted(p.name for p in target.iterdir()) == ["holiday.jpg"]


def test_a_folder_with_only_file_manager_litter_counts_as_empty(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    target.mkdir()
    (target / ".DS_Store").write_bytes(b"\0")
    assert plan_move(source, target).target == target.resolve()


def deny_writes(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `folder` refuse new files: by permissions, or (running as root, who ignores them) by
    having the OS call fail the way it would."""
    if os.name == "posix" and os.geteuid() != 0:
        folder.chmod(0o555)
        return
    real = library_move.tempfile.NamedTemporaryFile

    def refuse(*args: object, dir: object = None, **kwargs: object) -> object:  # noqa: A002 - tempfile's name
        if dir is not None and Path(str(dir)).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(library_move.tempfile, "NamedTemporaryFile", refuse)


def test_refuses_a_folder_it_cannot_write_to(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "read-only"
    target.mkdir()
    deny_writes(target, monkeypatch)
    try:
        with pytest.raises(MoveRefused) as refused:
            plan_move(source, target)
        assert refused.value.reason == "not_writable"
        assert "cannot be written" in refused.value.message
        with pytest.raises(MoveRefused):
            plan_move(source, target / "inside")  # a new folder under it: same answer
    finally:
        target.chmod(0o755)


def test_refuses_a_disk_without_enough_free_space(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(library_move.shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(MoveRefused) as refused:
        plan_move(source, tmp_path / "small disk")
    assert refused.value.reason == "no_space"
    assert "free space" in refused.value.message and "1000 bytes is free" in refused.value.message
    assert not (tmp_path / "small disk").exists()


def test_refuses_a_folder_without_a_library(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    with pytest.raises(MoveRefused) as refused:
        plan_move(tmp_path / "nothing", tmp_path / "target")
    assert refused.value.reason == "no_library"


# -- cancel, failures, a source that changes --------------------------------------------------------


@pytest.mark.parametrize("existing_target", [False, True])
def test_cancel_mid_way_leaves_the_source_intact_and_no_partial_copy(
    source: Path, snapshot: tuple, tmp_path: Path, existing_target: bool
) -> None:
    target = tmp_path / "target"
    if existing_target:
        target.mkdir()
    plan = plan_move(source, target)
    calls = 0

    def cancel_after_a_few() -> bool:
        nonlocal calls
        calls += 1
        return calls > 4  # after the database, part-way through the files

    with pytest.raises(MoveCanceled):
        copy_library(plan, should_cancel=cancel_after_a_few)
    assert calls == 5
    assert target.exists() is existing_target
    if existing_target:
        assert list(target.iterdir()) == []
    assert_complete(source, *snapshot)


def test_a_copy_that_does_not_verify_is_discarded(
    source: Path, snapshot: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_copy = library_move._copy_file

    def short_copy(src: Path, dst: Path, counter: object) -> int:
        size = real_copy(src, dst, counter)
        if src.suffix == ".png":
            with dst.open("r+b") as handle:
                handle.truncate(size - 1)  # a write the disk lost, not noticed by the copy loop
        return size

    monkeypatch.setattr(library_move, "_copy_file", short_copy)
    target = tmp_path / "target"
    with pytest.raises(MoveFailed) as failed:
        move_library(source, target, lambda _p: pytest.fail("switched to a bad copy"))
    assert failed.value.code == "MoveVerifyFailed"
    assert "did not match" in failed.value.message
    assert not target.exists()
    assert_complete(source, *snapshot)


def test_a_write_to_the_library_during_the_copy_stops_the_move(
    source: Path, snapshot: tuple, tmp_path: Path, maker: Maker
) -> None:
    """Another window or the wan27 command writes while we copy: nothing may be lost."""
    wrote = False

    def write_once(done: int, total: int) -> None:
        nonlocal wrote
        if not wrote and done > 0:
            wrote = True
            maker.image("made during the move")

    target = tmp_path / "target"
    with pytest.raises(MoveFailed) as failed:
        move_library(source, target, lambda _p: pytest.fail("switched"), progress=write_once)
    assert failed.value.code == "MoveSourceChanged"
    assert not target.exists()
    assert "made during the move" in [image[2] for image in rows(source)["images"]]


def test_a_write_after_the_copy_keeps_the_old_copy_with_a_note(
    source: Path, snapshot: tuple, tmp_path: Path, maker: Maker
) -> None:
    target = tmp_path / "target"
    report = copy_library(plan_move(source, target))
    maker.image("made after the copy, before the switch")
    removal = finish_move(report, app_data_dir=source)
    assert not removal.removed and removal.kept_reason == "changed"
    assert (source / "library" / "library.sqlite3").exists()
    note = (source / MOVED_NOTE).read_text()
    assert str(target.resolve()) in note and "KEPT" in note
    assert_complete(target, *snapshot)  # the new copy is complete as of the copy


def test_an_old_copy_that_cannot_be_deleted_is_left_with_a_note(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.close()
    real_unlink = os.unlink

    def locked_pngs(path: object, *args: object, **kwargs: object) -> None:
        if str(path).endswith(".png"):  # as an open file on Windows, or a read-only folder
            raise PermissionError(13, "Permission denied", str(path))
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", locked_pngs)
    report = move_library(source, tmp_path / "target", lambda _p: None, app_data_dir=source)
    monkeypatch.undo()
    assert not report.removed and report.kept_reason == "locked"
    note = (source / MOVED_NOTE).read_text()
    assert "could not be deleted" in note and ".png" in note
    assert (source / "library" / "library.sqlite3").exists() is False  # the rest did go
    assert_complete(tmp_path / "target", *snapshot)


def test_a_partial_copy_from_an_interrupted_move_is_replaced(source: Path, snapshot: tuple, tmp_path: Path) -> None:
    target = tmp_path / "target"
    (target / "library" / "images").mkdir(parents=True)
    (target / "library" / "images" / "half.png").write_bytes(b"half")
    (target / IN_PROGRESS_MARKER).write_text("left by a move that was killed")
    plan = plan_move(source, target)
    assert plan.leftover
    move_library(source, target, lambda _p: None)
    assert not (target / "library" / "images" / "half.png").exists()
    assert_complete(target, *snapshot)


# -- SIGKILL at every step: the library the settings name is complete ---------------------------

MOVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from wan27_desktop.library.move import move_library
    from wan27_desktop.settings import AppSettings

    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    settings = AppSettings(source / "settings.ini")

    def switch(folder):
        settings.library_dir = folder
        settings.sync()
        if not settings.status_ok():
            raise OSError("settings not written")

    move_library(source, target, switch, app_data_dir=source)
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize(
    "point, lands_in",
    [
        ("library_move_copied", "source"),
        ("library_move_switched", "target"),
        ("library_move_removing", "target"),
        (None, "target"),
    ],
)
def test_killed_at_any_step_the_configured_library_is_complete(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library, point: str | None, lands_in: str
) -> None:
    library.close()
    target = tmp_path / "target"
    env = {**os.environ, "WAN27_DATA_DIR": str(source)}
    env.pop("WAN27_CRASHPOINT", None)
    if point:
        env["WAN27_CRASHPOINT"] = point
    result = subprocess.run(
        [sys.executable, "-c", MOVER, str(source), str(target)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if point:
        assert result.returncode == -signal.SIGKILL, result.stderr
    else:
        assert result.returncode == 0, result.stderr
    # What the app and the wan27 command open at their next start:
    opened = config.library_root(source)
    assert opened == (source if lands_in == "source" else target.resolve())
    from wan27_desktop.settings import AppSettings  # QtCore only; the app reads the same entry

    assert AppSettings(source / "settings.ini").library_dir == opened
    assert_complete(opened, *snapshot)
    if point == "library_move_copied":
        # The finished copy was never switched to: moving again to the same folder just works.
        assert (target / IN_PROGRESS_MARKER).exists()
        move_library(source, target, lambda _p: None, app_data_dir=source)
        assert_complete(target, *snapshot)


def test_work_still_in_the_wal_is_in_the_copy(source: Path, tmp_path: Path, maker: Maker) -> None:
    """A reader holding an old snapshot (the gallery, say) stops the checkpoint from moving the last
    commit into the database file: the copy must read it from the WAL."""
    reader = sqlite3.connect(source / "library" / "library.sqlite3", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM jobs").fetchone()
    maker.job("committed behind a reader")
    try:
        report = copy_library(plan_move(source, tmp_path / "target"))
    finally:
        reader.close()
    with sqlite3.connect(tmp_path / "target" / "library" / "library.sqlite3") as db:
        requests = [row[0] for row in db.execute("SELECT request_json FROM jobs")]
    assert any("committed behind a reader" in text for text in requests)
    assert report.files == report.plan.file_count


def test_folder_names_with_spaces_and_uri_characters(
    source: Path, snapshot: tuple, tmp_path: Path, library: Library
) -> None:
    library.close()
    odd = tmp_path / "Bilder #1 ?, 图片 50%"
    move_library(source, odd, lambda _p: None, app_data_dir=source)
    assert_complete(odd, *snapshot)
    move_library(odd, source, lambda _p: None, app_data_dir=source)
    assert_complete(source, *snapshot)
