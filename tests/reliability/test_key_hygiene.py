"""Key hygiene (issue 8): a full session with a recognisable key, then a scan for it everywhere.

The session: sync and async generations, a moderation failure, a throttled create that is retried,
a user retry, a SIGKILLed CLI job + `wan27 jobs resume`, and exports - with DEBUG logging into a
file under the data dir (in-process) and `--debug` CLI logs captured there too. Then the key, in
raw, URL-encoded and base64 forms, must appear 0 times in: every file of the data dir (database,
WAL, logs, caches), the config and cache dirs, exported files, CLI output, and every request the
fake saw on the result host; on the API host only in the Authorization header.
"""

from __future__ import annotations

import logging
import secrets
import signal
import ssl
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import FakeDashScope, Fault
from tests.reliability.support import POLL_INTERVAL, SleepLog, fast_client_factory, files_containing, key_forms
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.download import download_result, new_download_client
from wan27_desktop.api.errors import NetworkError, WanError
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import ImageQuery, JobState, Library

KEY = "sk-hygiene-" + secrets.token_hex(12)


@pytest.fixture
def fake() -> Iterator[FakeDashScope]:
    with FakeDashScope(api_key=KEY) as server:
        server.result_image_mode = "small"
        server.polls_pending, server.polls_running = 1, 2
        yield server


@pytest.fixture
def debug_log(isolated_environment: Path) -> Iterator[Path]:
    """DEBUG logging of every logger (ours, httpx, httpcore) into a file under the data dir."""
    path = isolated_environment / "logs" / "session-debug.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def _in_process_session(library: Library, fake: FakeDashScope, export_dir: Path) -> None:
    connection = Connection(Region.SINGAPORE, fake.base_url, KEY)
    runner = JobRunner(library, connection, client_factory=fast_client_factory(SleepLog()), poll_interval=POLL_INTERVAL)
    try:
        fake.add_fault(Fault("sync", "throttle", retry_after=0))  # retried by the client
        assert (
            runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.SYNC)).state
            is JobState.DONE
        )
        assert (
            runner.run(
                runner.create(GenerationRequest("a comic", n=2, size="1K", enable_sequential=True), RequestMode.ASYNC)
            ).state
            is JobState.DONE
        )
        fake.add_fault(Fault("create", "moderation"))
        failed = runner.run(runner.create(GenerationRequest("blocked", size="1K"), RequestMode.ASYNC))
        assert failed.state is JobState.FAILED
        fake.add_fault(Fault("sync", "error", status=401, code="InvalidApiKey", message=f"bad key {KEY}"))
        echoed = runner.run(runner.create(GenerationRequest("echo", size="1K"), RequestMode.SYNC))
        assert echoed.state is JobState.FAILED  # a server that echoes the key back: scrubbed
        assert runner.run(runner.create(*runner.retry_request(failed.id))).state is JobState.DONE
    finally:
        runner.close()
    images = library.images.query(ImageQuery(), 0, 100)
    library.maintenance.export([i.id for i in images], export_dir)


def test_a_full_session_never_writes_or_sends_the_key(
    fake: FakeDashScope, isolated_environment: Path, debug_log: Path, tmp_path: Path
):
    data = isolated_environment
    export_dir, config_home, cache_home = tmp_path / "export", tmp_path / "xdg-config", tmp_path / "xdg-cache"
    for folder in (export_dir, config_home, cache_home):
        folder.mkdir()
    with Library.open(data) as library:
        _in_process_session(library, fake, export_dir)

    # The CLI: a crash after submit, a resume, an export - all with --debug logs kept in the data dir.
    env = cli_env(fake, data, XDG_CONFIG_HOME=str(config_home), XDG_CACHE_HOME=str(cache_home))
    logs = data / "logs"
    crash = run_cli(
        ["--debug", "generate", "a crash", "-n", "2", "--size", "1K", "--mode", "async", "--poll-interval", "0.01"],
        {**env, "WAN27_CRASHPOINT": "async_after_submit"},
    )
    assert crash.returncode == -signal.SIGKILL
    resume = run_cli(["--debug", "jobs", "resume", "--poll-interval", "0.01"], env)
    assert resume.returncode == 0, resume.stderr
    listing = run_cli(["library", "list", "--limit", "3"], env)
    ids = [line.split()[0] for line in listing.stdout.splitlines()]
    export = run_cli(["--debug", "library", "export", *ids, "--to", str(export_dir / "cli")], env)
    assert export.returncode == 0, export.stderr
    for name, result in (("crash", crash), ("resume", resume), ("export", export)):
        (logs / f"cli-{name}.stdout").write_text(result.stdout, encoding="utf-8")
        (logs / f"cli-{name}.stderr").write_text(result.stderr, encoding="utf-8")

    # The session really exercised what it claims.
    log_text = debug_log.read_text(encoding="utf-8")
    assert "retrying in" in log_text and "request headers" in log_text
    assert "DEBUG" in (logs / "cli-resume.stderr").read_text(encoding="utf-8")
    assert fake.created_count == 5 and len(list(export_dir.rglob("*.png"))) >= 4

    # Logs redact Authorization rather than leaving it out by luck.
    assert "'authorization': '<redacted>'" in log_text.lower() or '"authorization": "<redacted>"' in log_text.lower()

    # 0 occurrences anywhere on disk.
    needles = key_forms(KEY)
    assert files_containing([data, export_dir, config_home, cache_home], needles) == []

    # 0 occurrences in anything sent to the result host (another host), redirects included...
    for request in fake.requests_for(listener="result"):
        blob = (request.method + request.path + str(request.query) + str(request.headers)).encode() + request.body
        assert not any(n in blob for n in needles), request.path
        assert "authorization" not in request.headers
    # ...and on the API host, only ever in the Authorization header.
    for request in fake.requests_for(listener="api"):
        assert request.headers.get("authorization") == f"Bearer {KEY}"
        others = {k: v for k, v in request.headers.items() if k != "authorization"}
        blob = (request.path + str(request.query) + str(others)).encode() + request.body
        assert not any(n in blob for n in needles), request.path


