"""Download throughput (issue 7, item 5): `download_result` of a ~50 MB incompressible result versus a
bare `httpx` stream of the same URL, measured interleaved in the same run.

    python -m tests.benchmarks.bench_download [--repeat 9] [--size 4096] [--link-mb-s 100] [--dir DIR]
        [--profile]

The fake DashScope runs in its own process (noise results), so the server's threads do not share our
GIL, as a real result host would not. One 4K text-to-image result (4096x4096 RGB, stored zlib
blocks: ~50 MB, incompressible) is generated once, then downloaded round-robin by:
- `client`: `download_result` exactly as the job runner calls it (`stage_as=...` and
  `insert_after_header=...`: space claimed up front, the library's metadata chunks (~4 KB) written
  after the header as the body streams in, size cap, PNG verification, sha256 of the file, early
  writeback, fsync, rename: the file is the library's, which only renames it; issue 14), with one
  shared download client;
- `client_durable`: `download_result` on its own (the same plus sha256, early writeback and fsync of
  the file and its folder: a file that must survive a power cut by itself; informational);
- `bare_disk`: `httpx` stream of the same URL written to a file in the same directory (the same
  bytes hit the same disk; informational);
- `bare_disk_fsync`: the same plus an fsync: the fair baseline since the download is the library's
  durable file; the budget is `client / bare_disk_fsync >= 0.9` in throughput;
- `bare_nodisk`: `httpx` stream discarded (the network-only ceiling; informational).
Top-level figures are over loopback, where the fake sends at memory speed and shares our CPU cores;
`paced_<N>_mb_s` repeats them with result bodies paced to about N MB/s (a fast real link).
Prints one JSON line (see `common.emit`). Not a pytest test.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks import common

BUDGET_RATIO = 0.9

_METADATA = bytes(4096)  # about what the library writes: three text chunks with the request and XMP


def _metadata_chunks(head: bytes) -> bytes:
    import struct
    import zlib

    data = b"wan27\x00\x00\x00\x00\x00" + _METADATA
    return struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))


API_KEY = "sk-fake-bench-key-00000000"


# The fake in a child process; with a link rate, results are paced by its `slow_body` fault.
_FAKE_SCRIPT = """
import signal, sys, threading
from tests.fake_dashscope import FakeDashScope, Fault
key, rate, piece = sys.argv[1], float(sys.argv[2]), 1 << 20
fake = FakeDashScope(api_key=key)
fake.result_image_mode = "noise"
fake.store_results_on_answer = True  # a result host holds a result once it is reported
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
with fake:
    if rate > 0:
        fake.add_fault(Fault("download", "slow_body", times=None, chunk_size=piece, delay=piece / (rate * 1e6)))
    print("WAN27_API_BASE=" + fake.base_url, flush=True)
    done.wait()
