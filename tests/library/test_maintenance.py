"""`library.maintenance`: reconcile after crashes, rebuild from files, import, export, corrupt-DB recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.library.conftest import Maker, make_jpeg, make_png
from wan27_desktop.api.imageformat.pngchunks import TextChunk, make_text_chunk
from wan27_desktop.library import ImageQuery, JobState, Library, LibraryCorrupt, NotFound
from wan27_desktop.library.pngmeta import read_metadata


def _day_dir(library: Library) -> Path:
    from wan27_desktop.library.paths import day_dir_of
    from wan27_desktop.library.times import utc_now

    folder = library.paths.abs_path(day_dir_of(utc_now()))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_reconcile_adopts_orphans_quarantines_unknown_and_flags_missing(maker: Maker, library: Library):
    kept = maker.image("kept")
    orphan = maker.image("orphan")
    gone = maker.image("gone")
    with library.db.write() as conn:  # simulate a crash between rename and commit for `orphan`
        conn.execute("DELETE FROM images WHERE id = ?", (orphan.id,))
        conn.execute("UPDATE results SET status = 'pending' WHERE job_id = ?", (orphan.job_id,))
    gone.path.unlink()
    stranger = _day_dir(library) / "holiday.png"
    stranger.write_bytes(make_png())
    report = library.maintenance.reconcile()
    assert report.adopted == (orphan.path,)
    assert [p.name for p in report.quarantined] == ["holiday.png"] and not stranger.exists()
    assert (library.paths.quarantine_dir / "holiday.png").read_bytes() == make_png()
    assert "holiday.png" in (library.paths.quarantine_dir / "quarantine.log").read_text()
    assert report.missing_ids == (gone.id,) and library.images.get(gone.id).missing
    adopted = library.images.of_job(orphan.job_id)
    assert [(i.index, i.path, i.sha256, i.prompt) for i in adopted] == [(0, orphan.path, orphan.sha256, "orphan")]
    assert library.jobs.results_of(orphan.job_id)[0].status == "downloaded"
    assert library.images.get(kept.id) == kept
    again = library.maintenance.reconcile()
    assert (again.adopted, again.quarantined, again.missing) == ((), (), 1)  # idempotent; still missing
    orphan_count = library.images.count(ImageQuery())
    assert orphan_count == 3


def test_reconcile_recreates_a_lost_job_from_the_file(maker: Maker, library: Library):
    image = maker.image("lost job", n=1)
    with library.db.write() as conn:
        conn.execute("DELETE FROM images")
        conn.execute("DELETE FROM results")
        conn.execute("DELETE FROM job_inputs")
        conn.execute("DELETE FROM jobs")
    library.maintenance.reconcile()
    job = library.jobs.get(image.job_id)
    assert job.state is JobState.DONE and job.prompt == "lost job" and job.model == "wan2.7-image-pro"
    assert library.images.of_job(job.id)[0].sha256 == image.sha256


CRASH_SCRIPT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from wan27_desktop.library import Library
    data, download, job_id = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    lib = Library.open(data)
    lib.images.add(job_id, None, 0, download, metadata={"job_id": job_id})
    print("not killed")
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_between_rename_and_commit_is_healed_on_next_open(data_dir: Path, tmp_path: Path):
    with Library.open(data_dir) as library:
        maker = Maker(library, tmp_path / "dl")
        job_id = maker.job(state=JobState.DOWNLOADING)
        library.jobs.add_results(job_id, ["https://r/0"], [None])
        download = maker.download()
    env = {**os.environ, "WAN27_CRASHPOINT": "library_after_rename"}
    proc = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(data_dir), str(download), str(job_id)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    files = list((data_dir / "library" / "images").rglob("*.png"))
    assert len(files) == 1
    with Library.open(data_dir) as library:
        assert library.last_reconcile is not None and library.last_reconcile.adopted == (files[0],)
        (image,) = library.images.of_job(job_id)
        assert image.path == files[0]
        assert library.jobs.pending_results(job_id) == []
        assert library.check_integrity() == []
        assert list((data_dir / "library" / "sessions").glob("*.open")) == []
    with Library.open(data_dir) as library:
        assert library.last_reconcile is None  # clean close: nothing to heal, open stays cheap


def test_stale_temp_files_are_quarantined_fresh_ones_left_alone(library: Library):
    folder = _day_dir(library)
    fresh, stale = folder / ".tmp-fresh.part", folder / ".tmp-stale.part"
    fresh.write_bytes(b"half")
    stale.write_bytes(b"half")
    os.utime(stale, (1, 1))
    report = library.maintenance.reconcile()
    assert [p.name for p in report.quarantined] == [".tmp-stale.part"] and fresh.exists()


def _index_snapshot(library: Library) -> list[tuple]:
    return sorted(
        (
            i.job_id,
            i.index,
            i.path,
            i.sha256,
            i.width,
            i.height,
            i.prompt,
            i.model,
            i.mode,
            i.seed,
            i.size_label,
            i.is_set,
            i.has_refs,
            i.created_at,
        )
        for i in library.images.query(ImageQuery(), 0, 1000)
    )


def test_rebuild_from_files_reproduces_the_index(maker: Maker, library: Library, tmp_path: Path):
    parent = maker.image("一只红色的狐狸")
    child = maker.image("edit image 1", refs=[parent.path])
    maker.image("storyboard", sequential=True, model="wan2.7-image")
    before = _index_snapshot(library)
    jobs_before = {j.id: (j.model, j.region, j.request_json, j.task_id, j.cost) for j in library.jobs.find()}
    report = library.maintenance.rebuild(keep_annotations=False)
    assert (report.images, report.jobs) == (3, 3) and report.backup is not None and report.backup.exists()
    assert _index_snapshot(library) == before
    assert {j.id: (j.model, j.region, j.request_json, j.task_id, j.cost) for j in library.jobs.find()} == jobs_before
    assert library.images.lineage(parent.id)[1][0].sha256 == child.sha256
    assert library.images.search_prompts("狐狸", 5) == ["一只红色的狐狸"]


def test_rebuild_keeps_ratings_tags_trash_and_imageless_jobs_when_db_is_readable(maker: Maker, library: Library):
    a, b = maker.image("a"), maker.image("b")
    failed = maker.job("moderated", state=JobState.FAILED)
    library.curation.set_rating([a.id], 5)
    library.curation.add_tags([a.id], ["best"])
    library.curation.trash([b.id])
    report = library.maintenance.rebuild()
    assert report.annotations_kept == 2
    by_sha = {i.sha256: i for i in library.images.query(ImageQuery(), 0, 10)}
    assert by_sha[a.sha256].rating == 5
    assert library.curation.tags_of(by_sha[a.sha256].id) == ["best"]
    assert [i.sha256 for i in library.images.query(ImageQuery(trashed=True), 0, 10)] == [b.sha256]
    assert library.jobs.get(failed).state is JobState.FAILED


def test_corrupt_database_raises_with_recovery_path_and_recover_rebuilds(data_dir: Path):
    # No connection of this process stays open (no `library` fixture): the database is damaged as
    # it would be between two runs, not under a live connection (see library/db.py `connect`).
    with Library.open(data_dir) as library:
        Maker(library, data_dir.parent / "dl").image("survivor")
    db = data_dir / "library" / "library.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    with pytest.raises(LibraryCorrupt) as caught:
        Library.open(data_dir)
    assert "rebuild" in caught.value.hint.lower() and caught.value.code == "LibraryCorrupt"
    report = Library.recover(data_dir)
    assert report.moved_aside is not None and report.moved_aside.read_bytes() == b"garbage" * 1000
    assert report.images == 1
    with Library.open(data_dir) as library:
        (image,) = library.images.query(ImageQuery(), 0, 10)
        assert image.prompt == "survivor" and library.jobs.get(image.job_id).prompt == "survivor"


def test_truncated_database_header_is_reported_as_corrupt(data_dir: Path):
    Library.open(data_dir).close()
    db = data_dir / "library" / "library.sqlite3"
    data = bytearray(db.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the schema page
    db.write_bytes(bytes(data))
    with pytest.raises(LibraryCorrupt):
        Library.open(data_dir)


def test_import_reads_a1111_parameters_and_never_touches_the_originals(library: Library, tmp_path: Path):
    folder = tmp_path / "mine"
    (folder / "sub").mkdir(parents=True)
    a1111 = make_text_chunk(
        TextChunk(
            "parameters",
            "a castle on a hill\nNegative prompt: blur\nSteps: 30, Seed: 99, Size: 8x6, Model: sdxl",
            "tEXt",
        )
    )
    (folder / "castle.png").write_bytes(make_png(extra=a1111))
    (folder / "sub" / "plain.jpg").write_bytes(make_jpeg())
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnope")
    (folder / "notes.txt").write_text("ignored")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    report = library.maintenance.import_dir(folder)
    assert len(report.imported) == 2 and [p.name for p, _ in report.failed] == ["broken.png"]
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    castle = next(i for i in library.images.get_many(report.imported) if i.path.suffix == ".png")
    assert (castle.prompt, castle.seed, castle.model, castle.job_id) == ("a castle on a hill", 99, "sdxl", None)
    meta = read_metadata(castle.path)
    assert meta["parameters"]["params"]["Steps"] == "30"  # the original A1111 text is kept
    assert meta["wan27"]["imported"] is True and meta["wan27"]["original_name"] == "castle.png"
    again = library.maintenance.import_dir(folder)
    assert again.imported == () and len(again.duplicates) == 2
    assert "Imported 0" in str(again)


def test_import_of_an_export_is_a_duplicate_and_rebuild_keeps_imports(maker: Maker, library: Library, tmp_path: Path):
    image = maker.image("round trip")
    exported = library.maintenance.export([image.id], tmp_path / "exp")
    assert library.maintenance.import_dir(exported[0].parent).duplicates == (exported[0],)
    castle = tmp_path / "in" / "castle.png"
    castle.parent.mkdir()
    castle.write_bytes(make_png(rgb=(7, 7, 7)))
    (imported_id,) = library.maintenance.import_dir(castle.parent).imported
    imported = library.images.get(imported_id)
    library.maintenance.rebuild(keep_annotations=False)
    after = {i.sha256: i for i in library.images.query(ImageQuery(), 0, 10)}
    assert set(after) == {image.sha256, imported.sha256}
    assert after[imported.sha256].job_id is None and after[imported.sha256].path == imported.path
    assert after[image.sha256].job_id == image.job_id


def test_export_copies_bytes_with_unique_names(maker: Maker, library: Library, tmp_path: Path):
    image = maker.image("export me")
    dest = tmp_path / "out"
    first = library.maintenance.export([image.id], dest)
    second = library.maintenance.export([image.id], dest)
    assert first[0].name == image.path.name and second[0].name == f"{image.path.stem} (2).png"
    assert first[0].read_bytes() == image.path.read_bytes() == second[0].read_bytes()
    assert read_metadata(first[0])["wan27"]["prompt"] == "export me"
    with pytest.raises(NotFound):
        library.maintenance.export([12345], dest)
