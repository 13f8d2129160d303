"""`reply_hook`: an observer of every answer the fake sends, with monotonic send times (benchmarks)."""

from __future__ import annotations

import time

import httpx

from tests.fake_dashscope import FakeDashScope, RecordedRequest


def test_reply_hook_sees_every_answer_with_its_status_and_send_times(fake: FakeDashScope, api: httpx.Client) -> None:
    seen: list[tuple[str, str, int, float, float]] = []

    def hook(request: RecordedRequest, status: int, started: float, ended: float) -> None:
        seen.append((request.op, request.listener, status, started, ended))

    fake.reply_hook = hook
    before = time.monotonic()
    body = {
        "model": "wan2.7-image",
        "input": {"messages": [{"role": "user", "content": [{"text": "a fox"}]}]},
        "parameters": {"n": 1, "size": "1K"},
    }
    answer = api.post("/services/aigc/multimodal-generation/generation", json=body)
    url = answer.json()["output"]["choices"][0]["message"]["content"][0]["image"]
    assert httpx.get(url).status_code == 200
    assert api.get("/tasks/no-such-task").status_code == 200
    # The hook runs on the server's thread once the answer is sent, which can be just after the
    # client has read it: wait for all three, then order them by when they started.
    deadline = time.monotonic() + 5
    while len(seen) < 3 and time.monotonic() < deadline:
        time.sleep(0.005)
    after = time.monotonic()
    seen.sort(key=lambda entry: entry[3])
    assert [(op, listener, status) for op, listener, status, _, _ in seen] == [
        ("sync", "api", 200),
        ("download", "result", 200),
        ("query", "api", 200),
    ]
    assert all(before <= started <= ended <= after for _, _, _, started, ended in seen)


def test_without_a_hook_nothing_changes(fake: FakeDashScope, api: httpx.Client) -> None:
    assert fake.reply_hook is None
    assert api.get("/tasks/no-such-task").json()["output"]["task_status"] == "UNKNOWN"
