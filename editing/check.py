"""Check a content folder as a build of it checks it: the same settings, plugins and checks."""

from pathlib import Path

from pelican.settings import read_settings

from build_core.pelican_seam import register_plugins
from content_format.checks import Report, check_content
from l10n.messages import use_language_of


def check_folder(folder: Path, settings_file: Path) -> Report:
    """Run every content check a build of folder with settings_file runs; speak the settings' language."""
    # The settings a build of that folder has (pelican FOLDER -s pelicanconf.py): the same checks.
    settings = read_settings(str(settings_file), override={"PATH": str(folder.absolute())})
    use_language_of(settings)
    # The plugins' own content checks (pictures) run too, as in a build.
    register_plugins(settings)
    return check_content(folder, settings)
