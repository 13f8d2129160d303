"""Run the fake by hand for an offline demo:

    python -m tests.fake_dashscope [--port P] [--region sg|cn] [--key K] [--delay-polls N]

then, in another shell, `WAN27_API_BASE=<url> DASHSCOPE_API_KEY=<key> wan27 generate "a cat"`.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.fake_dashscope.server import DEFAULT_API_KEY, FakeDashScope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_dashscope", description="Fake DashScope Wan 2.7 image API on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, default=0, help="API port (default: a free one)")
    parser.add_argument("--result-port", type=int, default=0, help="result host port (default: free)")
    parser.add_argument("--region", choices=("sg", "cn"), default="sg")
    parser.add_argument("--key", default=DEFAULT_API_KEY, help="the API key the fake accepts")
    parser.add_argument(
        "--delay-polls",
        type=int,
        default=1,
        metavar="N",
        help="task queries that answer PENDING, then RUNNING (default 1)",
    )
    parser.add_argument(
        "--sync-delay", type=float, default=0.0, metavar="S", help="seconds a sync call takes (default 0)"
    )
    parser.add_argument(
        "--mode",
        choices=("real", "small", "noise"),
        default="real",
        help="result images (default: real = the requested size)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    fake = FakeDashScope(
        region=args.region, api_key=args.key, port=args.port, result_port=args.result_port, verbose=args.verbose
    )
    fake.polls_pending = fake.polls_running = args.delay_polls
    fake.sync_delay = args.sync_delay
    fake.result_image_mode = args.mode
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with fake:
        print(f"Fake DashScope ({args.region}) listening.", flush=True)
        print(f"  WAN27_API_BASE={fake.base_url}", flush=True)
        print(f"  DASHSCOPE_API_KEY={fake.api_key}", flush=True)
        print(f"  results served from {fake.result_host}", flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("stopped.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
