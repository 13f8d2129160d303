"""The release workflow and the Windows/macOS scripts cannot run here; check what can be checked by
reading them: the workflow parses, every job smoke-tests, and signing is skipped without secrets."""

from __future__ import annotations

import plistlib
import re

import pytest
import yaml

from tests.packaging.tools import PACKAGING, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_builds_all_three_platforms_on_tags(workflow: dict) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    assert {"linux", "windows", "macos", "release"} <= set(workflow["jobs"])
    assert set(workflow["jobs"]["release"]["needs"]) == {"linux", "windows", "macos"}


def test_every_build_script_self_tests_the_bundle_before_packaging_it() -> None:
    # The installed apps' self-tests: tests/packaging/test_release_workflow.py.
    for script in ("build_linux.sh", "build_windows.ps1", "build_macos.sh"):
        assert "--self-test" in (PACKAGING / script).read_text(encoding="utf-8"), script


def test_secrets_reach_steps_only_through_gated_env(workflow: dict) -> None:
    """A secret may only appear in a step's env (never inline in `run`), and a step that uses a
    secret must either be skipped without it (`if:`) or run a script that checks it is non-empty."""
    gated_scripts = {
        "build_windows.ps1": (r"if \(-not \$env:WINDOWS_CERT_PFX_BASE64\) \{ return \}", "WINDOWS_CERT_PFX_BASE64"),
        "build_macos.sh": (r'if \[ -n "\$\{MACOS_SIGN_IDENTITY:-\}" \]', "MACOS_SIGN_IDENTITY"),
    }
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "secrets." not in step.get("run", ""), step
            secret_env = [k for k, v in (step.get("env") or {}).items() if "secrets." in str(v)]
            if not secret_env or step.get("if"):
                continue
            script = next((name for name in gated_scripts if name in step.get("run", "")), None)
            assert script, f"step {step} gets secrets but is neither gated nor a checked script"
            pattern, variable = gated_scripts[script]
            assert variable in secret_env
            assert re.search(pattern, (PACKAGING / script).read_text(encoding="utf-8")), script
    macos_env = workflow["jobs"]["macos"]["env"]
    assert macos_env["HAS_MAC_CERT"] == "${{ secrets.MACOS_CERT_P12_BASE64 != '' }}"


def test_inno_setup_script_installs_per_user_with_start_menu_entry_and_uninstaller() -> None:
    iss = (PACKAGING / "windows" / "wan27-desktop.iss").read_text(encoding="utf-8")
    assert re.search(r"^PrivilegesRequired=lowest$", iss, re.M)
    assert re.search(r"^DefaultDirName=\{autopf\}", iss, re.M)
    assert re.search(r'^Name: "\{autoprograms\}\\Wan 2\.7 Desktop"', iss, re.M)
    assert "Uninstallable=no" not in iss
    # Every file the script reads exists (relative to packaging/windows/), except build outputs.
    for source in re.findall(r'(?:LicenseFile=|Source: ")([^"\n*]+)', iss):
        path = (PACKAGING / "windows" / source.strip().replace("\\", "/")).resolve()
        assert path.exists() or "dist" in path.parts, source


def test_macos_entitlements_and_bundle_metadata() -> None:
    entitlements = plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}
    spec = (PACKAGING / "wan27_desktop.spec").read_text(encoding="utf-8")
    for key in ("CFBundleShortVersionString", "NSHighResolutionCapable", "LSMinimumSystemVersion"):
        assert f'"{key}"' in spec
    assert "bundle_identifier=BUNDLE_ID" in spec and 'BUNDLE_ID = "com.wan27desktop.app"' in spec