"""


@contextlib.contextmanager
def fake_server(link_mb_s: float = 0.0) -> Iterator[str]:
    """Run the fake (noise results) in a child process; yields its API base URL, then stops it.

    `link_mb_s` > 0 paces result bodies to about that rate, like a real link to the result host.
    """
    proc, base = common.start_fake(_FAKE_SCRIPT, API_KEY, str(link_mb_s))
    try:
        yield base
    finally:
        common.stop_process(proc)


def make_result(base: str, side: int) -> str:
    """One synchronous text-to-image call (§1.2) for a `side`x`side` result; returns its URL."""
    size = "4K" if side == 4096 else f"{side}*{side}"
    body = {
        "model": "wan2.7-image-pro",
        "input": {"messages": [{"role": "user", "content": [{"text": "download benchmark"}]}]},
        "parameters": {"n": 1, "size": size, "watermark": False},
    }
    response = httpx.post(
        f"{base}/services/aigc/multimodal-generation/generation",
        json=body,
        headers={"Authorization": f"Bearer {API_KEY}"},
        timeout=120,
    )
    response.raise_for_status()
    content = response.json()["output"]["choices"][0]["message"]["content"]
    return next(item["image"] for item in content if "image" in item)


def bare_stream(client: httpx.Client, url: str, target: Path | None, *, fsync: bool = False) -> int:
    """The baseline: stream the body, writing it to `target` (or nowhere); returns the byte count."""
    received = 0
    with client.stream("GET", url) as response:
        response.raise_for_status()
        if target is None:
            for chunk in response.iter_bytes():
                received += len(chunk)
            return received
        with open(target, "wb") as out:
            for chunk in response.iter_bytes():
                received += len(chunk)
                out.write(chunk)
            if fsync:
                out.flush()
                os.fsync(out.fileno())
    return received


def measure(link_mb_s: float, side: int, repeat: int, dest: Path, profile: bool) -> dict[str, Any]:
    """Interleaved rounds of the four downloads against one fake; medians, throughputs and ratios."""
    from wan27_desktop.api.download import download_result, new_download_client

    with fake_server(link_mb_s) as base:
        url = make_result(base, side)
        client = new_download_client()
        bare = httpx.Client(timeout=120)
        try:
            size = bare_stream(bare, url, None)  # also warms the fake's result cache
            common.log(
                f"bench_download: {size / 1e6:.1f} MB result, link {link_mb_s or 'unpaced'} MB/s, {repeat} rounds"
            )

            def clean() -> None:
                for path in dest.iterdir():
                    path.unlink()

            actions = {
                "client": lambda: download_result(
                    url, dest, client=client, stage_as="1-0", insert_after_header=_metadata_chunks
                ),
                "client_durable": lambda: download_result(url, dest, client=client),
                "bare_disk": lambda: bare_stream(bare, url, dest / "bare.png"),
                "bare_disk_fsync": lambda: bare_stream(bare, url, dest / "bare.png", fsync=True),
                "bare_nodisk": lambda: bare_stream(bare, url, None),
            }
            samples = common.interleaved(actions, repeat, warmup=1, between=clean)
            if profile:
                profiler = cProfile.Profile()
                profiler.runcall(
                    download_result, url, dest, client=client, stage_as="1-0", insert_after_header=_metadata_chunks
                )
                clean()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                common.log(out.getvalue())
        finally:
            client.close()
            bare.close()
    medians = {name: common.median(values) for name, values in samples.items()}
    # Throughput ratio = baseline time / client time (>= 0.9: the client is at most ~11% slower).
    return {
        "result_bytes": size,
        "rounds": repeat,
        "time_ms": {name: common.summary(values) for name, values in samples.items()},
        "throughput_mb_s": {name: round(size / 1e6 / value, 1) for name, value in medians.items()},
        # The budget is against bare + fsync: the download is the library's own durable file now
        # (issue 14), where it used to be a scratch copy the library then copied and fsynced.
        "ratio_vs_bare_disk_fsync": common.budget(
            common.ratio(medians["bare_disk_fsync"], medians["client"]), BUDGET_RATIO, at_least=True
        ),
        "ratio_vs_bare_disk": common.ratio(medians["bare_disk"], medians["client"]),
        "ratio_vs_bare_nodisk": common.ratio(medians["bare_nodisk"], medians["client"]),
        "durable_ratio_vs_bare_disk": common.ratio(medians["bare_disk"], medians["client_durable"]),
        "durable_ratio_vs_bare_disk_fsync": common.ratio(medians["bare_disk_fsync"], medians["client_durable"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="timed rounds on loopback (default 15)")
    parser.add_argument("--size", type=int, default=4096, help="result side in pixels (default 4096: ~50 MB)")
    parser.add_argument(
        "--link-mb-s",
        type=float,
        default=100.0,
        help="also measure with bodies paced to this rate (default 100; 0: skip)",
    )
    parser.add_argument("--link-repeat", type=int, default=5, help="timed rounds on the paced link (default 5)")
    parser.add_argument("--dir", type=Path, help="download directory (default: a temp dir, removed)")
    parser.add_argument("--profile", action="store_true", help="cProfile one client download to stderr")
    args = parser.parse_args(argv)

    work = args.dir or Path(tempfile.mkdtemp(prefix="wan27-bench-download-"))
    dest = work / "results"
    dest.mkdir(parents=True, exist_ok=True)
    try:
        loopback = measure(0.0, args.size, args.repeat, dest, args.profile)
        paced = measure(args.link_mb_s, args.size, args.link_repeat, dest, False) if args.link_mb_s > 0 else None
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    result: dict[str, Any] = {"benchmark": "download", **loopback}
    if paced is not None:
        result[f"paced_{args.link_mb_s:g}_mb_s"] = paced
    result["environment"] = common.environment()
    result["ok"] = loopback["ratio_vs_bare_disk_fsync"]["ok"]
    common.emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
