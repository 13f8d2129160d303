"""Shared by the UI-stall and landing benchmarks (issue 7, items 3 and 4): the fake DashScope in its
own process with reply timestamps, the real main window in this process, and an event-loop probe.

- `FakeProcess`: `tests.fake_dashscope` in a child process (its handler threads never take this
  process's GIL, as a real service would not), with `reply_hook` printing `time.monotonic()` of every
  answer (CLOCK_MONOTONIC: one clock for both processes). Two settings make it behave like a real
  result host, whose objects are stored rather than made per request: noise results reuse one
  random IDAT per size (each result still gets its own tEXt comment, so its own bytes and sha256),
  and a new result's MD5 ETag (unused by the client), which the fake computes when it makes the
  result on its first download, is not computed over the whole body. Without them the fake would
  spend ~0.2 s of CPU per 4K result on the same 2 cores as the app.
- `open_main_window`: `MainWindow` as the app builds it (AppSettings, the gallery, JobManager), over
  a data dir, pointed at the fake through the environment; shown, started, journal loaded.
- `GapProbe`: a 1 ms precise QTimer on the UI thread; every gap between ticks is the event loop's
  longest wait for that stretch. `StallSampler` (diagnosis): a Python thread that records the UI
  thread's stack whenever a tick is overdue, to say what blocked it.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import os
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.benchmarks import common

API_KEY = "sk-fake-bench-appload-0000"

_FAKE_SCRIPT = r"""
import hashlib, signal, sys, threading
from tests.fake_dashscope import FakeDashScope, pngmaker, server

key, mode = sys.argv[1], sys.argv[2]
_idat = {}
_make_png = pngmaker._png

def stored_noise_png(width, height, comment=""):
    # One random IDAT per size, made once: a real result host serves stored objects.
    if (width, height) not in _idat:
        raw = bytearray()
        row = width * 3
        noise = pngmaker.os.urandom(row * height)
        for y in range(height):
            raw += b"\x00"
            raw += noise[y * row:(y + 1) * row]
        _idat[(width, height)] = pngmaker.zlib.compress(bytes(raw), 0)
    return _make_png(width, height, _idat[(width, height)], comment)

class _QuickETag:
    # A real service computes a result's ETag (its MD5) when it stores it, on its own machines; the
    # fake makes each result when it answers (store_results_on_answer), on the same 2 cores as the
    # app, where a 50 MB MD5 costs ~70 ms. The client never reads the ETag: hash the first MiB and
    # the length instead.
    @staticmethod
    def md5(data):
        return hashlib.md5(bytes(data[:1 << 20]) + str(len(data)).encode())

    def __getattr__(self, name):
        return getattr(hashlib, name)

pngmaker.noise_png = stored_noise_png
server.hashlib = _QuickETag()
fake = FakeDashScope(api_key=key)
fake.result_image_mode = mode
fake.store_results_on_answer = True  # a result host holds a result once it is reported
lock = threading.Lock()

def hook(request, status, started, ended):
    with lock:
        print(f"REPLY {request.op} {status} {started:.6f} {ended:.6f} {request.path}", flush=True)

fake.reply_hook = hook
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
with fake:
    for size in (1024, 2048, 4096):  # warm the stored IDATs before any timing
        stored_noise_png(size, size)
    print("WAN27_API_BASE=" + fake.base_url, flush=True)
    done.wait()
"""


class Reply:
    __slots__ = ("op", "status", "started", "ended", "path")

    def __init__(self, line: str) -> None:
        _, self.op, status, started, ended, self.path = line.split(" ", 5)
        self.status, self.started, self.ended = int(status), float(started), float(ended)


class FakeProcess:
    """The fake in a child process; `replies` fill in as it answers (a reader thread)."""

    def __init__(self, mode: str = "noise") -> None:
        self.mode = mode
        self.base_url = ""
        self.replies: list[Reply] = []
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> FakeProcess:
        self._proc, self.base_url = common.start_fake(
            _FAKE_SCRIPT, API_KEY, self.mode, env={k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        )
        threading.Thread(target=self._read, name="bench-fake-replies", daemon=True).start()
        return self

    def _read(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            if line.startswith("REPLY "):
                reply = Reply(line.rstrip("\n"))
                with self._lock:
                    self.replies.append(reply)

    def replies_for(self, op: str) -> list[Reply]:
        with self._lock:
            return [r for r in self.replies if r.op == op]

    def __exit__(self, *exc: object) -> None:
        if self._proc is None:
            return
        common.stop_process(self._proc)


def prepare_environment(data_dir: Path, base_url: str) -> None:
    """Before the app is imported: where its data lives, which service, which key (never a real one)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["WAN27_DATA_DIR"] = str(data_dir)
    os.environ["WAN27_API_BASE"] = base_url
    os.environ["DASHSCOPE_API_KEY"] = API_KEY
    os.environ["WAN27_KEYRING_SERVICE"] = "wan27-bench-appload"


