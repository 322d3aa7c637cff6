"""The GitHub Actions workflow: valid, run where the tests run, and taking the right path for each change."""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from publishing import ci

pytestmark = pytest.mark.system  # apt-get locks and the npm workflow validator

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
VALIDATOR = ROOT / "node_modules" / ".bin" / "action-validator"
APT_GET = ROOT / ".ci" / "apt-get"
CACHED_INPUTS = ("requirements.txt", "plugins/**", "theme/**", "pelicanconf.py", "publishconf.py")


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow[True]  # YAML 1.1 reads the key `on` as true


def step_commands(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def step_index(job: dict, **match) -> int:
    for number, step in enumerate(job["steps"]):
        if all(str(step.get(key, "")).startswith(value) for key, value in match.items()):
            return number
    raise AssertionError(f"no step with {match}")


needs_validator = pytest.mark.skipif(
    not VALIDATOR.exists(),
    reason="the workflow validator is not installed: make test installs it with npm (npm ci --omit=dev)",
)


@needs_validator
def test_workflow_passes_the_validator(tmp_path):
    result = subprocess.run([str(VALIDATOR), str(WORKFLOW)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # The validator really reads the file: a misspelt key fails it.
    broken = tmp_path / "site.yml"
    broken.write_text(
        WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "run-on:", 1), encoding="utf-8"
    )
    result = subprocess.run([str(VALIDATOR), str(broken)], capture_output=True, text=True)
    assert result.returncode != 0
    assert "run-on" in result.stdout + result.stderr


def test_every_job_runs_in_the_debian_release_the_tests_are_written_on(workflow):
    here = dict(
        line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
    )
    for name, job in workflow["jobs"].items():
        image = job["container"] if isinstance(job["container"], str) else job["container"]["image"]
        match = re.fullmatch(r"python:3\.(\d+)-(\w+)", image)
        assert match, f"{name}: {image}"
        assert int(match.group(1)) >= 11
        if here.get("ID") == "debian":
            assert match.group(2) == here["VERSION_CODENAME"].strip('"'), f"{name} runs on {image}"


def test_steps_are_the_ones_publishing_ci_defines_in_order(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert step_commands(build) == [
        'git config --global --add safe.directory "$GITHUB_WORKSPACE"',
        *(f"python3 -m publishing.ci {name}" for name in ("plan", "test", "check", "publish", "digest")),
    ]
    assert step_commands(deploy) == ["python3 -m publishing.ci record"]
    for command in step_commands(build)[1:] + step_commands(deploy):
        assert command.split()[-1] in ci.STEPS
    # The plan decides each step; no `if:` on a run step could make the workflow and the rehearsal differ.
    assert not [step for step in build["steps"] if "run" in step and "if" in step]


def test_cache_is_restored_before_the_build_and_saved_after_it(workflow):
    build = workflow["jobs"]["build"]
    restore = step_index(build, uses="actions/cache/restore@", id="cache")
    save = step_index(build, uses="actions/cache/save@")
    publish = step_index(build, run="python3 -m publishing.ci publish")
    assert restore < publish < save
    # cache/ (pictures, stores) and output/ (kept pages): a content commit renders only what it changed.
    paths = build["steps"][restore]["with"]["path"]
    assert paths == build["steps"][save]["with"]["path"]
    assert paths.split() == ["cache", "output"]
    key = build["steps"][restore]["with"]["key"]
    hashed = re.search(r"hashFiles\(([^)]*)\)", key).group(1)
    assert [name.strip(" '") for name in hashed.split(",")] == list(CACHED_INPUTS)
    # Each run saves under a new key; the newest cache of the same build code is restored.
    assert "github.run_id" in key
    assert build["steps"][restore]["with"]["restore-keys"] == key.split("${{ github.run_id }}")[0]
    assert build["steps"][save]["with"]["key"] == "${{ steps.cache.outputs.cache-primary-key }}"


def test_an_unchanged_site_is_not_uploaded_nor_deployed(workflow):
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    upload = build["steps"][step_index(build, uses="actions/upload-pages-artifact@")]
    assert "steps.digest.outputs.changed == 'true'" in upload["if"]
    assert "steps.digest.outputs.changed == 'true'" in build["outputs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["if"] == "needs.build.outputs.deploy == 'true'"
    assert step_index(deploy, uses="actions/deploy-pages@") < step_index(
        deploy, run="python3 -m publishing.ci record"
    )


def test_schedule_is_hourly_so_a_9_oclock_story_is_live_by_10(workflow):
    (entry,) = triggers(workflow)["schedule"]
    minute, hour, *rest = entry["cron"].split()
    assert hour == "*" and rest == ["*", "*", "*"]
    # Almaty is UTC+5: 09:00 there is 04:00 UTC; the run at 04:<minute> builds with the story.
    assert minute.isdigit() and int(minute) < 30
    # The run just after midnight in Almaty (19:<minute> UTC) rolls upcoming events over.
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers(workflow))


def test_permissions_and_concurrency(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }
    assert "github.ref" in workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert (
        workflow["env"]["SITE_DEPLOYS"]
        == "${{ github.ref == 'refs/heads/main' && github.event_name != 'pull_request' }}"
    )


# The plan, on a real repository.


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    run = {"cwd": repo, "check": True, "capture_output": True, "text": True}
    subprocess.run(["git", "add", "--all"], **run)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message], **run)
    return subprocess.run(["git", "rev-parse", "HEAD"], **run).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    monkeypatch.chdir(folder)
    return folder


def plan(tmp_path: Path, **env: str) -> str:
    outputs, variables = tmp_path / "out", tmp_path / "env"
    outputs.write_text("")
    variables.write_text("")
    ci.step_plan({"GITHUB_OUTPUT": str(outputs), "GITHUB_ENV": str(variables), **env})
    assert variables.read_text() == f"SITE_PATH={outputs.read_text().split('=')[1]}"
    return outputs.read_text().strip().removeprefix("path=")


def test_plan_takes_the_path_the_changed_files_call_for(repo, tmp_path):
    live = commit(repo, {"content/news/a/ru.md": "a", "plugins/x.py": "x = 1"}, "start")
    story = commit(repo, {"content/news/b/ru.md": "b"}, "a story")
    assert plan(tmp_path, PLAN_BASE=live) == "content"
    code = commit(repo, {"plugins/x.py": "x = 2"}, "code")
    assert plan(tmp_path, PLAN_BASE=story) == "code"
    both = commit(repo, {"content/news/c/ru.md": "c", "theme/t.html": "t"}, "both")
    assert plan(tmp_path, PLAN_BASE=code) == "code"
    assert plan(tmp_path, PLAN_BASE=both) == "none"
    # A new branch (before = 000…), an unknown commit or none: everything is tested.
    for base in (ci.NO_COMMIT, "", "1234567890abcdef1234567890abcdef12345678"):
        assert plan(tmp_path, PLAN_BASE=base) == "code"
    # A file named like the folder is code.
    commit(repo, {"content.py": "c"}, "not content")
    assert plan(tmp_path, PLAN_BASE=both) == "code"


def test_a_deploying_run_compares_with_the_live_commit_not_the_push_before(repo, tmp_path):
    record = tmp_path / "record.json"
    live = commit(repo, {"content/a/ru.md": "a", "plugins/x.py": "x = 1"}, "live")
    record.write_text(f'{{"commit": "{live}", "digest": "d"}}')
    failed = commit(repo, {"plugins/x.py": "x = 2"}, "tests failed: never deployed")
    commit(repo, {"content/b/ru.md": "b"}, "a story after it")
    env = {"DEPLOY_RECORD": str(record), "PLAN_BASE": failed}
    # The push's own diff is content only, but untested code lies between it and the live site.
    assert plan(tmp_path, **env) == "content"
    assert plan(tmp_path, SITE_DEPLOYS="true", **env) == "code"
    # The hourly run on a tested main has nothing to test.
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    record.write_text(f'{{"commit": "{head}", "digest": "d"}}')
    assert plan(tmp_path, SITE_DEPLOYS="true", **env) == "none"
    # No record (a first deploy, or the cache expired): everything is tested.
    record.unlink()
    assert plan(tmp_path, SITE_DEPLOYS="true", **env) == "code"


def test_steps_do_only_what_their_path_asks(monkeypatch, capsys):
    made = []
    monkeypatch.setattr(ci, "make", made.append)
    for path in ci.PATHS:
        for step in ("test", "check", "publish"):
            ci.STEPS[step]({"SITE_PATH": path})
    assert made == ["test", "publish", "check", "publish", "publish"]
    assert "test: skipped, no code changed" in capsys.readouterr().out
    monkeypatch.delenv("SITE_PATH", raising=False)
    assert ci.main(["test"]) == 1
    assert "SITE_PATH is ''; the plan step sets it" in capsys.readouterr().err


def test_digest_tells_a_changed_site_from_the_live_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "output/ru").mkdir(parents=True)
    (tmp_path / "output/ru/index.html").write_text("a")
    record, outputs = tmp_path / "record.json", tmp_path / "out"

    def digest() -> dict[str, str]:
        outputs.write_text("")
        ci.step_digest({"DEPLOY_RECORD": str(record), "GITHUB_OUTPUT": str(outputs)})
        return dict(line.split("=") for line in outputs.read_text().splitlines())

    first = digest()
    assert first["changed"] == "true"  # nothing recorded yet
    ci.step_record({"DEPLOY_RECORD": str(record), "SITE_DIGEST": first["digest"], "GITHUB_SHA": "abc"})
    assert digest() == {"digest": first["digest"], "changed": "false"}
    (tmp_path / "output/ru/index.html").write_text("b")
    assert digest()["changed"] == "true"
    (tmp_path / "output/ru/index.html").write_text("a")
    (tmp_path / "output/ru/index.html").rename(tmp_path / "output/ru/moved.html")
    assert digest()["changed"] == "true"  # same bytes under another name


