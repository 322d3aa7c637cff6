"""Run the workflow (.github/workflows/site.yml) on this machine, step by step, against a local target.

The workflow file itself is read: its `run:` steps are run as written, in their order, with the
workflow's, job's and step's environment variables, and its `if:` conditions are evaluated. The
GitHub actions it uses are played by local stand-ins: the checkout is a copy of this work tree,
GitHub's caches are folders under the state folder, and the Pages deploy is a deploy to the target.
"""

import datetime as dt
import glob
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .deploy import DeployError, Target, deploy

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
STAMP = Path(".venv") / ".installed"
# What the environment of a run on GitHub has besides the workflow's variables (the image's PATH and HOME).
KEPT_VARIABLES = ("PATH", "HOME", "LANG", "TMPDIR", "PYENV_ROOT")


def cache_paths(given: dict) -> list[str]:
    """Return the paths a cache step names: one, or one a line."""
    return [line.strip() for line in str(given["path"]).splitlines() if line.strip()]


class RehearsalError(Exception):
    """The rehearsal cannot go on; its message is the one line shown."""


# GitHub expressions (${{ … }}), the part the workflow uses: literals, context properties,
# ! == != && || with GitHub's meaning, and the functions below.
TOKEN = re.compile(r"\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|!|\(|\)|,)|([A-Za-z_][\w.\-*]*)|(\d+))")


def tokens(text: str) -> Iterator[tuple[str, str]]:
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise RehearsalError(f"cannot read the expression '{text}' at '{text[position:]}'")
        string, operator, name, number = match.groups()
        position = match.end()
        if string is not None:
            yield "value", string[1:-1].replace("''", "'")
        elif operator:
            yield "op", operator
        elif number:
            yield "value", float(number)
        else:
            yield "name", name


LITERALS = {"true": True, "false": False, "null": None}


def truthy(value: object) -> bool:
    return value not in (None, False, "", 0)


def as_number(value: object) -> float:
    """Coerce a value to a number as GitHub does when comparing values of two types."""
    if value is None:
        return 0.0
    if isinstance(value, str):
        try:
            return float(value.strip() or 0)
        except ValueError:
            return float("nan")
    return float(value)


def loosely_equal(left: object, right: object) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()  # GitHub compares strings ignoring case
    if type(left) is type(right):
        return left == right
    return as_number(left) == as_number(right)  # null == '' holds, 'abc' == 0 does not


class Expression:
    """Evaluate one expression against the contexts of a step."""

    def __init__(self, text: str, lookup: Callable[[str], object], functions: dict[str, Callable]):
        self.items = list(tokens(text))
        self.text = text
        self.lookup = lookup
        self.functions = functions
        self.at = 0

    def value(self) -> object:
        result = self.either()
        if self.at != len(self.items):
            raise RehearsalError(f"cannot read the expression '{self.text}'")
        return result

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, operator: str) -> bool:
        if self.peek() == ("op", operator):
            self.at += 1
            return True
        return False

    def either(self) -> object:
        left = self.both()
        while self.take("||"):
            right = self.both()
            left = left if truthy(left) else right
        return left

    def both(self) -> object:
        left = self.compared()
        while self.take("&&"):
            right = self.compared()
            left = right if truthy(left) else left
        return left

    def compared(self) -> object:
        left = self.negated()
        for operator in ("==", "!="):
            if self.take(operator):
                equal = loosely_equal(left, self.negated())
                return equal if operator == "==" else not equal
        return left

    def negated(self) -> object:
        if self.take("!"):
            return not truthy(self.negated())
        return self.primary()

    def primary(self) -> object:
        item = self.peek()
        if item is None:
            raise RehearsalError(f"the expression '{self.text}' ends too soon")
        self.at += 1
        kind, text = item
        if kind == "value":
            return text
        if item == ("op", "("):
            inner = self.either()
            if not self.take(")"):
                raise RehearsalError(f"a ')' is missing in '{self.text}'")
            return inner
        if kind == "name" and self.take("("):
            arguments = []
            while not self.take(")"):
                arguments.append(self.either())
                self.take(",")
            if text not in self.functions:
                raise RehearsalError(f"the rehearsal does not know the function {text}() in '{self.text}'")
            return self.functions[text](*arguments)
        if kind == "name":
            return LITERALS[text] if text in LITERALS else self.lookup(text)
        raise RehearsalError(f"cannot read the expression '{self.text}' at '{text}'")


