"""The build core: one Build per Pelican, no run state in the settings, one switch for incremental work."""

import filecmp
import json
import subprocess
import sys

import pytest
from conftest import ROOT, pelican_command

from build_core.build_core import GENERATOR_ORDER, generator_position
from build_core.core import Build, current_build, worker_count

# Fixed so that two builds of the sample site see the same events as upcoming.
NOW = ["-e", 'EVENTS_NOW="2026-12-06 09:00"']


def build_sample(tmp_path, name: str, *extra: str):
    output, cache = tmp_path / name, tmp_path / f"{name}-cache"
    settings = [f'CACHE_PATH="{cache}"', f'PICTURES_CACHE_PATH="{tmp_path / "pictures"}"', *extra]
    done = pelican_command(ROOT / "content", output, "-q", *NOW, *settings)
    assert done.returncode == 0, done.stderr
    return output, cache


def differing(left, right) -> list[str]:
    """Return the files that differ (or exist on one side only) between two trees."""
    comparison, found, stack = None, [], [("", filecmp.dircmp(left, right, ignore=[]))]
    while stack:
        prefix, comparison = stack.pop()
        found += [prefix + name for name in comparison.left_only + comparison.right_only]
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found += [prefix + name for name in mismatch + errors]
        stack += [(f"{prefix}{name}/", sub) for name, sub in comparison.subdirs.items()]
    return sorted(found)


def test_the_sample_site_is_byte_identical_with_incremental_work_switched_off(tmp_path):
    on, _ = build_sample(tmp_path, "on")
    off, off_cache = build_sample(tmp_path, "off", "INCREMENTAL=false")
    assert differing(on, off) == []
    # Switched off, nothing was kept for a later build: Pelican read and wrote every page itself.
    assert not (off_cache / "incremental").exists()


RUN_IN_A_FRESH_PROCESS = """
import json, sys
from pelican import Pelican
from pelican.settings import read_settings
settings = read_settings(sys.argv[1], override=json.loads(sys.argv[2]))
before = set(settings)
made = Pelican(settings)
made.run()
print(json.dumps({"added": sorted(set(settings) - before), "build": type(made.build).__name__,
                  "output": settings["OUTPUT_PATH"]}))
"""


def test_a_build_leaves_the_settings_as_it_found_them(tmp_path):
    output = tmp_path / "output"
    override = {
        "PATH": str(ROOT / "content"),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(tmp_path / "cache"),
        "PICTURES_CACHE_PATH": str(tmp_path / "pictures"),
        "SEARCH_INDEX": False,
    }
    done = subprocess.run(
        [sys.executable, "-c", RUN_IN_A_FRESH_PROCESS, str(ROOT / "pelicanconf.py"), json.dumps(override)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"added": [], "build": "Build", "output": str(output)}
    assert (output / "index.html").is_file()


@pytest.mark.parametrize("workers", [-1, "2", True])
def test_a_wrong_number_of_workers_stops_with_one_line(workers):
    with pytest.raises(SystemExit) as stopped:
        worker_count({"BUILD_WORKERS": workers})
    assert "BUILD_WORKERS" in str(stopped.value) and "\n" not in str(stopped.value)


def test_a_build_is_current_only_while_it_runs(tmp_path):
    build = Build({"PATH": str(tmp_path), "BUILD_WORKERS": 3}, tmp_path / "out", tmp_path / "staging")
    assert build.workers == 3 and build.incremental
    assert current_build() is None
    with build.running():
        assert current_build() is build
    assert current_build() is None


def test_the_generators_run_in_the_declared_order_whatever_the_plugins_order():
    from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

    from bilingual.bilingual import ListingsGenerator
    from discovery.discovery import DiscoveryGenerator
    from events.events import EventsGenerator
    from pictures.pictures import PicturesGenerator
    from search.search import SearchGenerator

    shuffled = [StaticGenerator, DiscoveryGenerator, SearchGenerator, ArticlesGenerator, EventsGenerator]
    shuffled += [PicturesGenerator, PagesGenerator, ListingsGenerator]
    ordered = [cls.__name__ for cls in sorted(shuffled, key=generator_position)]
    assert ordered == ["ArticlesGenerator", "PagesGenerator", *GENERATOR_ORDER, "StaticGenerator"]


def test_one_markdown_reader_assembled_from_the_enabled_plugins_parts_whatever_their_order():
    import pictures.pictures
    from content_format.reader import reader_parts
    from pictures.reader import PicturesPart

    pictures.pictures.register()
    assert reader_parts({"PLUGINS": ["pictures", "content_format"]}) == [PicturesPart]
    assert reader_parts({"PLUGINS": ["content_format", "pictures"]}) == [PicturesPart]
    assert reader_parts({"PLUGINS": ["content_format"]}) == []


def test_the_content_checks_of_enabled_plugins_run_in_the_build_and_in_invoke_check():
    from content_format.checks.tree import CONTENT_CHECKS, add_content_check, plugin_checks

    def check(root, settings):
        return []

    add_content_check("a_plugin", check)
    try:
        assert check in plugin_checks({"PLUGINS": ["a_plugin"]})
        assert check not in plugin_checks({"PLUGINS": ["another"]}) + plugin_checks(None)
    finally:
        del CONTENT_CHECKS["a_plugin"]


def test_the_collector_is_tuned_once_however_many_pelicans_register_the_plugin():
    """Pelican registers the plugins for every build it makes: one exit handler, not one a build."""
    script = """
import gc, sys
sys.path.insert(0, "plugins")
gc.freeze = lambda: print("frozen at exit")  # stands in for the real one, to count the calls
from build_core.collector import BUILD_THRESHOLDS, tune_for_builds
for _ in range(5):
    tune_for_builds()
print(gc.get_threshold() == BUILD_THRESHOLDS)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["True", "frozen at exit"]
