"""The GUI entry point: --self-test in a real subprocess, argument handling, the crash reporter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from wan27_desktop import app
from wan27_desktop.selftest import run_self_test

REPO = Path(__file__).resolve().parent.parent


def test_self_test_passes_in_a_subprocess_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WAN27_DATA_DIR"] = str(tmp_path / "user-data")
    result = subprocess.run([sys.executable, "-m", "wan27_desktop", "--self-test"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in ("qt", "image plugins", "tls certificates", "keyring", "library", "request bodies",
                  "main window"):
        assert any(line.split(":")[0].split(maxsplit=1)[-1] == check for line in lines), check
    assert "FAIL " not in result.stdout
    assert lines[-1].startswith("PASSED")
    assert not (tmp_path / "user-data").exists(), "the self-test must not touch the user's data dir"


def test_self_test_reports_a_failing_check_and_exits_1(monkeypatch: Any, capsys: Any) -> None:
    from wan27_desktop import selftest

    def broken() -> tuple[str, str]:
        raise OSError("no CA bundle")

    monkeypatch.setattr(selftest, "check_tls", broken)
    assert run_self_test() == 1
    out = capsys.readouterr().out
    assert "FAIL  tls certificates: OSError: no CA bundle" in out
    assert out.splitlines()[-1].startswith("FAILED: 1 of")


def test_an_insecure_api_base_is_refused_before_the_app_starts(capsys: Any) -> None:
    assert app.main(["--api-base", "http://gateway.example.com/api/v1"]) == 2
    assert "only allowed for localhost" in capsys.readouterr().err


def test_data_dir_option_sets_the_environment(monkeypatch: Any, tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    monkeypatch.setattr("wan27_desktop.selftest.run_self_test", lambda: seen.setdefault(
        "dir", os.environ["WAN27_DATA_DIR"]) and 0)
    assert app.main(["--data-dir", str(tmp_path / "elsewhere"), "--self-test"]) == 0
    assert seen["dir"] == str((tmp_path / "elsewhere").resolve())
