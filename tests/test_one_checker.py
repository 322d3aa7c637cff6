"""`invoke check` and the build are one checker: every bad case gives both the same lines.

Each broken story is checked with `invoke check` and built with the plain `pelican` command from
the same folder; both must print the same `path:line: message` errors, and the build must exit 1
with the previous output untouched and no traceback.
"""

import re
from pathlib import Path

import picture_samples as samples
import pytest
from conftest import pelican_command
from invoke import Context, Exit
from test_build_errors import ALL_CASES, snapshot
from test_checks import write, write_case
from test_pictures_site import BAD_INPUT, FAIR, make_bad_story

import tasks

pytestmark = pytest.mark.system  # a subprocess build per bad-content case

# An error line as the checks print it: a path without spaces, a line number, no "warning:".
ERROR_LINE = re.compile(r"^[\w./-]+:\d+: (?!warning: )")


def truncated_cover(content: Path) -> None:
    write(content, f"{FAIR}/ru.md", "Title: Ярмарка\nImage: hall.jpg\nImage_alt: Зал\n\nТекст.\n")
    samples.truncated_jpeg(content / FAIR / "hall.jpg")


CASES = {
    **{
        name: (lambda content, files=files: write_case(content, files))
        for name, (files, _) in ALL_CASES.items()
    },
    **{
        f"picture: {name}": (lambda content, body=body, kind=kind: make_bad_story(content, body, kind))
        for name, (body, kind, _, _) in BAD_INPUT.items()
    },
    "picture: truncated cover": truncated_cover,
}


def error_lines(said: str) -> list[str]:
    return [line.rstrip() for line in said.splitlines() if ERROR_LINE.match(line)]


@pytest.mark.parametrize("case", CASES)
def test_check_and_build_report_the_same_errors(tmp_path, monkeypatch, capsys, case):
    content = tmp_path / "content"
    CASES[case](content)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exit) as failed:
        tasks.check(Context(), content="content")
    assert failed.value.code == 1
    checked = error_lines(capsys.readouterr().out)

    output = tmp_path / "output"
    (output / "ru").mkdir(parents=True)
    (output / "ru/index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    result = pelican_command(
        content, output, "-e", f'PICTURES_CACHE_PATH="{tmp_path / "pictures"}"', cwd=tmp_path
    )
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert checked and error_lines(said) == checked, said
    assert "Traceback" not in said
    assert snapshot(output) == before
