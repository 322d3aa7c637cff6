"""The build's one walk of the content folder answers as Pelican's own walks would."""

import contextlib
import os
from pathlib import Path

import pytest
from pelican import signals
from pelican.generators import ArticlesGenerator, StaticGenerator
from pelican.settings import DEFAULT_CONFIG

from build_core.core import Build, markdown_files
from build_core.pelican_seam import list_files_from
from build_core.tree import ContentTree


def write(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Title: x\n\ntext\n", encoding="utf-8")


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    write(
        root,
        "news/2025/2025-04-01-tram/ru.md",
        "news/2025/2025-04-01-tram/kk.md",
        "news/2025/2025-04-01-tram/photo.jpg",
        "news/2025/drafts/old.md",
        "events/2025/2025-05-02-fair/kk.md",
        "events/.#kk.md",
        "pages/about/ru.md",
        "pages/about/.git/config",
        "extra/robots.txt",
        "favicon.ico",
    )
    return root


def generator(cls, root: Path, tmp_path: Path):
    """A Pelican generator of the folder, made without the plugins that other tests connected."""
    config = {**DEFAULT_CONFIG, "PATH": str(root), "IGNORE_FILES": [".#*", ".git"]}
    context = {"generated_content": {}, "static_content": {}, "static_links": set()}
    quiet = ("generator_init", "readers_init", "article_generator_init", "static_generator_init")
    with contextlib.ExitStack() as muted:
        for name in quiet:
            muted.enter_context(getattr(signals, name).muted())
        return cls(
            context=context,
            settings=config,
            path=str(root),
            theme=config["THEME"],
            output_path=str(tmp_path / "out"),
        )


def walked_files(generator, tree: ContentTree):
    """Return the generator's get_files as the build makes it answer from tree (Pelican's own is kept)."""
    own = generator.get_files
    list_files_from(generator, tree)
    walked, generator.get_files = generator.get_files, own
    return walked


@pytest.mark.parametrize(
    ("paths", "exclude", "extensions"),
    [
        ([""], ["pages"], None),
        (["news", "events"], ["news/2025/drafts"], None),
        ("news", [], False),
        ([""], [], ["jpg", "txt"]),
        (["extra/robots.txt", "missing", "pages"], None, False),
    ],
)
def test_generator_files_as_pelican_finds_them(content, tmp_path, paths, exclude, extensions):
    for cls in (ArticlesGenerator, StaticGenerator):
        made = generator(cls, content, tmp_path)
        walked = walked_files(made, ContentTree(str(content)))
        assert walked(paths, exclude=exclude, extensions=extensions) == made.get_files(
            paths, exclude=exclude, extensions=extensions
        )


def test_folder_made_after_the_walk_is_walked_again(content, tmp_path):
    made = generator(ArticlesGenerator, content, tmp_path)
    walked = walked_files(made, ContentTree(str(content)))
    write(content, "later/2026/ru.md")
    assert walked(["later"]) == {os.path.join("later", "2026", "ru.md")}
    # Folders the walk saw answer as they were at the start of the build.
    write(content, "news/2025/2025-04-01-tram/new.md")
    assert os.path.join("news", "2025", "2025-04-01-tram", "new.md") not in walked(["news"])


def test_markdown_files_from_the_walk_and_without_a_build(content):
    expected = sorted(p for p in content.rglob("*.md") if p.is_file())
    assert markdown_files(content) == expected
    settings = {"PATH": str(content), "PLUGIN_PATHS": [], "THEME": ""}
    build = Build(settings, content.parent / "output", content.parent / "staging")
    with build.running():
        assert markdown_files(content) == expected
        assert build._tree is not None  # the build's one walk answered
    assert sorted(build.tree.files()) == sorted(
        p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file()
    )


def test_generators_never_get_a_file_through_a_link(content, tmp_path):
    secret = tmp_path / "elsewhere"
    secret.mkdir()
    (secret / "ru.md").write_text("Title: secret\n\ntext\n", encoding="utf-8")
    (content / "news/2025/2025-04-02-linked").symlink_to(secret)
    (content / "news/2025/2025-04-01-tram/env.txt").symlink_to("/proc/self/environ")
    for cls in (ArticlesGenerator, StaticGenerator):
        made = generator(cls, content, tmp_path)
        walked = walked_files(made, ContentTree(str(content)))
        # Pelican's own walk follows links; the build's never does, even when asked for the link itself.
        assert os.path.join("news", "2025", "2025-04-02-linked", "ru.md") in made.get_files(["news"])
        found = walked(
            ["news", "news/2025/2025-04-02-linked", "news/2025/2025-04-01-tram/env.txt"], extensions=False
        )
        assert not [name for name in found if "linked" in name or "env.txt" in name]
        assert os.path.join("news", "2025", "2025-04-01-tram", "ru.md") in found
