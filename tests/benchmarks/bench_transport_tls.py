"""Does the result host's large-read transport (`api/transport.py`) speed up a download over TLS?

    python -m tests.benchmarks.bench_transport_tls [--repeat 15] [--mb 50]

A tiny file server in a child process (its threads do not share our GIL) serves `--mb` MB of random
bytes over TLS with a self-signed certificate for 127.0.0.1 made here, and over plain HTTP beside
it. Each body is streamed (`iter_bytes`, as the download does) and dropped, round-robin, by:
- `large_reads`: `httpx.Client` on `result_transport` (the swapped pool, reads of up to 1 MiB);
- `httpx`: `httpx.Client` on httpx's own `HTTPTransport` (reads of 64 KiB).
Prints one JSON line (see `common.emit`) with the medians and `large_reads / httpx` in time for
TLS and plain HTTP. Informational (no budget): it decides whether the swap earns its keep.
"""

from __future__ import annotations

import argparse
import datetime
import ipaddress
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tests.benchmarks import common
from wan27_desktop.api import transport

_SERVER_SCRIPT = """
import http.server, os, ssl, sys, threading
cert, key, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = os.urandom(size)

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
tls.socket = context.wrap_socket(tls.socket, server_side=True)
for server in (plain, tls):
    threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"PLAIN=http://127.0.0.1:{plain.server_address[1]}/blob", flush=True)
print(f"TLS=https://127.0.0.1:{tls.server_address[1]}/blob", flush=True)
sys.stdin.read()
"""


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for the IP address 127.0.0.1, written into `folder`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def stream(client: httpx.Client, url: str) -> int:
    received = 0
    with client.stream("GET", url) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            received += len(chunk)
    return received


def measure(urls: dict[str, str], context: ssl.SSLContext, repeat: int) -> dict[str, Any]:
    clients = {
        "large_reads": httpx.Client(transport=transport.result_transport(context)),
        "httpx": httpx.Client(transport=httpx.HTTPTransport(verify=context, limits=transport.LIMITS)),
    }
    try:
        figures: dict[str, Any] = {}
        for link, url in urls.items():
            size = stream(clients["httpx"], url)
            common.log(f"bench_transport_tls: {link}, {size / 1e6:.1f} MB, {repeat} rounds")
            samples = common.interleaved(
                {name: (lambda c=client, u=url: stream(c, u)) for name, client in clients.items()}, repeat
            )
            medians = {name: common.median(values) for name, values in samples.items()}
            figures[link] = {
                "bytes": size,
                "time_ms": {name: common.summary(values) for name, values in samples.items()},
                "throughput_mb_s": {name: round(size / 1e6 / value, 1) for name, value in medians.items()},
                "time_ratio_large_reads_vs_httpx": common.ratio(medians["large_reads"], medians["httpx"]),
            }
        return figures
    finally:
        for client in clients.values():
            client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=15, help="timed rounds per link (default 15)")
    parser.add_argument("--mb", type=int, default=50, help="body size in MB (default 50, a 4K result)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wan27-bench-tls-") as folder:
        cert, key = make_certificate(Path(folder))
        server = subprocess.Popen(
            [sys.executable, "-c", _SERVER_SCRIPT, str(cert), str(key), str(args.mb * 1_000_000)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            urls = {}
            for line in server.stdout:
                name, _, url = line.strip().partition("=")
                urls[name.lower()] = url
                if len(urls) == 2:
                    break
            context = ssl.create_default_context(cafile=str(cert))
            figures = measure({"tls": urls["tls"], "plain_http": urls["plain"]}, context, args.repeat)
        finally:
            common.stop_process(server)
    common.emit({"benchmark": "transport_tls", **figures, "environment": common.environment()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
