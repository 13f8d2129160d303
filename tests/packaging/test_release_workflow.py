"""Releases a user can trust (issue 18), checked by reading what cannot run here: the release
workflow's hardening, the build scripts' locked inputs and release files, the installed-app smoke
tests on Windows and macOS, and the Inno Setup script against what the PyInstaller spec produces."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.packaging.tools import PACKAGING, ROOT, build_lock, workflow_lint

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
ISS = PACKAGING / "windows" / "wan27-desktop.iss"
SPEC = PACKAGING / "wan27_desktop.spec"
LOCK_INSTALL = "--require-hashes --only-binary :all: -r packaging"
BUILD_JOBS = ("linux", "windows", "macos")


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return workflow["jobs"][job]["steps"]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# -- the workflow ----------------------------------------------------------------------------------
def test_the_workflow_passes_workflow_lint() -> None:
    """Pins with release comments, needs, expressions, runner labels, scripts (and, where shellcheck
    is installed as in .ci/run, shellcheck of every script)."""
    assert workflow_lint.lint(WORKFLOW) == []


def test_every_action_is_pinned_to_a_commit_with_its_release_beside_it() -> None:
    uses = re.findall(r"uses:\s*(\S+)(.*)", read(WORKFLOW))
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", rest), f"{action}: {rest!r}"
    # One release of each action throughout: a pin updated in one job but not another is a mistake.
    pins: dict[str, set[str]] = {}
    for action, rest in uses:
        pins.setdefault(action.split("@")[0], set()).add(action + rest)
    assert all(len(forms) == 1 for forms in pins.values()), pins


def test_the_token_only_reads_except_in_the_job_that_publishes(workflow: dict[str, Any]) -> None:
    assert workflow["permissions"] == {"contents": "read"}
    writers = {name: job["permissions"] for name, job in workflow["jobs"].items() if "permissions" in job}
    assert writers == {"release": {"contents": "write"}}
    release = workflow["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/')"
    # The publishing job runs no code from the repository: no checkout, nothing but the download.
    assert [step.get("uses", "").split("@")[0] for step in release["steps"] if "uses" in step] == [
        "actions/download-artifact"
    ]


def test_no_checkout_keeps_the_token(workflow: dict[str, Any]) -> None:
    checkouts = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == len(BUILD_JOBS)
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_no_expression_is_expanded_inside_a_script(workflow: dict[str, Any]) -> None:
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step


def test_signing_jobs_take_their_secrets_from_the_signing_environment(workflow: dict[str, Any]) -> None:
    for name, job in workflow["jobs"].items():
        uses_secrets = "secrets." in yaml.safe_dump(job)
        assert (job.get("environment") == "release-signing") == uses_secrets, name
    assert "release-signing" in read(ROOT / "README.md")


def test_workflow_lint_finds_what_it_is_for(tmp_path: Path) -> None:
    """The checker itself: each broken copy of the workflow is reported, for the right reason."""
    good = read(WORKFLOW)
    checkout = re.search(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", good)
    assert checkout is not None
    breakages = {
        "not pinned": good.replace(checkout.group(0), "actions/checkout@v4", 1),
        "no `# vX.Y.Z` comment": good.replace(checkout.group(0), checkout.group(0).split(" #")[0], 1),
        "which is not a job": good.replace("needs: [linux, windows, macos]", "needs: [linux, windows, mac]"),
        "inside a script": good.replace("run: packaging/build_linux.sh", "run: echo ${{ github.ref_name }}"),
        "always true": good.replace("if: env.HAS_MAC_CERT == 'true'", "if: ${{ env.HAS_MAC_CERT }} == 'true'"),
        "unknown context 'secret'": good.replace("secrets.MACOS_CERT_P12_BASE64 !=", "secret.MACOS_CERT_P12_BASE64 !="),
        "not a GitHub-hosted runner": good.replace("runs-on: macos-14", "runs-on: macos-11"),
        "which does not exist": good.replace("packaging/linux/smoke_test.sh", "packaging/linux/smoke.sh"),
        "bash cannot parse": good.replace(
            "run: packaging/build_linux.sh", "run: if true; then packaging/build_linux.sh"
        ),
        "exactly one of `uses` and `run`": good.replace(
            "        run: packaging/build_linux.sh",
            "        run: packaging/build_linux.sh\n        uses: x/y@" + "0" * 40 + " # v1.0.0",
        ),
    }
    for reason, text in breakages.items():
        assert text != good, reason
        broken = tmp_path / "release.yml"
        broken.write_text(text, encoding="utf-8")
        problems = workflow_lint.lint(broken)
        assert problems and all(reason in p for p in problems), (reason, problems)


# -- locked inputs, checksums and the bill of materials -------------------------------------------
@pytest.mark.parametrize("script", ["build_linux.sh", "build_macos.sh", "build_windows.ps1"])
def test_every_build_script_installs_the_locked_hashed_inputs_and_checks_them(script: str) -> None:
    text = read(PACKAGING / script)
    assert LOCK_INSTALL in text.replace("\\", "/") and "requirements-build.lock" in text
    assert re.search(r"build_lock\.py check", text)
    assert not re.search(r"pip install[^\n]*\.\[packaging\]", text), "an unlocked install is left"
    # The bill of materials is made from the bundle, and SHA256SUMS is written last, over everything.
    assert re.search(r"sbom\.py (--lenient )?dist[/\\]wan27-desktop |sbom\.py \"\$BUNDLE\"", text)
    last_lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    checksums_at = next(i for i, line in enumerate(last_lines) if "checksums.py" in line)
    assert all(
        not re.search(r"codesign|stapler|Invoke-Sign|dpkg-deb|hdiutil create|iscc", line)
        for line in last_lines[checksums_at:]
    )


def test_every_build_job_uploads_its_installers_bill_of_materials_and_checksums(workflow: dict[str, Any]) -> None:
    for job, installer in (("linux", "dist/*.deb"), ("windows", "dist/*.exe"), ("macos", "dist/*.dmg")):
        upload = next(s for s in steps(workflow, job) if s.get("uses", "").startswith("actions/upload-artifact@"))
        paths = upload["with"]["path"].split()
        assert {installer, "dist/*.cdx.json", "dist/SHA256SUMS"} <= set(paths), (job, paths)
        assert upload["with"]["if-no-files-found"] == "error"


def test_the_release_checks_every_platform_and_publishes_one_sha256sums(workflow: dict[str, Any]) -> None:
    script = "\n".join(step.get("run", "") for step in steps(workflow, "release"))
    assert "for platform in linux windows macos" in script
    assert 'cd "artifacts/$platform" && sha256sum --strict -c SHA256SUMS' in script
    assert "release/SHA256SUMS" in script and "gh release create" in script and "release/*" in script


def test_the_lock_pins_every_build_input_with_hashes() -> None:
    from packaging.requirements import Requirement

    pins = {pin.name: pin for pin in build_lock.read_lock()}
    assert all(pin.hashes for pin in pins.values())
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    project = tomllib.loads(read(ROOT / "pyproject.toml"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["packaging"]
    # Read from the right tables (the runtime dependencies and the packaging extra), not an empty list.
    assert {"pyside6-essentials", "httpx", "keyring", "pyinstaller"} <= {
        build_lock.normalise(Requirement(text).name) for text in wanted
    }
    for text in wanted:
        requirement = Requirement(text)
        pin = pins.get(build_lock.normalise(requirement.name))
        assert pin is not None, f"{requirement.name} is not in the lock: run packaging/build_lock.py update"
        assert requirement.specifier.contains(pin.version, prereleases=True), (text, pin.version)
    # Wheels of the Qt binding for each of the three build machines (and the other platforms PyPI has).
    assert len(pins["pyside6-essentials"].hashes) >= 3 and len(pins["shiboken6"].hashes) >= 3
    # Platform-only dependencies stay in the lock, behind markers: one lock serves all three builds.
    markers = {name: pin.marker or "" for name, pin in pins.items()}
    assert "sys_platform == 'win32'" in markers["pywin32-ctypes"]
    assert "sys_platform == 'darwin'" in markers["macholib"]
    assert "sys_platform == 'linux'" in markers["secretstorage"]


def test_a_lock_mismatch_is_named(tmp_path: Path) -> None:
    import pytest as installed

    lock = tmp_path / "requirements-build.lock"
    lock.write_text(
        "pytest==0.0.1 \\\n    --hash=sha256:" + "0" * 64 + "\n"
        f"pytest=={installed.__version__} \\\n    --hash=sha256:" + "1" * 64 + "\n"
        "not-installed-anywhere==1.0 ; sys_platform == 'no-such-platform' \\\n    --hash=sha256:" + "2" * 64 + "\n"
        "also-not-installed==1.0 \\\n    --hash=sha256:" + "3" * 64 + "\n",
        encoding="utf-8",
    )
    pins = build_lock.read_lock(lock)
    assert [pin.name for pin in build_lock.applicable(pins)] == ["pytest", "pytest", "also-not-installed"]
    assert build_lock.mismatches(pins) == [
        f"pytest: locked 0.0.1, installed {installed.__version__}",
        "also-not-installed: locked 1.0, not installed",
    ]
    lock.write_text("httpx>=0.27\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not an exact pin"):
        build_lock.read_lock(lock)


# -- installed-app smoke tests -----------------------------------------------------------------------
def _step_running(workflow: dict[str, Any], job: str, script: str) -> int:
    return next(i for i, step in enumerate(steps(workflow, job)) if script in step.get("run", ""))


@pytest.mark.parametrize(
    ("job", "build", "smoke"),
    [
        ("linux", "packaging/build_linux.sh", "packaging/linux/smoke_test.sh"),
        ("windows", r"packaging\build_windows.ps1", r"packaging\windows\smoke_test.ps1"),
        ("macos", "packaging/build_macos.sh", "packaging/macos/smoke_test.sh"),
    ],
)
def test_each_platform_smoke_tests_the_installed_app_after_building_it(
    workflow: dict[str, Any], job: str, build: str, smoke: str
) -> None:
    assert _step_running(workflow, job, build) < _step_running(workflow, job, smoke)
    upload = next(i for i, s in enumerate(steps(workflow, job)) if "upload-artifact" in s.get("uses", ""))
    assert _step_running(workflow, job, smoke) < upload, "upload only what passed its smoke test"


def test_windows_smoke_test_installs_self_tests_and_uninstalls_completely() -> None:
    script = read(PACKAGING / "windows" / "smoke_test.ps1")
    iss = read(ISS)
    # Installs with the setup program, per user, where the script says the app goes.
    assert re.search(r"Start-Process -FilePath \$Setup -ArgumentList [^\n]*/VERYSILENT[^\n]*/CURRENTUSER", script)
    assert re.search(r"^DefaultDirName=\{autopf\}\\Wan 2\.7 Desktop$", iss, re.M)
    assert '$app = Join-Path $env:LOCALAPPDATA "Programs\\Wan 2.7 Desktop"' in script
    # Runs the installed app (not the build folder's) with --self-test and checks its exit code.
    assert re.search(r'Start-Process -FilePath "\$app\\wan27-desktop\.exe" -ArgumentList "--self-test"', script)
    assert "$selftest.ExitCode -ne 0" in script
    assert "$record.commit -ne $expected" in script
    # Uninstalls with the installed uninstaller and fails if anything is left.
    assert re.search(r'Start-Process -FilePath "\$app\\unins000\.exe"', script)
    assert 'throw "uninstalling left $app behind"' in script
    assert 'throw "uninstalling left the Start menu entry behind"' in script


def test_macos_smoke_test_installs_from_the_disk_image_and_self_tests_the_copy() -> None:
    script = read(PACKAGING / "macos" / "smoke_test.sh")
    assert 'hdiutil attach "$DMG"' in script
    assert 'ditto "$MOUNT/Wan 2.7 Desktop.app" "$SCRATCH/Applications/Wan 2.7 Desktop.app"' in script
    assert 'APP="$SCRATCH/Applications/Wan 2.7 Desktop.app"' in script
    assert re.search(r'"\$APP/Contents/MacOS/wan27-desktop" --self-test$', script, re.M)
    assert re.search(r'"\$APP/Contents/MacOS/wan27-desktop" --version', script)


def test_linux_smoke_test_installs_self_tests_and_removes_the_package() -> None:
    script = read(PACKAGING / "linux" / "smoke_test.sh")
    assert '$SUDO apt-get install -y "$DEB"' in script
    assert script.count("wan27-desktop --self-test") == 2  # offscreen, and X11 under Xvfb
    assert "$SUDO apt-get remove -y wan27-desktop" in script
    assert "/opt/wan27-desktop /usr/bin/wan27-desktop" in script


# -- the Inno Setup script against the PyInstaller spec ------------------------------------------------
def spec_output() -> tuple[str, str]:
    """(executable name, contents folder) of the one-folder bundle the spec produces."""
    tree = ast.parse(read(SPEC))
    constants = {
        node.targets[0].id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    calls = {
        node.func.id: {kw.arg: kw.value for kw in node.keywords}
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    for call in ("EXE", "COLLECT"):
        name = calls[call]["name"]
        assert isinstance(name, ast.Name) and name.id == "APP_NAME", call
    contents = calls["EXE"].get("contents_directory")
    # PyInstaller 6's default; the bundle test checks the real bundle has exactly this layout.
    return constants["APP_NAME"], ast.literal_eval(contents) if contents else "_internal"


def iss_sections() -> dict[str, list[dict[str, str]]]:
    sections: dict[str, list[dict[str, str]]] = {}
    current = ""
    for line in read(ISS).splitlines():
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections[current] = []
        elif current not in ("Setup", "Languages"):
            entry = dict(re.findall(r'(\w+):\s*("[^"]*"|[^;]+)', line))
            sections[current].append({k: v.strip().strip('"') for k, v in entry.items()})
    return sections


def test_the_installer_installs_everything_the_spec_produces_and_removes_it_on_uninstall() -> None:
    exe, contents = spec_output()
    sections = iss_sections()
    # [Files]: the whole one-folder bundle, recursively, into {app}; nothing excluded or kept.
    files = sections["Files"]
    assert len(files) == 1, files
    entry = files[0]
    assert entry["Source"] == rf"..\..\dist\{exe}\*" and entry["DestDir"] == "{app}"
    flags = set(entry["Flags"].split())
    assert {"recursesubdirs", "createallsubdirs"} <= flags
    assert not flags & {"uninsneveruninstall", "onlyifdoesntexist", "sharedfile", "dontcopy", "external"}
    assert "Excludes" not in entry
    # The bundle's two top-level entries: the executable, which the icons and uninstall entry
    # point at, and the contents folder, replaced whole on upgrade and removed whole on uninstall.
    targets = {icon["Filename"] for icon in sections["Icons"]} | {
        line.split("=", 1)[1] for line in read(ISS).splitlines() if line.startswith("UninstallDisplayIcon=")
    }
    assert targets == {rf"{{app}}\{exe}.exe"}
    folder = {"Type": "filesandordirs", "Name": rf"{{app}}\{contents}"}
    assert folder in sections["InstallDelete"]
    assert folder in sections["UninstallDelete"]
    assert {"Type": "dirifempty", "Name": "{app}"} in sections["UninstallDelete"]
    # Inno Setup removes every file [Files] installed unless told otherwise (checked above), and
    # the icons it created: nothing else is installed.
    assert set(sections) == {"Setup", "Languages", "Tasks", "Files", "InstallDelete", "UninstallDelete", "Icons", "Run"}
