"""Run the real `wan27` entry point in a subprocess against the fake server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli_env(fake, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WAN27_", "DASHSCOPE_"))}
    env.update(WAN27_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    if fake is not None:
        env.update(DASHSCOPE_API_KEY=fake.api_key, WAN27_API_BASE=fake.base_url)
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wan27_desktop.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
