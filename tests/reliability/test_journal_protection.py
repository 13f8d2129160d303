"""The library protects the journal (issue 14, items 4 and 10): each SQLite failure says what it is
and what to do - only real damage points at `wan27 library recover`, and recover keeps what the
damaged journal still holds, so unfinished paid jobs survive it and resume.

Real SQLite files, the real CLI in child processes against the fake over real HTTP; read-only and
tiny disks are real mounts in a private namespace (`journal_support.run_cli_mounted`).
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import Fault
from tests.reliability.journal_support import (
    cli,
    db_of,
    empty_page,
    needs_namespaces,
    pages_of,
    read_only,
    run_cli_mounted,
    scramble_page,
    settle,
)
from tests.reliability.support import assert_library_clean, assert_readable
from wan27_desktop.library import ImageQuery, JobState, Library, LibraryCorrupt, LibraryError
from wan27_desktop.library.db import Database
from wan27_desktop.library.errors import (
    LibraryDiskFull,
    LibraryEmptyFile,
    LibraryIOError,
    LibraryReadOnly,
    from_sqlite,
)

ASYNC = ["--mode", "async", "--poll-interval", "0.01"]


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


def _journal_with_unfinished_work(env: dict[str, str], fake) -> dict[str, int]:
    """Four jobs as a user would leave them: done; async killed right after its task was created
    (task id journaled, nothing fetched); sync killed with its result links journaled but not
    downloaded; failed at the service (its cost and error kept)."""
    assert cli(["generate", "a lighthouse", "--size", "1K"], env).returncode == 0
    killed = run_cli(
        ["generate", "a harbour", "-n", "2", "--size", "1K", *ASYNC], {**env, "WAN27_CRASHPOINT": "async_after_submit"}
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    killed = run_cli(["generate", "a boat", "--size", "1K"], {**env, "WAN27_CRASHPOINT": "after_results_recorded"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    fake.add_fault(Fault("create", "task_failed", code="InternalError.Algo", message="the model failed"))
    assert cli(["generate", "a storm", "--size", "1K", *ASYNC], env).returncode != 0
    return {"done": 1, "submitted": 2, "downloading": 3, "failed": 4}


# -- classification ----------------------------------------------------------------------------


@needs_namespaces
def test_a_read_only_library_says_read_only_not_damaged_and_recover_changes_nothing(
    env, fake_dashscope, isolated_environment: Path
):
    assert cli(["generate", "a fox", "--size", "1K"], env).returncode == 0
    library_dir = isolated_environment / "library"
    before = db_of(isolated_environment).read_bytes()
    for args in (["library", "list"], ["jobs", "list"], ["generate", "a cat", "--size", "1K"], ["library", "recover"]):
        done = run_cli_mounted(args, env, read_only(library_dir))
        assert done.returncode != 0, (args, done.stdout)
        assert "Traceback" not in done.stderr, done.stderr
        assert "read-only" in done.stderr, done.stderr
        assert "code: LibraryReadOnly" in done.stderr, done.stderr
        assert "damaged" not in done.stderr.splitlines()[0], done.stderr  # the message; the hint says it is not
    assert fake_dashscope.created_count == 1  # the refused generate sent nothing
    assert db_of(isolated_environment).read_bytes() == before  # nothing set aside, nothing rebuilt
    listing = cli(["library", "list"], env)  # writable again: everything is there
    assert listing.returncode == 0 and "a fox" in listing.stdout


def test_a_full_disk_and_an_io_error_each_say_so(isolated_environment: Path):
    with Library.open(isolated_environment) as library:
        library.jobs.create(
            {"input": {}}, model="m", request_mode="sync", region="sg", endpoint="e", n=1, estimated_cost="0"
        )
    db = Database(db_of(isolated_environment))
    try:
        # A real SQLITE_FULL: the file may not grow past its current pages.
        pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
        db.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(LibraryDiskFull) as full, db.write() as conn:
            conn.execute("INSERT INTO meta(key, value) VALUES ('ballast', ?)", ("x" * 200_000,))
    finally:
        db.close()
    assert full.value.code == "DiskFull" and "full" in full.value.message
    assert "recover" not in full.value.hint and "Free some space" in full.value.hint

    io = sqlite3.OperationalError("disk I/O error")
    io.sqlite_errorcode = 10 | (3 << 8)  # SQLITE_IOERR_WRITE, as Python 3.11+ reports it
    mapped = from_sqlite(io, db_of(isolated_environment))
    assert isinstance(mapped, LibraryIOError) and "read or write error" in mapped.message
    assert "recover`" not in mapped.hint
    readonly = sqlite3.OperationalError("attempt to write a readonly database")  # Python 3.10: text only
    assert isinstance(from_sqlite(readonly, db_of(isolated_environment)), LibraryReadOnly)
    damaged = sqlite3.DatabaseError("database disk image is malformed")
    assert isinstance(from_sqlite(damaged, db_of(isolated_environment)), LibraryCorrupt)


# -- damaged pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["scrambled", "emptied"])
def test_a_damaged_images_page_gives_a_clear_message_and_no_false_empty_list(
    damage: str, env, fake_dashscope, isolated_environment: Path
):
    for prompt in ("a fox", "a cat", "a dog"):
        assert cli(["generate", prompt, "--size", "1K"], env).returncode == 0
    db = db_of(isolated_environment)
    settle(db)
    ((root, _kind),) = [p for p in pages_of(db, "images") if p[1] == "leaf"][:1]
    (scramble_page if damage == "scrambled" else empty_page)(db, root)

    # An emptied page reads without an error: only a write into the wrong page could tell, so
    # there the check is that an empty answer is not taken at its word.
    commands = [["library", "list"], ["library", "stats"]]
    if damage == "scrambled":
        commands.append(["generate", "a bird", "--size", "1K"])  # billed, then cannot be indexed
    for args in commands:
        done = run_cli(args, env)
        assert done.returncode != 0, (args, done.stdout)
        assert "Traceback" not in done.stderr, done.stderr
        assert "wan27 library recover" in done.stderr, done.stderr
        assert "The library is empty" not in done.stdout
    assert cli(["jobs", "list"], env).returncode == 0  # the journal itself still reads

    recovered = cli(["library", "recover"], env)
    assert recovered.returncode == 0, recovered.stderr
    resumed = cli(["jobs", "resume", "--poll-interval", "0.01"], env)  # the bird's result links were journaled
    assert resumed.returncode == 0, resumed.stderr
    with Library.open(isolated_environment) as library:
        prompts = sorted(i.prompt for i in library.images.query(ImageQuery(), 0, 10))
        assert prompts == sorted(["a cat", "a dog", "a fox"] + (["a bird"] if damage == "scrambled" else []))
        assert_library_clean(library)
    assert fake_dashscope.created_count == len(commands) + 1  # nothing was sent twice


def test_a_meta_page_gone_is_damage_not_a_traceback(env, isolated_environment: Path):
    assert cli(["library", "stats"], env).returncode == 0
    db = db_of(isolated_environment)
    settle(db)
    (page, _kind) = pages_of(db, "meta")[0]
    empty_page(db, page)
    done = run_cli(["library", "stats"], env)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "damaged" in done.stderr and "wan27 library recover" in done.stderr


# -- a 0-byte database --------------------------------------------------------------------------


def test_an_empty_database_file_is_never_taken_for_a_new_library(env, fake_dashscope, isolated_environment: Path):
    for prompt in ("a fox", "a cat"):
        assert cli(["generate", prompt, "--size", "1K"], env).returncode == 0
    db = db_of(isolated_environment)
    settle(db)
    db.write_bytes(b"")

    with pytest.raises(LibraryEmptyFile) as raised:
        Library.open(isolated_environment)
    assert_readable(raised.value.message)
    assert "0 bytes" in raised.value.message and "wan27 library recover" in raised.value.hint
    assert db.stat().st_size == 0  # not replaced
    refused = run_cli(["generate", "a dog", "--size", "1K"], env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert fake_dashscope.created_count == 2

    assert cli(["library", "recover"], env).returncode == 0
    assert any(p.name.startswith("library.sqlite3.corrupt-") for p in db.parent.iterdir())  # the empty file, kept
    assert cli(["generate", "a dog", "--size", "1K"], env).returncode == 0
    with Library.open(isolated_environment) as library:
        jobs = {j.id: j for j in library.jobs.find()}
        assert sorted(jobs) == [1, 2, 3]  # the new job did not take a job id the files carry
        assert library.images.of_job(3)[0].prompt == "a dog"
        assert [i.prompt for i in library.images.of_job(1)] == ["a fox"]


def test_an_empty_database_in_an_empty_library_is_kept_aside_and_replaced(isolated_environment: Path):
    db = db_of(isolated_environment)
    db.parent.mkdir(parents=True)
    db.write_bytes(b"")  # what an older version left when it died opening a new library
    with Library.open(isolated_environment) as library:
        assert library.stats()["jobs"] == 0
    assert [p.name.startswith("library.sqlite3.empty-") for p in db.parent.iterdir() if p.name != db.name].count(
        True
    ) == 1


# -- recover -----------------------------------------------------------------------------------


def test_recover_refuses_a_healthy_database_and_keeps_its_journal(env, fake_dashscope, isolated_environment: Path):
    jobs = _journal_with_unfinished_work(env, fake_dashscope)
    db = db_of(isolated_environment)
    settle(db)
    before = db.read_bytes()

    refused = run_cli(["library", "recover"], env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "integrity check" in refused.stderr and "wan27 library rebuild" in refused.stderr
    assert db.read_bytes() == before
    assert not [p for p in db.parent.iterdir() if ".corrupt-" in p.name]

    forced = cli(["library", "recover", "--force"], env)
    assert forced.returncode == 0, forced.stderr
    with Library.open(isolated_environment) as library:
        assert library.jobs.get(jobs["submitted"]).task_id is not None  # even a forced recover keeps it


def test_recover_salvages_the_journal_so_unfinished_paid_jobs_resume(env, fake_dashscope, isolated_environment: Path):
    jobs = _journal_with_unfinished_work(env, fake_dashscope)
    with Library.open(isolated_environment) as library:
        task_id = library.jobs.get(jobs["submitted"]).task_id
        failed = library.jobs.get(jobs["failed"])
        pending_urls = [r.url for r in library.jobs.results_of(jobs["downloading"])]
    assert task_id and pending_urls and failed.state is JobState.FAILED
    db = db_of(isolated_environment)
    settle(db)
    for page, _kind in pages_of(db, "images"):  # the images table is lost; the journal is not
        scramble_page(db, page)
    assert run_cli(["library", "list"], env).returncode != 0

    recovered = cli(["library", "recover"], env)
    assert recovered.returncode == 0, recovered.stderr
    assert "salvaged" in recovered.stdout and "jobs resume" in recovered.stdout
    with Library.open(isolated_environment) as library:
        assert library.check_integrity() == []
        assert library.jobs.get(jobs["submitted"]).task_id == task_id
        assert library.jobs.get(jobs["submitted"]).state is JobState.SUBMITTED
        assert [r.url for r in library.jobs.results_of(jobs["downloading"])] == pending_urls
        kept = library.jobs.get(jobs["failed"])
        assert (kept.state, kept.error_code, kept.request_id) == (JobState.FAILED, failed.error_code, failed.request_id)
        assert [i.prompt for i in library.images.of_job(jobs["done"])] == ["a lighthouse"]  # from its file

    resumed = cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    assert resumed.returncode == 0, resumed.stderr
    with Library.open(isolated_environment) as library:
        assert library.jobs.get(jobs["submitted"]).state is JobState.DONE
        assert len(library.images.of_job(jobs["submitted"])) == 2
        assert library.jobs.get(jobs["downloading"]).state is JobState.DONE
        billed = sorted(url for _, url in fake_dashscope.billed_images)
        saved = sorted(r.url for j in jobs.values() for r in library.jobs.results_of(j) if r.status == "downloaded")
        landed_from_files = [r for r in library.jobs.results_of(jobs["done"]) if r.url == ""]
        assert len(saved) + len(landed_from_files) == len(billed)  # every paid image is in the library
        assert_library_clean(library)
    assert fake_dashscope.created_count == 4


def test_recover_loses_only_the_rows_of_a_damaged_journal_page(isolated_environment: Path):
    prompt = "a long prompt about a lighthouse in a storm " * 40  # ~1.8 KB: two jobs per page
    with Library.open(isolated_environment) as library:
        ids = [
            library.jobs.create(
                {"input": {"messages": [{"role": "user", "content": [{"text": f"{n} {prompt}"}]}]}},
                model="wan2.7-image-pro",
                request_mode="async",
                region="sg",
                endpoint="http://127.0.0.1:1/api/v1",
                n=1,
                estimated_cost="0.2",
            )
            for n in range(40)
        ]
        for job_id in ids:
            library.jobs.update(job_id, state=JobState.SUBMITTED, task_id=f"task-{job_id}")
    db = db_of(isolated_environment)
    settle(db)
    leaves = [p for p, kind in pages_of(db, "jobs") if kind == "leaf"]
    assert len(leaves) > 5
    scramble_page(db, leaves[len(leaves) // 2])

    report = Library.recover(isolated_environment)
    assert report.salvage is not None and "jobs" in report.salvage.unreadable
    with Library.open(isolated_environment) as library:
        kept = {j.id: j.task_id for j in library.jobs.find(limit=100)}
    lost = set(ids) - set(kept)
    assert 1 <= len(lost) <= 4, lost  # one page's rows, no more
    assert all(kept[i] == f"task-{i}" for i in kept)


def test_rebuild_and_recover_keep_one_old_copy_and_stats_names_it(env, isolated_environment: Path):
    assert cli(["generate", "a fox", "--size", "1K"], env).returncode == 0
    for _ in range(3):
        assert cli(["library", "rebuild"], env).returncode == 0
    library_dir = isolated_environment / "library"
    copies = [p.name for p in library_dir.iterdir() if ".before-rebuild-" in p.name]
    assert len(copies) == 1, copies
    stats = cli(["library", "stats"], env)
    assert f"old database copy: {library_dir / copies[0]}" in stats.stdout


def test_an_interrupted_rebuild_leaves_nothing_behind_at_the_next_start(env, isolated_environment: Path):
    assert cli(["generate", "a fox", "--size", "1K"], env).returncode == 0
    killed = run_cli(["library", "rebuild"], {**env, "WAN27_CRASHPOINT": "rebuild_before_swap"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    library_dir = isolated_environment / "library"
    assert [p for p in library_dir.iterdir() if ".rebuild-" in p.name]  # the half-made index

    listing = cli(["library", "list"], env)
    assert listing.returncode == 0 and "a fox" in listing.stdout
    assert [p.name for p in library_dir.iterdir() if ".rebuild-" in p.name] == []


def test_a_library_error_is_never_a_raw_sqlite_exception(isolated_environment: Path):
    """Every store reads and writes through Database.read()/write(): a damaged page surfaces as a
    LibraryError the UI and CLI can show."""
    with Library.open(isolated_environment) as library:
        for _ in range(3):
            library.jobs.create(
                {"input": {}}, model="m", request_mode="sync", region="sg", endpoint="e", n=1, estimated_cost="0"
            )
    db = db_of(isolated_environment)
    settle(db)
    for page, _kind in pages_of(db, "jobs"):
        scramble_page(db, page)
    with Library.open(isolated_environment) as library, pytest.raises(LibraryError) as raised:
        library.jobs.find()
    assert isinstance(raised.value, LibraryCorrupt)


def test_recover_without_a_database_rebuilds_it_from_the_files(env, isolated_environment: Path):
    assert cli(["generate", "a fox", "--size", "1K"], env).returncode == 0
    db = db_of(isolated_environment)
    settle(db)
    db.unlink()
    recovered = cli(["library", "recover"], env)
    assert recovered.returncode == 0, recovered.stderr
    assert "a fox" in cli(["library", "list"], env).stdout


@pytest.mark.parametrize("how", ["rebuild", "recover"])
def test_batches_and_spending_limits_survive_a_rebuild_and_a_recover(how: str, isolated_environment: Path):
    """Only the database knows them: a rebuild carries them over, a recover salvages them."""
    from decimal import Decimal

    from wan27_desktop.library.batches import NewRow

    with Library.open(isolated_environment) as library:
        job = library.jobs.create(
            {"input": {}}, model="m", request_mode="async", region="sg", endpoint="e", n=1, estimated_cost="0.2"
        )
        batch = library.batches.create_batch(
            name="storyboard",
            kind="list",
            source="prompts.txt",
            request_mode="auto",
            region="sg",
            endpoint="e",
            rows=[NewRow(0, {"input": {}}), NewRow(1, {"input": {}})],
            estimated_cost="0.4",
        )
        with library.db.write() as conn:
            library.batches.link_row(batch, 0)(conn, job)
        library.spend_limits.set_limits("sg", Decimal("5"), Decimal("50"))
    if how == "rebuild":
        with Library.open(isolated_environment) as library:
            library.maintenance.rebuild()
    else:
        db = db_of(isolated_environment)
        settle(db)
        for page, _kind in pages_of(db, "images"):
            scramble_page(db, page)
        Library.recover(isolated_environment)
    with Library.open(isolated_environment) as library:
        assert library.batches.get_batch(batch).name == "storyboard"
        assert [r.job_id for r in library.batches.rows(batch)] == [job, None]
        assert library.spend_limits.limits("sg") == (Decimal("5"), Decimal("50"))
