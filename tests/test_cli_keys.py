"""`wan27 key set|status|clear|check` through the real entry point and the real OS keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import FakeDashScope
from wan27_desktop import config, keys
from wan27_desktop.api.models import Region
from wan27_desktop.cli import main

pytestmark = pytest.mark.keyring
KEY = "sk-clitest0000000000000000beef"


@pytest.fixture
def keyring_env(real_keyring, isolated_environment: Path) -> dict[str, str]:
    # real_keyring's throw-away service name: the developer's real key is never read or replaced.
    return cli_env(None, isolated_environment, WAN27_KEYRING_SERVICE=keys.SERVICE_PREFIX)


def test_set_status_clear_round_trip_never_prints_the_key(keyring_env):
    stored = run_cli(["key", "set", "--region", "cn"], keyring_env, stdin=KEY + "\n")
    assert stored.returncode == 0, stored.stderr
    status = run_cli(["key", "status", "--region", "cn"], keyring_env)
    assert status.returncode == 0 and "keyring" in status.stdout and "beef" in status.stdout
    assert KEY not in stored.stdout + stored.stderr + status.stdout + status.stderr
    assert run_cli(["key", "status", "--region", "sg"], keyring_env).returncode == 2  # other region: none
    assert run_cli(["key", "clear", "--region", "cn"], keyring_env).returncode == 0
    assert run_cli(["key", "status", "--region", "cn"], keyring_env).returncode == 2


def test_empty_key_is_refused(keyring_env):
    result = run_cli(["key", "set"], keyring_env, stdin="\n")
    assert result.returncode == 2 and "nothing was stored" in result.stderr


def test_status_reports_an_environment_key_masked(keyring_env):
    env = {**keyring_env, "DASHSCOPE_API_KEY": KEY}
    status = run_cli(["key", "status"], env)
    assert status.returncode == 0 and "environment" in status.stdout and KEY not in status.stdout


@pytest.fixture
def two_regions(monkeypatch: pytest.MonkeyPatch):
    with (
        FakeDashScope(region="sg", api_key="sk-sg-only-key") as sg,
        FakeDashScope(region="cn", api_key="sk-cn-only-key") as cn,
    ):
        bases = {Region.SINGAPORE: sg.base_url, Region.BEIJING: cn.base_url}
        monkeypatch.setattr(config, "api_base", lambda region, override=None: override or bases[region])
        yield sg, cn


@pytest.mark.parametrize(
    "key, exit_code, says",
    [
        ("sk-sg-only-key", 0, "valid for Singapore"),
        ("sk-cn-only-key", 3, "belongs to China (Beijing)"),
        ("sk-nobodys-key", 3, "refused"),
    ],
)
def test_check_tells_where_a_key_belongs_at_zero_cost(two_regions, monkeypatch, capsys, key, exit_code, says):
    monkeypatch.setenv("DASHSCOPE_API_KEY", key)
    assert main(["key", "check", "--region", "sg"]) == exit_code
    captured = capsys.readouterr()
    assert says in captured.out + captured.err
    sg, cn = two_regions
    for fake in (sg, cn):
        assert all(r.method == "GET" and r.path.startswith("/api/v1/tasks/") for r in fake.requests)
        assert fake.created_count == 0
