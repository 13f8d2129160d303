"""The draft is kept: saved atomically soon after an edit and at quit, restored at start, its
references kept content-addressed in the library's inputs; a SIGKILL of the real app after an
edit loses nothing; File > New clears it, with undo."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.ui.test_generation_strip import make_image
from wan27_desktop.api.models import Box, RequestMode
from wan27_desktop.library import Library
from wan27_desktop.library.paths import LIBRARY_DIRNAME
from wan27_desktop.workspace.draft import Draft, DraftReference, Parameters
from wan27_desktop.workspace.draft_store import DraftStore, draft_path

CHILD = Path(__file__).with_name("_draft_app_child.py")
REPO = Path(__file__).resolve().parents[2]


def store_for(draft: Draft, app_dir: Path, library_root: Path) -> DraftStore:
    return DraftStore(draft, draft_path(app_dir), lambda: library_root)


def saved_json(store: DraftStore) -> dict[str, Any]:
    return json.loads(store.path.read_text(encoding="utf-8"))


def test_an_edit_is_saved_without_asking(qtbot: Any, tmp_path: Path) -> None:
    draft = Draft()
    store = store_for(draft, tmp_path, tmp_path / "lib")
    with qtbot.waitSignal(store.saved, timeout=5000):
        draft.prompt = "a lighthouse on a cliff"
    assert saved_json(store)["prompt"] == "a lighthouse on a cliff"
    store.close()


def test_edits_in_a_row_are_saved_together_and_the_last_one_wins(qtbot: Any, tmp_path: Path) -> None:
    draft = Draft()
    store = store_for(draft, tmp_path, tmp_path / "lib")
    with qtbot.waitSignal(store.saved, timeout=5000):
        for text in ("a", "ab", "abc"):
            draft.prompt = text
    qtbot.waitUntil(lambda: not store.dirty and saved_json(store)["prompt"] == "abc", timeout=5000)
    store.close()


def test_references_are_kept_in_the_library_inputs_and_survive_the_original_going(qtbot: Any, tmp_path: Path) -> None:
    library_root = tmp_path / "data"
    original = make_image(tmp_path / "lighthouse.png", 640, 480)
    draft = Draft()
    store = store_for(draft, tmp_path / "app", library_root)
    with qtbot.waitSignal(store.saved, timeout=10_000):
        draft.references = (DraftReference(str(original), (Box(1, 2, 300, 200),)),)
    entry = saved_json(store)["references"][0]
    inputs = library_root / LIBRARY_DIRNAME / "inputs"
    kept = inputs / entry["input"]
    assert kept.read_bytes() == original.read_bytes()
    assert not Path(entry["input"]).is_absolute()  # relative: the library folder may move
    store.close()

    original.unlink()
    restored = Draft()
    assert store_for(restored, tmp_path / "app", library_root).restore()
    assert restored.references == (DraftReference(str(kept), (Box(1, 2, 300, 200),), "lighthouse.png"),)


def test_a_moved_library_still_resolves_the_references(qtbot: Any, tmp_path: Path) -> None:
    draft = Draft()
    store = store_for(draft, tmp_path / "app", tmp_path / "old")
    with qtbot.waitSignal(store.saved, timeout=10_000):
        draft.references = (DraftReference(str(make_image(tmp_path / "a.png", 320, 320))),)
    store.close()
    os.replace(tmp_path / "old", tmp_path / "new")
    restored = Draft()
    store_for(restored, tmp_path / "app", tmp_path / "new").restore()
    assert Path(restored.references[0].source).is_relative_to(tmp_path / "new")
    assert Path(restored.references[0].source).is_file()


def test_the_input_copy_is_the_one_a_job_would_keep(qtbot: Any, tmp_path: Path) -> None:
    image = make_image(tmp_path / "a.png", 320, 320)
    draft = Draft()
    store = store_for(draft, tmp_path / "app", tmp_path / "data")
    with qtbot.waitSignal(store.saved, timeout=10_000):
        draft.references = (DraftReference(str(image)),)
    store.close()
    with Library.open(tmp_path / "data", reconcile=False) as library:
        _sha, job_copy = library.jobs.store_input(image)
    assert job_copy == tmp_path / "data" / LIBRARY_DIRNAME / "inputs" / saved_json(store)["references"][0]["input"]


def test_close_writes_what_the_timer_has_not_yet(qtbot: Any, tmp_path: Path) -> None:
    draft = Draft()
    store = store_for(draft, tmp_path, tmp_path / "lib")
    draft.set_parameter(n=3)
    draft.request_mode = RequestMode.ASYNC
    store.close()  # quit right after the edit
    again = Draft()
    store_for(again, tmp_path, tmp_path / "lib").restore()
    assert again.parameters == Parameters(n=3) and again.request_mode is RequestMode.ASYNC


def test_a_damaged_draft_file_is_set_aside_and_the_draft_starts_empty(qapp: Any, tmp_path: Path) -> None:
    draft_path(tmp_path).write_text("{ not json", encoding="utf-8")
    draft = Draft()
    assert not store_for(draft, tmp_path, tmp_path / "lib").restore()
    assert draft.is_empty()
    assert (tmp_path / "draft.json.damaged").exists()


# -- a crash ----------------------------------------------------------------------------------------
def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WAN27_API_BASE",)}
    env.update(
        PYTHONPATH=os.environ.get("PYTHONPATH", str(REPO)),
        WAN27_DATA_DIR=str(data_dir),
        DASHSCOPE_API_KEY="sk-draft-crash-test-0000000000",  # nothing is sent: no key lookup waits
        WAN27_KEYRING_SERVICE="wan27-draft-crash-test",
        QT_QPA_PLATFORM="offscreen",
    )
    return env


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_after_an_edit_then_the_next_start_shows_the_draft(tmp_path: Path) -> None:
    data = tmp_path / "data"
    reference = make_image(tmp_path / "harbour.png", 640, 480)
    prompt = "a harbour at dawn, image 1 style"
    env = app_env(data)
    app = subprocess.Popen(
        [sys.executable, str(CHILD), "edit", prompt, str(reference)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        saved = data / "draft.json"
        deadline = time.monotonic() + 30
        # An outside observer: the moment the edit is on disk, the process dies without warning.
        while True:
            assert app.poll() is None, app.stderr.read() if app.stderr else ""
            assert time.monotonic() < deadline, "the draft was never saved"
            try:
                content = json.loads(saved.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                content = {}
            if content.get("prompt") == prompt and any("input" in r for r in content.get("references", [])):
                break
            time.sleep(0.02)
        app.send_signal(signal.SIGKILL)
        assert app.wait(10) == -signal.SIGKILL
    finally:
        if app.poll() is None:
            app.kill()
    reference.unlink()  # the original is gone too: the draft must not need it

    read = subprocess.run([sys.executable, str(CHILD), "read"], env=env, capture_output=True, text=True, timeout=60)
    line = next((line for line in read.stdout.splitlines() if line.startswith("READ ")), None)
    assert line is not None, read.stderr[-2000:]
    shown = json.loads(line[5:])
    assert shown["prompt"] == prompt
    assert shown["references"] == ["harbour.png"]
    assert all(Path(source).is_file() for source in shown["sources"])
