"""One endpoint rule (api/endpoint.py): Settings, the `wan27` command and the client accept and
refuse the same endpoints, and plain http carries the key only to this computer named literally."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import cli_env, run_cli
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.endpoint import is_loopback_host, may_send_key, normalise
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.settings import AppSettings, normalise_endpoint

KEY = "sk-endpoint0policy0key0000000001"
# Names that usually mean this computer but are answered by the resolver (maybe by DNS): refused.
RESOLVER_NAMES = ["http://localhost.localdomain:8080/api/v1", "http://app.localhost:8080/api/v1"]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LOCALHOST", "localhost."])
def test_loopback_is_a_literal_loopback_address_or_localhost(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host", ["localhost.localdomain", "app.localhost", "10.0.0.5", "0.0.0.0", "127.0.0.1.nip.io", "::2", ""]
)
def test_other_hosts_are_not_loopback(host: str) -> None:
    assert not is_loopback_host(host)


def test_the_key_goes_over_https_anywhere_and_over_http_only_to_loopback() -> None:
    assert may_send_key("https", "gw.example.com") and may_send_key("http", "127.0.0.1")
    assert not may_send_key("http", "gw.example.com") and not may_send_key("ftp", "127.0.0.1")


@pytest.mark.parametrize("url", RESOLVER_NAMES)
def test_settings_refuse_plain_http_to_a_resolver_name(url: str, isolated_environment: Path) -> None:
    with pytest.raises(ValidationError, match="only allowed for localhost") as caught:
        normalise_endpoint(url)
    assert caught.value.issues[0].field == "endpoint"
    settings = AppSettings()
    with pytest.raises(ValidationError):
        settings.custom_endpoint = url
    assert settings.custom_endpoint is None


@pytest.mark.parametrize("url", RESOLVER_NAMES)
def test_the_client_refuses_plain_http_to_a_resolver_name(url: str) -> None:
    with pytest.raises(ValidationError, match="only allowed for localhost") as caught:
        DashScopeClient(KEY, url)
    assert KEY not in caught.value.details()


@pytest.mark.parametrize("url", RESOLVER_NAMES)
def test_the_command_refuses_plain_http_to_a_resolver_name_before_anything_runs(
    url: str, isolated_environment: Path
) -> None:
    env = cli_env(None, isolated_environment, DASHSCOPE_API_KEY=KEY)
    result = run_cli(["generate", "a fox", "--api-base", url], env)
    assert result.returncode == 2, result.stderr
    assert "--api-base" in result.stderr and "only allowed for localhost" in result.stderr
    assert "Traceback" not in result.stderr
    listing = run_cli(["jobs", "list"], cli_env(None, isolated_environment))
    assert listing.returncode == 0 and "a fox" not in listing.stdout  # nothing was journaled


@pytest.mark.parametrize("url", RESOLVER_NAMES)
def test_the_command_refuses_the_same_endpoint_from_the_environment(url: str, isolated_environment: Path) -> None:
    env = cli_env(None, isolated_environment, DASHSCOPE_API_KEY=KEY, WAN27_API_BASE=url)
    result = run_cli(["generate", "a fox"], env)
    assert result.returncode == 2, result.stderr
    assert "nothing was sent" in result.stderr and "only allowed for localhost" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        *RESOLVER_NAMES,
        "https://dashscope-intl.aliyuncs.com/api/v1",
        "https://gw.example.com:8443/api/v1/",
        "http://127.0.0.1:8080/api/v1",
        "http://localhost/api/v1",
        "http://[::1]:9/api/v1",
        "http://10.0.0.5/api/v1",
        "https://user:pw@example.com/api/v1",
        "https://example.com/api/v1?key=1",
        "https://example.com:99999/api/v1",
        "ftp://example.com/api/v1",
        "not a url",
    ],
)
def test_settings_and_the_client_agree(url: str, isolated_environment: Path) -> None:
    def outcome(call: Any) -> str:
        try:
            return str(call())
        except ValidationError as exc:
            return "refused: " + exc.issues[0].message

    def client_base() -> str:
        with DashScopeClient(KEY, url) as client:
            return client.base_url

    assert outcome(lambda: normalise_endpoint(url)) == outcome(client_base) == outcome(lambda: normalise(url))
