"""Put a built site live in one step: as a commit on a git branch, or with rsync into a folder or host."""

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from atomic_output.atomic_output import STAGING, sibling
from atomic_output.output import swap_in
from l10n.messages import Message, _, ngettext

DEFAULT_BRANCH = "gh-pages"
TARGET_FORMS = "git:<path-or-url>[#branch] or rsync:<folder-or-host:path> (dir:<folder> also works)"


class DeployError(Exception):
    """Deploying failed; the live copy is as it was."""


@dataclass(frozen=True)
class Target:
    """Where the site goes live."""

    kind: str  # "git" or "rsync"
    location: str
    branch: str = DEFAULT_BRANCH


def parse_target(spec: str) -> Target:
    """Read 'git:<path-or-url>#<branch>', 'rsync:<destination>' or 'dir:<folder>'."""
    kind, _colon, location = spec.partition(":")
    if kind == "git" and location:
        location, _hash, branch = location.partition("#")
        return Target("git", location, branch or DEFAULT_BRANCH)
    if kind in ("rsync", "dir") and location:
        return Target("rsync", location)
    raise DeployError(_("unknown publish target '{spec}': write {forms}", spec=spec, forms=TARGET_FORMS))


def _run(*command: str, env: dict | None = None, cwd: Path | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)
    if result.returncode:
        said = (result.stderr or result.stdout).strip()  # git's or rsync's own words, quoted
        raise DeployError(_("{command} failed: {said}", command=" ".join(command[:2]), said=said))
    return result.stdout.strip()


def deploy_git(site: Path, remote: str, branch: str, message: str) -> str | None:
    """Commit the site as the next commit of branch and push it; return the commit, None if unchanged."""
    with tempfile.TemporaryDirectory(prefix="publish-") as scratch:
        env = {
            **os.environ,
            "GIT_DIR": f"{scratch}/repo.git",
            "GIT_WORK_TREE": str(Path(site).resolve()),
            "GIT_INDEX_FILE": f"{scratch}/index",
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "Site publisher"),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "publisher@localhost"),
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "Site publisher"),
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "publisher@localhost"),
        }
        _run("git", "init", "--quiet", "--bare", env["GIT_DIR"])

        def git(*args: str) -> str:
            return _run("git", *args, env=env, cwd=Path(site))

        # No gc or maintenance started in the background by a fetch or commit of a large site: it would
        # still be writing into the scratch repository while it is removed.
        git("config", "gc.auto", "0")
        git("config", "maintenance.auto", "false")
        git("add", "--all", "--force")
        # GitHub Pages would otherwise run Jekyll and drop files starting with "_".
        nojekyll = git("hash-object", "-w", "-t", "blob", "/dev/null")
        git("update-index", "--add", "--cacheinfo", f"100644,{nojekyll},.nojekyll")
        tree = git("write-tree")
        parent = None
        fetched = subprocess.run(
            ["git", "fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}"],
            capture_output=True,
            env=env,
        )
        if fetched.returncode == 0:
            parent = git("rev-parse", "FETCH_HEAD")
            if git("rev-parse", f"{parent}^{{tree}}") == tree:
                return None
        commit = git("commit-tree", tree, "-m", message, *(["-p", parent] if parent else []))
        git("push", "--quiet", remote, f"{commit}:refs/heads/{branch}")
        return commit


def _files(folder: Path) -> set[str]:
    return {
        os.path.relpath(os.path.join(root, name), folder)
        for root, _, names in os.walk(folder)
        for name in names
    }


def _stat(report: str, label: str) -> int:
    """Return a count from rsync's --stats report ('Number of regular files transferred: 1,234')."""
    match = re.search(rf"^{label}: ([\d,.]+)", report, re.MULTILINE)
    return int(re.sub(r"[,.]", "", match.group(1))) if match else 0


def deploy_rsync(site: Path, destination: str) -> tuple[int, int]:
    """Copy the changed files of the site with rsync and delete removed ones; return (copied, removed).

    Files are compared by checksum, so a file the build wrote again with the same bytes is not sent,
    and its copy keeps its time (and so its ETag on nginx). A local folder is swapped in whole.
    """
    if not shutil.which("rsync"):
        raise DeployError(_("rsync is not installed (Debian: apt-get install rsync)"))
    source = f"{Path(site).resolve()}/"
    options = ["--recursive", "--links", "--perms", "--checksum", "--delete", "--stats"]
    if ":" in destination.split("/", 1)[0]:
        # A host: rsync moves every changed file into place together at the end.
        report = _run(
            "rsync", *options, "--delay-updates", "--delete-delay", source, destination.rstrip("/") + "/"
        )
        return _stat(report, "Number of regular files transferred"), _stat(report, "Number of deleted files")
    live = Path(destination).absolute()
    staging = sibling(live, STAGING, "deploy")
    shutil.rmtree(staging, ignore_errors=True)
    link_dest = [f"--link-dest={live}"] if live.is_dir() else []
    try:
        # Unchanged files are hard links to the live ones; only changed files are copied.
        report = _run("rsync", *options, *link_dest, source, f"{staging}/")
        removed = len(_files(live) - _files(staging)) if live.is_dir() else 0
        swap_in(staging, live, [])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _stat(report, "Number of regular files transferred"), removed


def deploy(site: Path, target: Target, message: str) -> Message:
    """Deploy to target; return a line saying what went live."""
    if target.kind == "git":
        commit = deploy_git(site, target.location, target.branch, message)
        if commit is None:
            return _(
                "{location} {branch} already has this site; nothing to push",
                location=target.location,
                branch=target.branch,
            )
        return _(
            "pushed {commit} to {location} {branch}",
            commit=commit[:12],
            location=target.location,
            branch=target.branch,
        )
    copied, removed = deploy_rsync(site, target.location)
    return ngettext(
        "copied {count} changed file to {location}; files removed from the site: {removed}",
        "copied {count} changed files to {location}; files removed from the site: {removed}",
        copied,
        location=target.location,
        removed=removed,
    )