class _SilentNotifier:
    def notify(self, title: str, message: str, *, error: bool = False) -> bool:
        return True

    def alert(self, window: Any) -> None:
        pass


_app: list[Any] = []  # keeps the QApplication's wrapper alive


def application() -> Any:
    """The QApplication, made the way the app makes it (names, icon, high-DPI policy)."""
    if not _app:
        from wan27_desktop.app import create_application

        _app.append(create_application())
    return _app[0]


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Run the event loop (asleep between events, `common.run_until`) until `condition()` holds;
    returns the time.monotonic() it was seen true. A TimeoutError after `timeout_s`."""
    application()
    seen = common.run_until(condition, timeout_s)
    if seen is None:
        raise TimeoutError(f"timed out after {timeout_s:g} s waiting for {what}")
    return seen


def pump(seconds: float) -> None:
    """Let the event loop run for `seconds` (no condition)."""
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() >= end, seconds + 5, "the event loop")


def open_main_window(data_dir: Path, concurrency: int) -> Any:
    """The app's main window over `data_dir`, shown at its default size, started, journal loaded."""
    application()
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.window.main_window import MainWindow

    settings = AppSettings()
    settings.concurrency = concurrency
    window = MainWindow(data_dir=data_dir, settings=settings, notifier=_SilentNotifier())
    window.workspace.jobs.set_concurrency(concurrency)
    window.resize(1280, 800)
    window.show()
    loaded: list[bool] = []
    window.journalLoaded.connect(lambda: loaded.append(True))
    window.start()
    wait_until(lambda: bool(loaded) and window.isVisible(), 30, "the journal to load")
    gallery = window.gallery
    if gallery is None:
        raise RuntimeError("the main window has no gallery (import failed?)")
    wait_until(lambda: gallery.model.is_loaded(), 30, "the gallery's first page")
    from wan27_desktop.heap import settle_after_startup

    settle_after_startup()  # what run_gui does once the journal has loaded
    pump(0.3)
    return window


def close_main_window(window: Any) -> None:
    window.shutdown()
    window.hide()
    window.deleteLater()
    pump(0.05)


class GapProbe:
    """A 1 ms precise timer: the interval between ticks is how long the event loop was away. It
    also notes every garbage collection meanwhile (`gc.callbacks`, cheap), so a summary can say
    how much of the largest gap was one."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.ticks: list[float] = []
        self.last_tick = 0.0
        self.collections: list[tuple[float, float]] = []  # perf_counter start and end
        self._collecting: dict[int, float] = {}

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.last_tick = time.monotonic()
        self.collections = []
        gc.callbacks.append(self._on_gc)
        self.timer.start()

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())
        self.last_tick = time.monotonic()

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._collecting[threading.get_ident()] = time.perf_counter()
        elif (began := self._collecting.pop(threading.get_ident(), None)) is not None:
            self.collections.append((began, time.perf_counter()))

    def stop(self) -> list[float]:
        self.timer.stop()
        if self._on_gc in gc.callbacks:
            gc.callbacks.remove(self._on_gc)
        return [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def summary(self, seconds: float) -> dict[str, Any]:
        """`gap_summary` of the ticks so far, with the garbage collection inside the largest gap."""
        gaps = [b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False)]
        result = gap_summary(gaps, seconds)
        if gaps:
            longest = max(range(len(gaps)), key=gaps.__getitem__)
            began, ended = self.ticks[longest], self.ticks[longest + 1]
            inside = sum(min(e, ended) - max(b, began) for b, e in self.collections if b < ended and e > began)
            result["gc_in_max_gap_ms"] = round(inside * 1000, 1)
        return result


def gap_summary(gaps: list[float], seconds: float) -> dict[str, Any]:
    ms = [g * 1000 for g in gaps] or [0.0]
    longest = max(range(len(ms)), key=ms.__getitem__)
    return {
        "max_gap_ms": round(max(ms), 1),
        "max_gap_at_s": round(sum(gaps[:longest]), 2),  # when it began, from the probe's start
        "largest_gaps_ms": [round(g, 1) for g in sorted(ms, reverse=True)[:5]],
        "p99_gap_ms": round(common.percentile(ms, 99), 1),
        "p95_gap_ms": round(common.percentile(ms, 95), 1),
        "median_gap_ms": round(common.median(ms), 2),
        "gaps_over_20_ms": sum(1 for g in ms if g > 20),
        "gaps_over_50_ms": sum(1 for g in ms if g > 50),
        "ticks": len(gaps),
        "seconds": round(seconds, 2),
    }


_FRAME_LINE = re.compile(r'\s+File "(.*)", line (\d+) in (.*)')


def _short(filename: str) -> str:
    """A frame's file relative to the package or tests when it is ours, else its name."""
    for root in ("wan27_desktop/", "tests/"):
        at = filename.find("/" + root)
        if at >= 0:
            return filename[at + 1 :]
    return Path(filename).name


