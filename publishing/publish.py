"""Build with the production settings, verify the output, and deploy it only when every step passed."""

import subprocess
import sys
from pathlib import Path

from pelican import main as pelican_main
from pelican.settings import read_settings

from l10n.messages import _, ngettext

from .deploy import DeployError, Target, deploy
from .verify import verify_site


def build(content: Path, output: Path, settings_file: Path) -> bool:
    """Build as the `pelican` command does; tell whether it succeeded (output/ is untouched if not)."""
    try:
        pelican_main([str(content), "-s", str(settings_file), "-o", str(output)])
    except SystemExit as stopped:
        return stopped.code in (0, None)
    return True


def source_revision(folder: Path) -> str:
    """Return the commit the content comes from, for the deploy message ('unknown' outside git)."""
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def has_uncommitted_changes(folder: Path) -> bool:
    """Tell whether the git working tree the content lives in has changes not committed (new files too)."""
    result = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain"], capture_output=True, text=True
    )
    return result.returncode == 0 and bool(result.stdout.strip())


def commit_message(folder: Path) -> str:
    """Say which commit the published site comes from, and whether the working tree differed from it."""
    revision = source_revision(folder)
    dirty = " (with uncommitted changes)" if has_uncommitted_changes(folder) else ""
    return f"Publish site from {revision}{dirty}"


def publish(content: Path, output: Path, settings_file: Path, target: Target | None) -> int:
    """Run build, verification and deploy in order; return the exit status (0 only if all passed)."""
    production = read_settings(str(settings_file))
    placeholder = production.get("SITEURL_PLACEHOLDER")
    if target is not None and placeholder and production["SITEURL"] == placeholder:
        # Every link, feed and sitemap would point at an address that is not the site's.
        refusal = _(
            "Publish stopped: the site's address is the placeholder {placeholder}; set SITEURL to the "
            "public address (SITEURL=https://… invoke publish); nothing was built or deployed.",
            placeholder=placeholder,
        )
        print(refusal, file=sys.stderr)
        return 1
    if not build(content, output, settings_file):
        print(_("Publish stopped: the build failed; nothing was deployed."), file=sys.stderr)
        return 1
    settings = read_settings(str(settings_file), override={"PATH": str(content), "OUTPUT_PATH": str(output)})
    site_url = settings["SITEURL"]
    problems = verify_site(output, site_url, settings.get("PICTURES_URL_FOLDER", "media"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        stopped = ngettext(
            "Publish stopped: {count} problem in the built site; nothing was deployed.",
            "Publish stopped: {count} problems in the built site; nothing was deployed.",
            len(problems),
        )
        print(stopped, file=sys.stderr)
        return 1
    print(
        _(
            "Verified {folder}: only files the site publishes, links lead to files, no inline script.",
            folder=str(output),
        )
    )
    if target is None:
        print(_("No publish target given: the site in {folder}/ is ready to upload.", folder=str(output)))
        return 0
    try:
        print(deploy(output, target, commit_message(content)))
    except DeployError as error:
        print(_("Publish failed: {error}; the live site was not changed.", error=error), file=sys.stderr)
        return 1
    return 0