# apt-get waits for another apt-get.

as_root = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("apt-get"), reason="takes apt's locks: only as root on Debian"
)
HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold(lock: str, seconds: float) -> subprocess.Popen:
    """Hold an apt lock (fcntl, as apt takes it) in another process for a few seconds."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, lock, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline() == "held\n"
    return holder


@as_root
def test_install_waits_for_the_dpkg_lock():
    lock = "/var/lib/dpkg/lock-frontend"
    holder = hold(lock, 3)
    # Without waiting, apt-get fails at once: the lock is really held.
    plain = subprocess.run(["apt-get", "install", "-y", "-qq"], capture_output=True, text=True)
    assert plain.returncode != 0 and "Could not get lock" in plain.stderr
    started = time.monotonic()
    # `install` with no package takes the lock and changes nothing.
    waited = subprocess.run([str(APT_GET), "install", "-y", "-qq"], capture_output=True, text=True)
    assert waited.returncode == 0, waited.stderr
    assert time.monotonic() - started > 1.5
    holder.wait()


def quiet_update(lists: Path) -> list[str]:
    """apt-get update options that touch only a scratch lists folder and fetch nothing."""
    sources = lists.parent / "sources.list"
    sources.write_text("")
    return ["update", "-qq", f"-o=Dir::State::Lists={lists}", f"-o=Dir::Etc::SourceList={sources}",
            f"-o=Dir::Etc::SourceParts={lists.parent}"]  # fmt: skip


@as_root
def test_update_waits_for_the_lists_lock_and_says_when_it_gives_up(tmp_path):
    lists = tmp_path / "lists"
    (lists / "partial").mkdir(parents=True)
    holder = hold(str(lists / "lock"), 3)
    plain = subprocess.run(["apt-get", *quiet_update(lists)], capture_output=True, text=True)
    assert plain.returncode != 0 and "Could not get lock" in plain.stderr
    waited = subprocess.run([str(APT_GET), *quiet_update(lists)], capture_output=True, text=True)
    assert waited.returncode == 0, waited.stderr
    assert "waiting for another apt-get to release the package lists" in waited.stderr
    holder.wait()

    holder = hold(str(lists / "lock"), 5)
    gave_up = subprocess.run(
        [str(APT_GET), *quiet_update(lists)],
        capture_output=True,
        text=True,
        env={**os.environ, "APT_LOCK_WAIT": "1"},
    )
    assert gave_up.returncode != 0
    assert gave_up.stderr.splitlines()[-1] == (
        "apt-get update: the package lists stayed locked for 1s; "
        "try again when the other apt-get has finished"
    )
    holder.kill()
    holder.wait()


def test_make_calls_apt_through_the_waiting_wrapper():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = [line for line in makefile.splitlines() if line.startswith("\t")]
    assert not [
        line for line in recipes if re.search(r"\bapt-get (update|install)", line) and "echo" not in line
    ]
    assert sum("$(APT_GET) update" in line for line in recipes) == 2
    assert "APT_GET := .ci/apt-get" in makefile
