"""`invoke rehearse` runs the workflow's own steps here, against a local bare git repository or rsync folder.

The content is the small fixture site, not content/, so that the test stays fast; the code path runs
`make test` with a reduced selection (pytest's PYTEST_ADDOPTS, the rehearsal's --pytest-args).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_SITE, ROOT, add_fixture_pictures

from publishing.deploy import Target
from publishing.rehearsal import WORKFLOW, Expression, Rehearsal, RehearsalError

pytestmark = pytest.mark.system  # the workflow's steps, make test included

needs_rsync = pytest.mark.skipif(
    not shutil.which("rsync"), reason="rsync is not installed (make test installs it)"
)
STORY = "news/2026/2026-01-15-snow/ru.md"


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, folder)
    add_fixture_pictures(folder)
    return folder


def rehearse(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "rehearse", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def step_names(job: str) -> list[str]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return [step.get("name") or step.get("uses") for step in workflow["jobs"][job]["steps"]]


def test_content_path_deploys_to_git_then_only_what_changed(content, tmp_path):
    remote, state = tmp_path / "pages.git", tmp_path / "state"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    args = ("--path", "content", "--target", f"git:{remote}#gh-pages", "--state", str(state))
    first = rehearse(*args, "--content", str(content))
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr
    # Every step of both jobs, in the workflow's order.
    shown = [line[3:] for line in first.stdout.splitlines() if line.startswith("-- ")]
    assert shown == step_names("build") + step_names("deploy")
    assert "plan: content: given by the caller" in first.stdout
    assert "test: skipped, no code changed" in first.stdout
    assert "$ make check" in first.stdout and "$ make publish" in first.stdout
    assert "no cache for site-cache-" in first.stdout
    page = git(remote, "show", "gh-pages:ru/news/2026/01/snow/index.html")
    assert '<link rel="canonical" href="https://rehearsal.example.kz/ru/news/2026/01/snow/">' in page

    # A content commit: the cache saved by the first run is restored, and the change goes live.
    story = content / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("триста", "четыреста"), encoding="utf-8")
    second = rehearse(*args, "--content", str(content))
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr
    assert "restored cache and output from site-cache-" in second.stdout
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"
    assert "четыреста" in git(remote, "show", "gh-pages:ru/news/2026/01/snow/index.html")

    saved = sorted(p.name for p in (state / "caches").iterdir())
    # Two runs that changed the site: two caches of cache/ and two records of the live site.
    assert [re.sub(r"-[0-9a-f]{64}|-\d+", "", name) for name in saved] == ["deployed"] * 2 + [
        "site-cache"
    ] * 2

    # The same site again: nothing is uploaded, the deploy job does not run, the cache is not saved again.
    third = rehearse(*args, "--content", str(content))
    assert third.returncode == 0, third.stderr
    assert "the same site is live; nothing will be uploaded" in third.stdout
    # output/ and cache/ came back from the cache with their times: the build had nothing to do.
    assert "Nothing changed since the last build" in third.stdout
    assert "-- Upload the site: skipped" in third.stdout
    assert "== deploy: skipped" in third.stdout
    assert git(remote, "rev-list", "--count", "gh-pages").strip() == "2"
    assert sorted(p.name for p in (state / "caches").iterdir()) == saved


@needs_rsync
def test_code_path_tests_first_then_syncs_a_folder(content, tmp_path):
    live, state = tmp_path / "www", tmp_path / "state"
    args = ("--path", "code", "--target", f"rsync:{live}", "--state", str(state), "--content", str(content))
    # A failing test step stops the run: nothing is built or deployed (no test selected: pytest exits 5).
    failed = rehearse(*args, "--pytest-args", "tests/test_layout.py -k no_such_test -p no:cacheprovider")
    assert failed.returncode == 1
    assert "Rehearsal stopped: step 'Test (when code changed)' failed" in failed.stderr
    assert not live.exists()

    passed = rehearse(*args, "--pytest-args", "tests/test_layout.py -q -p no:cacheprovider")
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr
    assert "$ make test" in passed.stdout and " passed" in passed.stdout
    assert "check: skipped" in passed.stdout
    assert re.search(
        rf"copied \d+ changed files? to {re.escape(str(live))}; files removed from the site: 0", passed.stdout
    )
    assert (live / "ru/news/2026/01/snow/index.html").is_file()
    assert (live / "kk/index.html").is_file()


def test_a_step_the_rehearsal_cannot_play_stops_it(tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    workflow["jobs"]["build"]["steps"].insert(1, {"uses": "actions/setup-node@v4"})
    changed = tmp_path / "site.yml"
    changed.write_text(yaml.safe_dump(workflow), encoding="utf-8")
    rehearsal = Rehearsal("content", Target("rsync", str(tmp_path / "www")), tmp_path / "state")
    rehearsal.workflow = yaml.safe_load(changed.read_text(encoding="utf-8"))
    with pytest.raises(RehearsalError, match="no stand-in for actions/setup-node@v4"):
        rehearsal.run()


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("steps.digest.outputs.changed == 'true'", True),
        ("steps.digest.outputs.changed == 'TRUE'", True),  # strings compare ignoring case
        ("steps.pages.outcome == 'success' && steps.digest.outputs.changed == 'true'", False),
        ("github.event.pull_request.base.sha || github.event.before", "abc"),
        ("!(github.ref == 'refs/heads/main')", False),
        ("steps.missing.outputs.x == ''", True),  # a missing property is null, and null == ''
        ("steps.missing.outputs.x == 'x'", False),
        ("github.ref == 0", False),
        ("format('{0}', 1)", RehearsalError),
        ("secrets.TOKEN", RehearsalError),
    ],
)
def test_expressions_mean_what_they_mean_on_github(expression, value):
    contexts = {
        "steps": {"digest": {"outputs": {"changed": "true"}}, "pages": {"outcome": "skipped"}},
        "github": {"ref": "refs/heads/main", "event": {"pull_request": None, "before": "abc"}},
    }

    def lookup(name):
        if name.split(".")[0] not in contexts:
            raise RehearsalError(f"no {name}")
        found = contexts
        for part in name.split("."):
            found = found.get(part) if isinstance(found, dict) else None
        return found

    if value is RehearsalError:
        with pytest.raises(RehearsalError):
            Expression(expression, lookup, {}).value()
    else:
        assert Expression(expression, lookup, {}).value() == value