def _comm(tid: int) -> str:
    """The OS name of one of this process's threads (Qt names its pool threads)."""
    try:
        with open(f"/proc/self/task/{tid}/comm", encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return "?"


class StallSampler:
    """Diagnosis: when a probe tick is overdue by `threshold_ms`, sample the UI thread's Python
    stack, then again further apart while it stays late; `report()` counts the innermost frames
    seen (what the UI thread was in), and lists the longest late stretches ("episodes") each with
    the stacks sampled during it, where the UI thread's time went, the busiest other threads, and
    the time Python's garbage collector ran meanwhile (`gc.callbacks`; a collection stops every
    thread)."""

    def __init__(self, probe: GapProbe, threshold_ms: float = 15.0, long_ms: float = 30.0) -> None:
        self.probe = probe
        self.threshold = threshold_ms / 1000
        self.long = long_ms / 1000
        self.ui_thread = threading.get_ident()
        self.samples: Counter[str] = Counter()
        self.stacks: Counter[str] = Counter()
        self.episodes: list[dict[str, Any]] = []
        self.collections: list[tuple[float, float, int, str]] = []  # start, seconds, generation, thread
        self._gc_started: dict[int, float] = {}
        self._schedstat = f"/proc/self/task/{threading.get_native_id()}/schedstat"
        self._others: dict[int, list[str]] = {}
        self._threads_at_start: dict[int, float] = {}
        self._dump = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-stall-sampler", daemon=True)

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        gc.callbacks.remove(self._on_gc)
        self._dump.close()

    def _on_gc(self, phase: str, info: dict[str, Any]) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self._gc_started[ident] = time.monotonic()
        elif ident in self._gc_started:
            began = self._gc_started.pop(ident)
            name = "ui" if ident == self.ui_thread else threading.current_thread().name
            self.collections.append((began, time.monotonic() - began, info.get("generation", -1), name))

    def _run(self) -> None:
        episode: Counter[str] | None = None
        seen_tick = 0.0
        base = self._cpu()
        next_sample = self.threshold
        while not self._stop.wait(0.001):
            last_tick = self.probe.last_tick
            if last_tick != seen_tick:  # the UI thread ticked since: a new stretch starts here
                now = self._cpu()
                if episode is not None:
                    self._close(episode, seen_tick, last_tick, base, now)
                    episode = None
                seen_tick, base = last_tick, now
                next_sample = self.threshold
            late = time.monotonic() - last_tick
            if late < next_sample:
                continue
            # Further apart the longer the gap (a dump holds the GIL ~1 ms): what a long gap was
            # doing at its start, middle and end, without the sampler making it much longer.
            next_sample = max(late * 1.25, late + 0.004)
            stack = self._ui_stack()
            if not stack:
                continue
            inner = stack[:6]
            self.samples[inner[0]] += 1
            self.stacks[" <- ".join(inner)] += 1
            if episode is None:
                episode = Counter()
                self._threads_at_start = self._threads_cpu()
            ours = [f for f in stack if f.startswith("wan27_desktop/")] or stack[:3]
            episode[" <- ".join(ours[:8])] += 1

    def _cpu(self) -> tuple[float, float, float]:
        """The UI thread's CPU time and time waiting for a CPU (the kernel's schedstat), and the
        whole process's CPU time, in seconds."""
        try:
            with open(self._schedstat, "rb") as f:
                ran, waited = (int(v) / 1e9 for v in f.read().split()[:2])
        except OSError:
            ran = waited = 0.0
        return ran, waited, time.process_time()

    def _ui_stack(self) -> list[str]:
        """The UI thread's frames, innermost first, as "path:line function"; the other threads'
        innermost frames are kept in `_others` (ident -> frame) for the episode's report.

        Read with faulthandler, which walks the interpreter's frames without making frame objects:
        holding a frame from `sys._current_frames()` keeps its locals alive past their function (a
        QPainter outliving its paintEvent crashes Qt)."""
        self._dump.seek(0)
        self._dump.truncate()
        faulthandler.dump_traceback(self._dump, all_threads=True)
        self._dump.seek(0)
        text = self._dump.read().decode("utf-8", "replace")
        stacks: dict[int, list[str]] = {}
        current: list[str] | None = None
        for line in text.splitlines():
            if line.startswith(("Thread 0x", "Current thread 0x")):
                current = stacks.setdefault(int(line.split("0x", 1)[1].split()[0], 16), [])
            elif current is not None:
                match = _FRAME_LINE.match(line)
                if match:
                    filename, lineno, name = match.groups()
                    current.append(f"{_short(filename)}:{lineno} {name}")
        self._others = {ident: frames for ident, frames in stacks.items() if ident != self.ui_thread}
        return stacks.get(self.ui_thread, [])

    def _threads_cpu(self) -> dict[int, float]:
        """Every thread's CPU time so far (seconds), by native id."""
        times: dict[int, float] = {}
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/schedstat", "rb") as f:
                    times[int(task)] = int(f.read().split()[0]) / 1e9
            except (OSError, ValueError, IndexError):
                pass
        return times

    def _busiest(self, before: dict[int, float], top: int = 4) -> list[str]:
        """The threads other than the UI thread that used the most CPU since `before`, each with
        its name and the innermost frame of its last sample."""
        after = self._threads_cpu()
        used = sorted(((after[t] - before.get(t, after[t]), t) for t in after), reverse=True)
        by_native = {thread.native_id: thread for thread in threading.enumerate()}
        ui_native = self._schedstat.split("/")[-2]
        report = []
        for seconds, tid in used:
            if str(tid) == ui_native or seconds < 0.001:
                continue
            thread = by_native.get(tid)
            name = thread.name if thread is not None else f"tid {tid} {_comm(tid)!r} (not a Python thread object)"
            frames = self._others.get(thread.ident or 0, []) if thread is not None else []
            where = next((f for f in frames if f.startswith("wan27_desktop/")), frames[0] if frames else "")
            report.append(f"{seconds * 1000:.1f} ms {name} {where}")
            if len(report) == top:
                break
        return report

    def _close(
        self,
        episode: Counter[str],
        began: float,
        ended: float,
        before: tuple[float, float, float],
        after: tuple[float, float, float],
    ) -> None:
        gap = ended - began
        if gap < self.long:
            return
        gc_ms = sum(s for start, s, _, _ in self.collections if began <= start <= ended) * 1000
        gens = sorted({g for start, _, g, _ in self.collections if began <= start <= ended})
        ran, waited, process = (a - b for a, b in zip(after, before, strict=True))
        self.episodes.append(
            {
                "gap_ms": round(gap * 1000, 1),
                # Where the UI thread's time went: running, runnable but without a CPU (other
                # processes or our own threads had both cores), or asleep (waiting for the GIL, a
                # lock or I/O); and what the rest of this process ran meanwhile.
                "ui_cpu_ms": round(ran * 1000, 1),
                "ui_waiting_for_cpu_ms": round(waited * 1000, 1),
                "ui_asleep_ms": round(max(0.0, gap - ran - waited) * 1000, 1),
                "other_threads_cpu_ms": round(max(0.0, process - ran) * 1000, 1),
                "gc_ms": round(gc_ms, 1),
                "gc_generations": gens,
                "stacks": dict(episode.most_common(4)),
                # From the first sample (threshold_ms into the gap) to its end.
                "busiest_other_threads": self._busiest(self._threads_at_start),
            }
        )

    def report(self, top: int = 12) -> dict[str, Any]:
        longest = sorted(self.episodes, key=lambda e: -e["gap_ms"])[:top]
        slow_gc = sorted(self.collections, key=lambda c: -c[1])[:5]
        return {
            "innermost": dict(self.samples.most_common(top)),
            "stacks": dict(self.stacks.most_common(top // 2)),
            "long_gaps": longest,
            "collections": {
                "count": len(self.collections),
                "by_generation": dict(Counter(g for _, _, g, _ in self.collections)),
                "generation_2_ms": [round(c[1] * 1000, 1) for c in self.collections if c[2] == 2],
                "total_ms": round(sum(c[1] for c in self.collections) * 1000, 1),
                "longest": [{"ms": round(s * 1000, 1), "generation": g, "thread": t} for _, s, g, t in slow_gc],
            },
        }


@contextlib.contextmanager
def stall_sampler(probe: GapProbe, enabled: bool) -> Iterator[StallSampler | None]:
    if not enabled:
        yield None
        return
    sampler = StallSampler(probe)
    sampler.start()
    try:
        yield sampler
    finally:
        sampler.stop()