def shown(value: object) -> str:
    """Return a value as ${{ }} puts it into text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def hash_files(workspace: Path, *patterns: str) -> str:
    """Return one sha256 of the files matching the patterns, as hashFiles() does ('' for none)."""
    total = hashlib.sha256()
    found = False
    for pattern in patterns:
        for name in sorted(glob.glob(pattern, root_dir=workspace, recursive=True)):
            path = workspace / name
            if path.is_file():
                total.update(hashlib.sha256(path.read_bytes()).digest())
                found = True
    return total.hexdigest() if found else ""


@dataclass
class StepTime:
    job: str
    name: str
    seconds: float
    skipped: bool = False


@dataclass
class Rehearsal:
    """One run of the workflow as a push to main, with the given path, deploying to target."""

    path: str
    target: Target
    state: Path  # GitHub's caches: state/caches/<key>/
    content: Path | None = None  # instead of this work tree's content/
    site_url: str = "https://rehearsal.example.kz"
    pytest_args: str = ""  # a reduced `make test`, through pytest's own PYTEST_ADDOPTS
    workflow_file: Path = WORKFLOW
    times: list[StepTime] = field(default_factory=list)
    deployed: str = ""

    def __post_init__(self) -> None:
        self.workflow = yaml.safe_load(self.workflow_file.read_text(encoding="utf-8"))
        self.run_id = str(time.time_ns())
        self.job_outputs: dict[str, dict[str, str]] = {}

    # The checkout: the files git tracks (as this work tree has them), content/ from the given folder.
    def checkout(self, workspace: Path) -> None:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\0")
        for name in filter(None, listed):
            if self.content is not None and name.startswith("content/"):
                continue
            source = ROOT / name
            if source.is_file() or source.is_symlink():
                (workspace / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, workspace / name, follow_symlinks=False)
        if self.content is not None:
            # Copied, not linked: a checkout's files are new to the build, as on GitHub.
            shutil.copytree(self.content, workspace / "content", symlinks=True)
        # The virtual environment and Node tools of this work tree stand in for what make installs; the
        # copied requirements.txt is dated before the install stamp, so make installs nothing into them.
        for name in (".venv", "node_modules"):
            if (ROOT / name).exists():
                (workspace / name).symlink_to(ROOT / name)
        stamp = ROOT / STAMP
        if stamp.exists():
            before = stamp.stat().st_mtime - 1
            os.utime(workspace / "requirements.txt", (before, before))

    def base_environment(self, workspace: Path) -> dict[str, str]:
        env = {name: os.environ[name] for name in KEPT_VARIABLES if name in os.environ}
        env |= {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_SHA": "rehearsal",
            "GITHUB_RUN_ID": self.run_id,
            "SITE_PATH": self.path,  # what plan would choose from git; the rehearsal is told instead
            # `git config --global` in a step writes here, not into this machine's ~/.gitconfig.
            "GIT_CONFIG_GLOBAL": str(workspace.parent / "gitconfig"),
        }
        if self.pytest_args:
            env["PYTEST_ADDOPTS"] = self.pytest_args
        return env

    def contexts(self, workspace: Path, env: dict[str, str], steps: dict[str, dict]) -> dict:
        return {
            "github": {
                "ref": "refs/heads/main",
                "event_name": "push",
                "run_id": self.run_id,
                "run_attempt": "1",
                "sha": "rehearsal",
                "workspace": str(workspace),
                "event": {"before": "", "pull_request": None},
            },
            "env": env,
            "steps": steps,
            "needs": {job: {"outputs": outputs} for job, outputs in self.job_outputs.items()},
        }

    def evaluate(self, text: str, contexts: dict, workspace: Path) -> object:
        def lookup(name: str) -> object:
            parts = name.split(".")
            if parts[0] not in contexts:
                raise RehearsalError(f"the rehearsal has no '{parts[0]}' context (in '{text}')")
            value: object = contexts
            for part in parts:
                value = value.get(part) if isinstance(value, dict) else None
            return value

        def success() -> bool:
            return True  # a failed step stops the rehearsal

        functions = {
            "success": success,
            "always": lambda: True,
            "failure": lambda: False,
            "cancelled": lambda: False,
            "hashFiles": lambda *patterns: hash_files(workspace, *patterns),
            "contains": lambda whole, part: str(part).lower() in str(whole).lower(),
        }
        return Expression(text, lookup, functions).value()

    def interpolate(self, value: object, contexts: dict, workspace: Path) -> str:
        text = shown(value)
        return re.sub(
            r"\$\{\{(.*?)\}\}", lambda m: shown(self.evaluate(m.group(1), contexts, workspace)), text
        )

    def condition(self, text: object, contexts: dict, workspace: Path) -> bool:
        if text is None:
            return True
        expression = str(text).strip()
        if expression.startswith("${{") and expression.endswith("}}"):
            expression = expression[3:-2]
        return truthy(self.evaluate(expression, contexts, workspace))

    def run(self) -> list[StepTime]:
        """Run every job of the workflow in order; raise RehearsalError at the first failure."""
        self.state.mkdir(parents=True, exist_ok=True)
        # One work folder for every run, as GitHub's runner checks a repository out at the same path
        # each time: the build's caches and output/ (restored from the cache) name their folders.
        scratch = self.state / "run"
        shutil.rmtree(scratch, ignore_errors=True)
        workspace = scratch / "work"
        workspace.mkdir(parents=True)
        try:
            started = time.perf_counter()
            self.checkout(workspace)
            self.times.append(
                StepTime("build", "checkout (copy of this work tree)", time.perf_counter() - started)
            )
            env = self.base_environment(workspace)
            for name, job in self.workflow["jobs"].items():
                self.run_job(name, job, workspace, env)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return self.times

    def run_job(self, name: str, job: dict, workspace: Path, base: dict[str, str]) -> None:
        env = dict(base)
        steps: dict[str, dict] = {}
        contexts = self.contexts(workspace, env, steps)
        for key, value in (self.workflow.get("env") or {}).items():
            env[key] = self.interpolate(value, contexts, workspace)
        if not self.condition(job.get("if"), contexts, workspace):
            print(f"== {name}: skipped ({job['if']})")
            return
        for key, value in (job.get("env") or {}).items():
            env[key] = self.interpolate(value, contexts, workspace)
        print(f"== {name}")
        for number, step in enumerate(job["steps"], 1):
            label = step.get("name") or step.get("uses") or step["run"]
            if not self.condition(step.get("if"), contexts, workspace):
                print(f"-- {label}: skipped")
                self.times.append(StepTime(name, label, 0.0, skipped=True))
                if "id" in step:
                    steps[step["id"]] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
                continue
            print(f"-- {label}", flush=True)
            started = time.perf_counter()
            if "run" in step:
                outputs = self.run_step(
                    step, env, contexts, workspace, scratch=workspace.parent / f"{name}-{number}"
                )
            else:
                outputs = self.stand_in(step, contexts, workspace)
            self.times.append(StepTime(name, label, time.perf_counter() - started))
            if "id" in step:
                steps[step["id"]] = {"outputs": outputs, "outcome": "success", "conclusion": "success"}
        self.job_outputs[name] = {
            key: self.interpolate(value, contexts, workspace)
            for key, value in (job.get("outputs") or {}).items()
        }

    def run_step(
        self, step: dict, env: dict, contexts: dict, workspace: Path, scratch: Path
    ) -> dict[str, str]:
        scratch.mkdir()
        output, exported = scratch / "output", scratch / "env"
        output.touch()
        exported.touch()
        step_env = dict(env) | {"GITHUB_OUTPUT": str(output), "GITHUB_ENV": str(exported)}
        for key, value in (step.get("env") or {}).items():
            step_env[key] = self.interpolate(value, contexts, workspace)
        script = scratch / "script.sh"
        script.write_text(self.interpolate(step["run"], contexts, workspace), encoding="utf-8")
        # GitHub's default shell for `run:` where bash exists.
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace, env=step_env
        )
        if result.returncode:
            raise RehearsalError(f"step '{step.get('name', step['run'])}' failed (exit {result.returncode})")
        env.update(read_pairs(exported))
        return read_pairs(output)

    def stand_in(self, step: dict, contexts: dict, workspace: Path) -> dict[str, str]:
        action = step["uses"].split("@")[0]
        given = {
            key: self.interpolate(value, contexts, workspace)
            for key, value in (step.get("with") or {}).items()
        }
        if action not in STAND_INS:
            raise RehearsalError(f"the rehearsal has no stand-in for {step['uses']}; add one to STAND_INS")
        return STAND_INS[action](self, given, workspace)

    # Stand-ins for the actions the workflow uses.
    def cache_folder(self, key: str) -> Path:
        return self.state / "caches" / key

    def restore_cache(self, given: dict, workspace: Path) -> dict[str, str]:
        key = given["key"]
        candidates = [self.cache_folder(key)] if self.cache_folder(key).is_dir() else []
        for prefix in filter(None, given.get("restore-keys", "").splitlines()):
            entries = sorted(
                (p for p in (self.state / "caches").glob(f"{glob.escape(prefix)}*") if p.is_dir()),
                key=lambda p: p.stat().st_mtime_ns,
            )
            candidates += entries[-1:]  # the newest entry of that prefix, as GitHub picks
        if not candidates:
            print(f"   no cache for {key}")
            return {"cache-hit": "false", "cache-primary-key": key, "cache-matched-key": ""}
        found = candidates[0]
        for path in cache_paths(given):
            target = workspace / path
            shutil.rmtree(target, ignore_errors=True)
            if (found / "data" / path).exists():  # copies keep the files' times, as GitHub's tar does
                shutil.copytree(found / "data" / path, target, symlinks=True)
        print(f"   restored {' and '.join(cache_paths(given))} from {found.name}")
        return {
            "cache-hit": str(found.name == key).lower(),
            "cache-primary-key": key,
            "cache-matched-key": found.name,
        }

    def save_cache(self, given: dict, workspace: Path) -> dict[str, str]:
        folder = self.cache_folder(given["key"])
        if folder.exists():
            print(f"   {given['key']} is already saved")  # GitHub's caches are never overwritten
            return {}
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        (partial / "data").mkdir(parents=True)
        for path in cache_paths(given):
            if (workspace / path).exists():
                shutil.copytree(workspace / path, partial / "data" / path, symlinks=True)
        partial.rename(folder)
        print(f"   saved {' and '.join(cache_paths(given))} as {folder.name}")
        return {}

    def cache_both(self, given: dict, workspace: Path) -> dict[str, str]:
        print(f"   {given['path']}: not needed here (the rehearsal uses this work tree's .venv)")
        return {"cache-hit": "false"}

    def configure_pages(self, given: dict, workspace: Path) -> dict[str, str]:
        return {"base_url": self.site_url}

    def upload_pages(self, given: dict, workspace: Path) -> dict[str, str]:
        self.artifact = workspace / given.get("path", "_site")
        print(f"   the site in {given.get('path', '_site')} will be deployed")
        return {}

    def deploy_pages(self, given: dict, workspace: Path) -> dict[str, str]:
        try:
            self.deployed = deploy(
                self.artifact, self.target, f"Rehearsal {dt.datetime.now():%Y-%m-%d %H:%M}"
            )
        except DeployError as error:
            raise RehearsalError(f"deploy failed: {error}") from None
        print(f"   {self.deployed}")
        return {"page_url": self.site_url}

    def checkout_again(self, given: dict, workspace: Path) -> dict[str, str]:
        return {}  # every job of the rehearsal shares the one copy


def read_pairs(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, equals, value = line.partition("=")
        if equals:
            pairs[key] = value
    return pairs


STAND_INS: dict[str, Callable[[Rehearsal, dict, Path], dict[str, str]]] = {
    "actions/checkout": Rehearsal.checkout_again,
    "actions/cache/restore": Rehearsal.restore_cache,
    "actions/cache/save": Rehearsal.save_cache,
    "actions/cache": Rehearsal.cache_both,
    "actions/configure-pages": Rehearsal.configure_pages,
    "actions/upload-pages-artifact": Rehearsal.upload_pages,
    "actions/deploy-pages": Rehearsal.deploy_pages,
}


def timing_table(times: list[StepTime]) -> str:
    """Return the steps' times as lines, with the total."""
    lines = [
        f"{t.job:<7} {t.name[:64]:<64} {'skipped' if t.skipped else f'{t.seconds:7.1f} s':>9}" for t in times
    ]
    lines.append(f"{'total':<72} {sum(t.seconds for t in times):7.1f} s")
    return "\n".join(lines)
