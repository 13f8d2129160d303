"""Start-up (issue 7, item 1): process start to the first painted main window with a 10,000-image
library, versus a bare PySide6 `QMainWindow` process measured alternately in the same run.

    python -m tests.benchmarks.bench_startup [--images 10000] [--repeat 9] [--platform auto|offscreen|xvfb|both]
        [--gallery-repeat 3] [--pythonpath DIR] [--profile cprofile|importtime] [--keep DIR]

How the time is taken (both processes alike):
- The benchmark reads `time.monotonic()` (CLOCK_MONOTONIC, one clock for every process on Linux)
  right before `subprocess.Popen`; the child (`_startup_child.py`: the real `wan27_desktop.app.main`,
  or a bare QApplication + QMainWindow of the app's default size) prints `time.monotonic()` once its
  main window's first paint has completed (`wan27_desktop.benchhooks`), then ends at once. The
  difference covers everything a person waits for: fork/exec, the interpreter, imports, Qt set-up,
  building the window and painting it. The child's own start time in /proc/<pid>/stat has only
  10 ms resolution, so it is not used.
- "Completed": the window's first Paint event, then a high-priority posted event, delivered once
  that backing-store sync has painted every child widget and flushed (see benchhooks).
- Two figures per app start: `first_paint_ms`, the first painted main window (the app paints its
  shell first: the saved geometry filled with the window's background), and `full_ui_ms`, the first
  paint after the panels (generation panel, gallery, job queue, menus, status bar) were built. The
  budget is on the first; `full_ui_ratio` (also against the bare window's first paint) says how long
  the wait for a usable workspace is. A bare window is complete at its first paint.
- Runs alternate app / bare (the order flips every round), after one untimed warm-up of each that
  also writes the bytecode caches: the children run with bytecode caching in a private
  `PYTHONPYCACHEPREFIX`, as an installed app has .pyc files (this machine sets
  PYTHONDONTWRITEBYTECODE=1, which would make every app start compile ~85 modules, ~115 ms).
  Medians of `--repeat` rounds; budget: app / bare <= 1.3.
- Platforms: Xvfb with the real xcb plugin when `Xvfb` is installed (`auto`), else offscreen.
- The library: `library_scale.build_synthetic_library` (10,000 rows pointing at real PNG files),
  in a fresh data dir (settings, logs and thumbnail cache there); thumbnails are warm after the
  warm-up, as for anyone who has opened the app before. The key comes from DASHSCOPE_API_KEY (a
  dummy, nothing is sent) so no run waits on, or touches, a real keyring entry.
- Informational (`workspace`): with WAN27_BENCH_STARTUP=gallery the app also reports the gallery's
  first paint showing rows and the moment its visible thumbnails are loaded.

Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks import common
from tests.benchmarks.library_scale import build_synthetic_library

BUDGET_RATIO = 1.3
CHILD = common.BENCH_DIR / "_startup_child.py"
MARKER = "WAN27_BENCH"
RUN_TIMEOUT_S = 60.0
DUMMY_KEY = "sk-bench-startup-000000000000"


class StartupError(RuntimeError):
    pass


@contextlib.contextmanager
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server; yields its DISPLAY (":N"), then stops it."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number.isdigit():
            raise StartupError(f"Xvfb did not start (exit code {proc.poll()})")
        yield f":{number}"
    finally:
        common.stop_process(proc)


def child_env(
    data_dir: Path, platform: str, display: str | None, pycache: Path, pythonpath: Path, mode: str
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "WAN27_BENCH_CPROFILE", "DISPLAY", "WAYLAND_DISPLAY")
    }
    env.update(
        PYTHONPATH=str(pythonpath),
        PYTHONPYCACHEPREFIX=str(pycache),
        WAN27_DATA_DIR=str(data_dir),
        WAN27_BENCH_STARTUP=mode,
        DASHSCOPE_API_KEY=DUMMY_KEY,
        WAN27_KEYRING_SERVICE="wan27-bench-startup",
        QT_QPA_PLATFORM="xcb" if platform == "xvfb" else "offscreen",
    )
    env.pop("WAN27_API_BASE", None)
    if display is not None:
        env["DISPLAY"] = display
    return env


def run_child(kind: str, env: dict[str, str], extra_args: tuple[str, ...] = ()) -> dict[str, float]:
    """Start one child; milliseconds from just before Popen to each event it reports."""
    command = [sys.executable, *extra_args, str(CHILD), kind]
    started = time.monotonic()
    proc = subprocess.run(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        cwd=tempfile.gettempdir(),
    )
    events: dict[str, float] = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == MARKER:
            events[parts[1]] = (float(parts[2]) - started) * 1000
    if "first_paint" not in events:
        raise StartupError(f"{kind} reported no first paint (exit code {proc.returncode}): {proc.stderr[-1500:]}")
    if extra_args:
        common.log(proc.stderr[-20000:])
    return events


def measure_platform(
    platform: str, data_dir: Path, pycache: Path, pythonpath: Path, repeat: int, gallery_repeat: int
) -> dict[str, Any]:
    with contextlib.ExitStack() as stack:
        display = stack.enter_context(xvfb_display()) if platform == "xvfb" else None
        env = child_env(data_dir, platform, display, pycache, pythonpath, "1")
        for kind in ("app", "bare"):  # warm-up: bytecode caches, fonts, the thumbnail cache
            run_child(kind, env)
        samples: dict[str, list[float]] = {"app": [], "bare": []}
        full_ui: list[float] = []
        for round_number in range(repeat):
            order = ("app", "bare") if round_number % 2 == 0 else ("bare", "app")
            for kind in order:
                events = run_child(kind, env)
                samples[kind].append(events["first_paint"] / 1000)
                if kind == "app":
                    full_ui.append(events.get("full_ui", events["first_paint"]) / 1000)
        workspace: dict[str, list[float]] = {}
        gallery_env = child_env(data_dir, platform, display, pycache, pythonpath, "gallery")
        for _ in range(gallery_repeat):
            for name, value in run_child("app", gallery_env).items():
                workspace.setdefault(name, []).append(value)
    app, bare = common.median(samples["app"]), common.median(samples["bare"])
    full = common.median(full_ui)
    common.log(
        f"bench_startup [{platform}]: app first paint {app * 1000:.0f} ms, full UI {full * 1000:.0f} ms; "
        f"bare {bare * 1000:.0f} ms ({app / bare:.2f}x, full UI {full / bare:.2f}x)"
    )
    return {
        "first_paint_ms": {kind: common.summary(values) for kind, values in samples.items()},
        "full_ui_ms": {"app": common.summary(full_ui)},
        "app_minus_bare_ms": round((app - bare) * 1000, 1),
        "ratio": common.budget(common.ratio(app, bare, 2), BUDGET_RATIO),
        "full_ui_ratio": common.ratio(full, bare, 2),
        "workspace_ms": {name: round(common.median(values), 1) for name, values in workspace.items()},
    }


def profile(kind: str, data_dir: Path, pycache: Path, pythonpath: Path, platform: str) -> None:
    """One extra start of the app under cProfile or -X importtime; the summary goes to stderr."""
    env = child_env(data_dir, "offscreen", None, pycache, pythonpath, "1")
    if kind == "importtime":
        run_child("app", env, ("-X", "importtime"))
        return
    with tempfile.NamedTemporaryFile(suffix=".prof", delete=False) as handle:
        target = Path(handle.name)
    try:
        run_child("app", dict(env, WAN27_BENCH_CPROFILE=str(target)))
        stats = pstats.Stats(str(target), stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    finally:
        target.unlink(missing_ok=True)


def platforms(choice: str) -> list[str]:
    has_xvfb = shutil.which("Xvfb") is not None
    if choice == "both":
        return ["xvfb", "offscreen"] if has_xvfb else ["offscreen"]
    if choice == "auto":
        return ["xvfb"] if has_xvfb else ["offscreen"]
    if choice == "xvfb" and not has_xvfb:
        raise SystemExit("bench_startup: Xvfb is not installed; use --platform offscreen")
    return [choice]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--images", type=int, default=10_000, help="library size (default 10000)")
    parser.add_argument("--repeat", type=int, default=9, help="timed app/bare rounds per platform (default 9)")
    parser.add_argument(
        "--gallery-repeat",
        type=int,
        default=3,
        help="extra app starts that also wait for the gallery's rows and thumbnails (default 3)",
    )
    parser.add_argument(
        "--platform",
        choices=["auto", "offscreen", "xvfb", "both"],
        default="both",
        help="Qt platform: Xvfb + xcb, offscreen, or both (default; Xvfb only if installed)",
    )
    parser.add_argument(
        "--pythonpath",
        type=Path,
        default=common.REPO_ROOT,
        help="where the children import wan27_desktop from (default: this checkout)",
    )
    parser.add_argument("--profile", choices=["cprofile", "importtime"], help="also profile one app start")
    parser.add_argument("--keep", type=Path, help="build the library here and keep it (default: temp, removed)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="wan27-bench-startup-"))
    data_dir = args.keep or work / "data"
    try:
        if not (data_dir / "library").exists():
            build_synthetic_library(data_dir, args.images)
        pycache = work / "pycache"
        result: dict[str, Any] = {"benchmark": "startup", "images": args.images, "rounds": args.repeat}
        for platform in platforms(args.platform):
            result[platform] = measure_platform(
                platform, data_dir, pycache, args.pythonpath, args.repeat, args.gallery_repeat
            )
        if args.profile:
            profile(args.profile, data_dir, pycache, args.pythonpath, args.platform)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    measured = [name for name in ("xvfb", "offscreen") if name in result]
    result["within_budget"] = {f"ratio_{name}": result[name]["ratio"]["ok"] for name in measured}
    result["environment"] = common.environment()
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
