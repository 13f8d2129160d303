"""`python -m tests.fake_dashscope` serves until interrupted and prints what a demo needs."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.fake_dashscope.testkit import SSL_CONTEXT, SYNC, body, get, image_urls

REPO = Path(__file__).resolve().parents[2]


def test_runs_by_hand_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_dashscope", "--region", "cn", "--key", "sk-fake-demo", "--mode", "small"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines: list[str] = []
        assert process.stdout is not None
        while not any("DASHSCOPE_API_KEY=" in line for line in lines):
            line = process.stdout.readline()
            assert line, "the fake exited before printing its address"
            lines.append(line)
        text = "".join(lines)
        base = re.search(r"WAN27_API_BASE=(\S+)", text).group(1)  # type: ignore[union-attr]
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", base)
        assert "DASHSCOPE_API_KEY=sk-fake-demo" in text

        with httpx.Client(
            base_url=base, headers={"Authorization": "Bearer sk-fake-demo"}, verify=SSL_CONTEXT
        ) as client:
            data = client.post(SYNC, json=body()).json()
        assert "dashscope-result-bj" in image_urls(data)[0]
        assert get(image_urls(data)[0]).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
