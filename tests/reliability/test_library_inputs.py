"""Library-side bad input (issue 14, item 10): a clear message and the right exit code, never a
traceback; what can still be done is done."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.reliability.journal_support import cli
from wan27_desktop.library import ExportIncomplete, Library


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    environment = cli_env(fake_dashscope, isolated_environment)
    for prompt in ("a fox", "a cat", "a dog"):
        assert cli(["generate", prompt, "--size", "1K"], environment).returncode == 0
    return environment


def test_exporting_an_image_whose_file_is_gone_exports_the_others_and_says_which(
    env, isolated_environment: Path, tmp_path: Path
):
    with Library.open(isolated_environment) as library:
        gone = library.images.of_job(2)[0]
    gone.path.unlink()
    done = cli(["library", "export", "1", "2", "3", "--to", str(tmp_path / "out")], env)
    assert done.returncode == 2, done.stderr
    assert f"the file of image {gone.id} is missing" in done.stderr and "The other images were exported" in done.stderr
    exported = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(exported) == 2 and gone.path.name not in exported
    assert sorted(Path(line).name for line in done.stdout.splitlines()) == exported

    with Library.open(isolated_environment) as library:
        first = library.images.get(1)
        with pytest.raises(ExportIncomplete) as raised:
            library.maintenance.export([gone.id, 1], tmp_path / "again")
    assert [p.name for p in raised.value.written] == [first.path.name]
    assert [image_id for image_id, _ in raised.value.failed] == [gone.id]


@pytest.mark.parametrize(
    "command", [["library", "export", "1", "--to"], ["generate", "a bird", "--size", "1K", "--out"]]
)
def test_an_output_folder_that_is_a_file_is_refused_before_anything_happens(
    command: list[str], env, fake_dashscope, tmp_path: Path
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = cli([*command, str(blocker)], env)
    assert done.returncode == 2, done.stderr
    assert "is a file, not a folder" in done.stderr
    assert fake_dashscope.created_count == 3  # the generate was not sent
    assert blocker.read_text() == "not a folder"
