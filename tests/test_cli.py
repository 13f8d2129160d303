"""The real `wan27` entry point against the fake server: output, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import Fault


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


def test_generate_prints_the_saved_paths_and_exits_0(env, fake_dashscope, tmp_path: Path):
    out_dir = tmp_path / "out"
    result = run_cli(["generate", "a red fox in snow", "-n", "2", "--size", "1K", "--out", str(out_dir)], env)
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert len(paths) == 4 and all(p.is_file() for p in paths)
    assert len(list(out_dir.iterdir())) == 2
    assert fake_dashscope.created_count == 1


def test_generate_async_polls_to_completion(env, fake_dashscope):
    result = run_cli(
        ["generate", "a comic", "--set", "-n", "3", "--size", "1K", "--mode", "async", "--poll-interval", "0.01"], env
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(fake_dashscope.billed_images) >= 1
    assert fake_dashscope.requests[0].headers.get("x-dashscope-async") == "enable"


@pytest.mark.parametrize(
    "args, field",
    [
        (["generate", ""], "prompt"),
        (["generate", "x", "--size", "4K", "--model", "standard"], "size"),
        (["generate", "x", "-n", "5"], "n"),
        (["generate", "x", "--seed", "-1"], "seed"),
        (["generate", "x", "--palette", "#000000:50,#FFFFFF:50"], "color_palette"),
        (["generate", "x", "--ref", "/nonexistent/file.png"], "images[1]"),
    ],
)
def test_invalid_input_exits_2_and_sends_nothing(env, fake_dashscope, args, field):
    result = run_cli(args, env)
    assert result.returncode == 2, result.stderr
    assert field in result.stderr and "Traceback" not in result.stderr
    assert fake_dashscope.requests == []


@pytest.mark.parametrize("mode, op", [(None, "create"), ("sync", "sync")])
def test_service_refusal_exits_3_with_code_request_id_and_hint(env, fake_dashscope, mode, op):
    fake_dashscope.add_fault(Fault(op, "error", status=400, code="Arrearage", message="Overdue payment"))
    result = run_cli(["generate", "a fox", *(["--mode", mode] if mode else [])], env)
    assert result.returncode == 3
    assert "Arrearage" in result.stderr and "request id" in result.stderr and "hint" in result.stderr
    assert "Traceback" not in result.stderr


def test_network_failure_exits_4(isolated_environment: Path):
    env = cli_env(None, isolated_environment, DASHSCOPE_API_KEY="sk-test", WAN27_API_BASE="http://127.0.0.1:9/api/v1")
    result = run_cli(["generate", "a fox"], env)
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr


def test_missing_key_explains_how_to_add_one(isolated_environment: Path):
    env = cli_env(
        None,
        isolated_environment,
        WAN27_API_BASE="http://127.0.0.1:9/api/v1",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    result = run_cli(["generate", "a fox"], env)
    assert result.returncode in (2, 3)
    assert "wan27 key set" in result.stderr or "DASHSCOPE_API_KEY" in result.stderr


def test_jobs_and_library_commands_work_offline(env, fake_dashscope, isolated_environment: Path, tmp_path: Path):
    assert run_cli(["generate", "a lighthouse at dusk", "--size", "1K"], env).returncode == 0
    offline = cli_env(None, isolated_environment)
    listing = run_cli(["jobs", "list"], offline)
    assert listing.returncode == 0 and "lighthouse" in listing.stdout
    found = run_cli(["library", "search", "lighthouse"], offline)
    assert found.returncode == 0 and "lighthouse" in found.stdout
    image_id = found.stdout.split()[0]
    exported = run_cli(["library", "export", image_id, "--to", str(tmp_path / "x")], offline)
    assert exported.returncode == 0 and Path(exported.stdout.strip()).is_file()
    assert run_cli(["library", "trash", image_id], offline).returncode == 0
    assert "No image matches" in run_cli(["library", "search", "lighthouse"], offline).stdout
    assert run_cli(["library", "restore", image_id], offline).returncode == 0
    assert run_cli(["library", "stats"], offline).returncode == 0
    bad = run_cli(["jobs", "show", "not-a-number"], offline)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_unknown_job_id_is_invalid_input_not_a_crash(isolated_environment: Path):
    result = run_cli(["jobs", "show", "4242"], cli_env(None, isolated_environment))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "4242" in result.stderr


def test_corrupt_database_points_to_recover_and_recover_rebuilds(env, isolated_environment: Path):
    assert run_cli(["generate", "a lighthouse at dusk", "--size", "1K"], env).returncode == 0
    offline = cli_env(None, isolated_environment)
    db = next(isolated_environment.glob("library/*.sqlite3"))
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    broken = run_cli(["library", "list"], offline)
    assert broken.returncode != 0 and "Traceback" not in broken.stderr
    assert "wan27 library recover" in broken.stderr
    assert run_cli(["library", "recover"], offline).returncode == 0
    listing = run_cli(["library", "list"], offline)
    assert listing.returncode == 0 and "lighthouse" in listing.stdout


def test_the_cli_uses_the_library_folder_the_app_moved_to(env, isolated_environment: Path, tmp_path: Path):
    from wan27_desktop.library.move import move_library

    assert run_cli(["generate", "a lighthouse at dusk", "--size", "1K"], env).returncode == 0
    from wan27_desktop.settings import AppSettings

    moved_to = tmp_path / "elsewhere"
    settings = AppSettings(isolated_environment / "settings.ini")

    def switch(target: Path) -> None:
        settings.library_dir = target
        settings.sync()

    move_library(isolated_environment, moved_to, switch, app_data_dir=isolated_environment)
    offline = cli_env(None, isolated_environment)
    stats = run_cli(["library", "stats"], offline)
    assert stats.returncode == 0 and f"library folder: {moved_to}" in stats.stdout
    assert "lighthouse" in run_cli(["library", "search", "lighthouse"], offline).stdout