def test_an_error_echoing_the_key_is_scrubbed_before_anyone_sees_it(fake: FakeDashScope):
    fake.add_fault(Fault("sync", "error", status=400, code="InvalidParameter", message=f"key {KEY} is odd"))
    with DashScopeClient(KEY, fake.base_url) as client, pytest.raises(WanError) as raised:
        client.generate({"model": "wan2.7-image", "input": {}})
    assert KEY not in str(raised.value) + raised.value.hint + raised.value.details()
    assert "<api key>" in raised.value.message
    assert KEY not in repr(client)


# ----------------------------------------------------------------------------- TLS


def _ssl_context(http: httpx.Client) -> ssl.SSLContext:
    return http._transport._pool._ssl_context  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "base",
    [
        "https://dashscope-intl.aliyuncs.com/api/v1",
        "https://dashscope.aliyuncs.com/api/v1",
        "https://gateway.example.com/api/v1",
    ],
)
def test_tls_verification_is_on_for_api_hosts(base: str):
    with DashScopeClient(KEY, base) as client:
        context = _ssl_context(client._http)
        assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def test_tls_verification_is_on_for_result_downloads():
    with new_download_client() as http:
        context = _ssl_context(http)
        assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


def test_verification_cannot_be_turned_off():
    with pytest.raises(TypeError):
        DashScopeClient(KEY, "https://dashscope-intl.aliyuncs.com/api/v1", verify=False)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "base",
    [
        "http://dashscope-intl.aliyuncs.com/api/v1",
        "http://10.0.0.5/api/v1",
        "http://gateway.example.com:8080/api/v1",
        "ftp://dashscope.aliyuncs.com/api/v1",
    ],
)
def test_the_key_is_never_sent_in_clear_text_to_another_machine(base: str):
    with pytest.raises(WanError) as raised:
        DashScopeClient(KEY, base)
    assert KEY not in str(raised.value)


@pytest.mark.parametrize("base", ["http://127.0.0.1:9/api/v1", "http://localhost:9/api/v1", "http://[::1]:9/api/v1"])
def test_plain_http_is_allowed_only_for_loopback(base: str):
    DashScopeClient(KEY, base).close()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """An https server with a self-signed certificate (what a man in the middle would present): its
    base URL and the certificate."""
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        capture_output=True,
    )
    if made.returncode != 0:
        pytest.skip("openssl is not available to make a test certificate")
    server = subprocess.Popen(
        [sys.executable, "-c", _TLS_SERVER, str(cert), str(key)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(server.stdout.readline())  # type: ignore[union-attr]
        yield f"https://127.0.0.1:{port}/api/v1", cert
    finally:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def self_signed_server(self_signed: tuple[str, Path]) -> str:
    return self_signed[0]


_TLS_SERVER = """
import http.server, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(b'{"request_id": "x", "output": {"task_id": "t", "task_status": "UNKNOWN"}}')
    def log_message(self, *a): pass
httpd = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[1], sys.argv[2])
httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
"""


def test_an_untrusted_certificate_is_refused_and_the_key_is_not_sent(self_signed_server: str):
    from wan27_desktop.api.retry import RetryPolicy

    with (
        DashScopeClient(KEY, self_signed_server, retry_policy=RetryPolicy(max_attempts=1)) as client,
        pytest.raises(NetworkError) as raised,
    ):
        client.query_task("t")
    assert "certificate" in str(raised.value).lower() or "ssl" in str(raised.value).lower()


def test_a_result_host_with_an_untrusted_certificate_is_refused(self_signed_server: str, tmp_path: Path):
    from wan27_desktop.api.retry import RetryPolicy

    with pytest.raises(NetworkError) as raised:
        download_result(f"{self_signed_server}/result.png", tmp_path, retry_policy=RetryPolicy(max_attempts=1))
    assert "certificate" in str(raised.value).lower() or "ssl" in str(raised.value).lower()
    assert list(tmp_path.iterdir()) == []


def test_the_scan_finds_the_key_in_every_form_it_looks_for(tmp_path: Path):
    # A scan that cannot find anything proves nothing: plant each form and expect each one found.
    import base64
    import urllib.parse

    plants = {
        "raw": KEY,
        "url": urllib.parse.quote(KEY + "/"),
        "b64": base64.b64encode(KEY.encode()).decode(),
        "b64-bearer": base64.b64encode(f"Bearer {KEY}".encode()).decode(),
        "b64-offset": base64.b64encode(b"x" + KEY.encode()).decode(),
    }
    for name, text in plants.items():
        (tmp_path / f"{name}.txt").write_text(f"prefix {text} suffix", encoding="utf-8")
    (tmp_path / "clean.txt").write_text("nothing here", encoding="utf-8")
    found = {p.stem for p in files_containing([tmp_path], key_forms(KEY))}
    assert found == set(plants)
