"""The workflow's own steps (.github/workflows/site.yml), one command each: `python3 -m publishing.ci STEP`.

`invoke rehearse` runs the workflow's steps, so these commands are the one definition both use.
Standard library only: `plan` runs before `make` has made the virtual environment.
"""

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# What a run does, chosen by `plan` from what changed since the live site was built:
# code (anything outside content/): `make test`, then publish; content only: the content checks,
# then publish; nothing (a scheduled or repeated run): publish, so that time-dependent pages move on.
PATHS = ("code", "content", "none")
CONTENT = "content/"
NO_COMMIT = "0" * 40  # github.event.before of a push that made the branch
DEFAULT_RECORD = ".deployed/record.json"


class StepError(Exception):
    """A step cannot go on; its message is the one line the log shows."""


def changed_files(base: str, head: str = "HEAD") -> list[str] | None:
    """Return the files that differ between base and head, or None when base cannot be had."""
    if not base or base == NO_COMMIT:
        return None
    have = subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], capture_output=True)
    if have.returncode:
        # A shallow checkout lacks older commits: fetch just that one (GitHub serves any commit of the repo).
        fetched = subprocess.run(
            ["git", "fetch", "--quiet", "--no-tags", "--depth=1", "origin", base], capture_output=True
        )
        if fetched.returncode:
            return None
    diff = subprocess.run(
        ["git", "diff", "--name-only", "--no-renames", base, head], capture_output=True, text=True
    )
    if diff.returncode:
        return None
    return [line for line in diff.stdout.splitlines() if line]


def choose_path(files: list[str] | None) -> tuple[str, str]:
    """Return the path a run takes for these changed files, and why."""
    if files is None:
        return "code", "no earlier build to compare with, so everything is tested"
    if not files:
        return "none", "nothing changed since the live site was built"
    code = [name for name in files if not name.startswith(CONTENT)]
    if code:
        more = f" and {len(code) - 1} more" if len(code) > 1 else ""
        return "code", f"code changed ({code[0]}{more})"
    return "content", f"only content changed ({len(files)} file(s))"


def read_record(path: Path) -> dict:
    """Return what was last deployed ({'commit', 'digest'}), or {} when nothing is known."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def site_digest(folder: Path) -> str:
    """Return one sha256 of every file's path and bytes under folder (what a deploy would upload)."""
    total = hashlib.sha256()
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = Path(root, name)
            with path.open("rb") as stream:
                digest = hashlib.file_digest(stream, "sha256").hexdigest()
            total.update(f"{path.relative_to(folder).as_posix()}\0{digest}\n".encode())
    return total.hexdigest()


def export(
    env: Mapping[str, str], outputs: Mapping[str, str] = {}, variables: Mapping[str, str] = {}
) -> None:
    """Hand step outputs and environment variables to the later steps, as the runner reads them."""
    for file_variable, values in (("GITHUB_OUTPUT", outputs), ("GITHUB_ENV", variables)):
        if values and env.get(file_variable):
            with open(env[file_variable], "a", encoding="utf-8") as stream:
                stream.writelines(f"{key}={value}\n" for key, value in values.items())


def run_path(env: Mapping[str, str]) -> str:
    path = env.get("SITE_PATH", "")
    if path not in PATHS:
        raise StepError(f"SITE_PATH is '{path}'; the plan step sets it to one of {', '.join(PATHS)}")
    return path


def make(target: str) -> None:
    print(f"$ make {target}", flush=True)
    if subprocess.run(["make", target]).returncode:
        raise StepError(f"make {target} failed; nothing is deployed")


def step_plan(env: Mapping[str, str]) -> None:
    """Choose the run's path from the files changed since the live site's commit (or the push's base)."""
    if env.get("SITE_PATH"):
        path, why = run_path(env), "given by the caller"
    else:
        if env.get("SITE_DEPLOYS") == "true":
            # Compare with what is live, not with the push's base: after a push whose tests failed,
            # the next push (or scheduled run) is tested again.
            base = read_record(Path(env.get("DEPLOY_RECORD", DEFAULT_RECORD))).get("commit", "")
        else:
            base = env.get("PLAN_BASE", "")
        path, why = choose_path(changed_files(base))
    print(f"plan: {path}: {why}")
    export(env, outputs={"path": path}, variables={"SITE_PATH": path})


def step_test(env: Mapping[str, str]) -> None:
    """Run the whole test suite when code changed."""
    if run_path(env) == "code":
        make("test")
    else:
        print("test: skipped, no code changed since the live site (the code was tested when it was pushed)")


def step_check(env: Mapping[str, str]) -> None:
    """Run the content checks when only content changed (the test suite runs them otherwise)."""
    if run_path(env) == "content":
        make("check")
    else:
        print("check: skipped (the tests and the build check the content)")


def step_publish(env: Mapping[str, str]) -> None:
    """Build with publishconf.py and verify the site in output/."""
    if not env.get("SITEURL") and "SITEURL" in os.environ:
        # A run that does not deploy has no Pages address: build for publishconf.py's own.
        del os.environ["SITEURL"]
    make("publish")


def step_digest(env: Mapping[str, str]) -> None:
    """Tell whether output/ differs from the site deployed last."""
    digest = site_digest(Path("output"))
    last = read_record(Path(env.get("DEPLOY_RECORD", DEFAULT_RECORD))).get("digest")
    changed = digest != last
    if changed:
        print(f"digest: {digest[:16]}: the site changed, it will be deployed")
    else:
        print(f"digest: {digest[:16]}: the same site is live; nothing will be uploaded")
    export(env, outputs={"digest": digest, "changed": str(changed).lower()})


def step_record(env: Mapping[str, str]) -> None:
    """Remember the commit and digest that just went live."""
    digest = env.get("SITE_DIGEST", "")
    if not digest:
        raise StepError("SITE_DIGEST is empty; the build job's digest step gives it")
    path = Path(env.get("DEPLOY_RECORD", DEFAULT_RECORD))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"commit": env.get("GITHUB_SHA", ""), "digest": digest}) + "\n", encoding="utf-8"
    )
    print(f"record: {digest[:16]} is live")


STEPS: dict[str, Callable[[Mapping[str, str]], None]] = {
    "plan": step_plan,
    "test": step_test,
    "check": step_check,
    "publish": step_publish,
    "digest": step_digest,
    "record": step_record,
}


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in STEPS:
        print(f"usage: python3 -m publishing.ci {{{','.join(STEPS)}}}", file=sys.stderr)
        return 2
    try:
        STEPS[argv[0]](os.environ)
    except StepError as error:
        print(f"{argv[0]}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
