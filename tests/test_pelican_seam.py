"""The Pelican, Markdown and rich behaviour build_core.pelican_seam relies on, pinned.

Each test names the seam function whose assumption it checks: an upgrade that changes one fails
here, not silently in a build (caching off, a duplicate write let through). See docs/upgrading.md.
"""

import contextlib
import inspect
import re
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from jinja2 import Environment
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator, Generator
from pelican.log import console
from pelican.readers import MarkdownReader, Readers
from pelican.settings import DEFAULT_CONFIG
from pelican.writers import FileOverwriteFailedError, Writer

from build_core import pelican_seam as seam
from content_format.inline import needles_of

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ("plugins", "tasks.py", "publishing", "editing", "bench", "tools")
# The internals only the seam may name (the list, and what the seam found besides).
PRIVATE_NAMES = (
    "_get_writer",
    "_written_files",
    "_overridden_files",
    "get_cached_data",
    "cache_data",
    "_filter_discardable_metadata",
    "_include_path",
    "_get_generator_classes",
    "generate_tags",
    "generate_categories",
    "generate_authors",
    "_parse_metadata",
    "_md",
    "__handleInline",
    "__applyPattern",
    "_open_w",
    "_render_hooks",
    "console.status",
    "pelican.utils.copy_file",
    "pelican.plugins._utils",
    "output_path =",
    ".run =",
)


def test_no_module_but_the_seam_names_a_pelican_or_markdown_internal():
    found = []
    for top in PLUGINS:
        paths = [ROOT / top] if top.endswith(".py") else sorted((ROOT / top).rglob("*.py"))
        for path in paths:
            if path.name == "pelican_seam.py":
                continue
            text = path.read_text(encoding="utf-8")
            for name in PRIVATE_NAMES:
                if re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text):
                    found.append(f"{path.relative_to(ROOT)}: {name}")
    assert found == []


def test_the_installed_versions_are_the_tested_ones():
    for package, tested in seam.TESTED_VERSIONS.items():
        assert metadata.version(package) in tested, package


def test_an_untested_version_stops_the_build_with_one_line(monkeypatch):
    monkeypatch.setattr(seam.metadata, "version", lambda package: "99.0")
    with pytest.raises(SystemExit) as stopped:
        seam.check_versions()
    line = str(stopped.value)
    assert "\n" not in line and "99.0" in line and "docs/upgrading.md" in line


def pelican_for(tmp_path, **settings) -> Pelican:
    config = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "OUTPUT_PATH": str(tmp_path / "out"), "PLUGINS": []}
    config.update(settings)
    with signals.initialized.muted():
        return Pelican(config)


def test_run_and_get_writer_are_instance_attributes_the_run_asks_once(tmp_path):
    # wrap_run, wrap_writers, write_into: Pelican.run asks self._get_writer() once, and hands
    # self.output_path to the generators and the writer.
    source = inspect.getsource(Pelican.run)
    assert source.count("self._get_writer()") == 1
    assert "output_path=self.output_path" in source
    made = pelican_for(tmp_path)
    seam.write_into(made, str(tmp_path / "staging"))
    prepared = []
    seam.wrap_writers(made, lambda writer: prepared.append(writer) or writer)
    assert made._get_writer().output_path == str(tmp_path / "staging") and len(prepared) == 1
    seen = []
    seam.wrap_run(made, lambda run: seen.append(run))
    made.run()
    assert len(seen) == 1 and callable(seen[0])


def test_generators_run_in_the_order_the_seam_sorts_them(tmp_path):
    # order_generators: _get_generator_classes lists the plugins' generators after Pelican's own.
    class Late(Generator):
        pass

    class Early(Generator):
        pass

    made = pelican_for(tmp_path)
    with signals.get_generators.connected_to(lambda pelican: [Late, Early]):
        order = {"Early": 0, "Late": 1, "StaticGenerator": 2}
        seam.order_generators(made, lambda cls: order.get(cls.__name__, -1))
        names = [cls.__name__ for cls in made._get_generator_classes()]
    assert names.index("Early") < names.index("Late")
    assert names[-1] == "StaticGenerator"


def test_a_noted_file_is_refused_as_a_second_write_until_forgotten(tmp_path):
    # note_written / already_written / forget_written: the writer's own bookkeeping of written files.
    writer = Writer(str(tmp_path), {**DEFAULT_CONFIG})
    page = Environment().from_string("{{ title }}")
    path = seam.output_file(writer, "a.html")
    assert path == str(tmp_path / "a.html") and not seam.already_written(writer, path)
    seam.note_written(writer, path, override=False)
    assert seam.already_written(writer, path)
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("a.html", page, {}, title="second")
    seam.forget_written(writer, path)
    writer.write_file("a.html", page, {}, title="first")
    assert (tmp_path / "a.html").read_text(encoding="utf-8") == "first"


def test_the_writer_opens_every_file_through_open_w(tmp_path):
    # name_write_failures: write_file opens its file with _open_w.
    writer = Writer(str(tmp_path), {**DEFAULT_CONFIG})
    opened = []

    def noting(open_to_write):
        @contextlib.contextmanager
        def opened_file(filename, *args, **kwargs):
            opened.append(filename)
            with open_to_write(filename, *args, **kwargs) as stream:
                yield stream

        return opened_file

    seam.name_write_failures(writer, noting)
    writer.write_file("b.html", Environment().from_string("x"), {})
    assert opened == [str(tmp_path / "b.html")]


def test_readers_ask_get_cached_data_before_reading(tmp_path):
    # take_reader_results: Readers.read_file asks get_cached_data(path) and reads only on None.
    (tmp_path / "a.md").write_text("Title: A\n\ntext\n", encoding="utf-8")
    with signals.readers_init.muted():  # without the plugins other tests connected
        readers = Readers({**DEFAULT_CONFIG, "PATH": str(tmp_path)})
    asked = []
    seam.take_reader_results(readers, lambda path, default=None: asked.append(path) or ("<p>kept</p>", {}))
    content = readers.read_file(str(tmp_path), "a.md", context={})
    assert asked == [str(tmp_path / "a.md")]
    assert content.content == "<p>kept</p>"


def test_generators_ask_their_cache_around_each_file():
    # take_generator_cache: ArticlesGenerator asks get_cached_data(name) and gives cache_data(name, story).
    source = inspect.getsource(ArticlesGenerator.generate_context)
    assert "self.get_cached_data(f, None)" in source and "self.cache_data(f, article)" in source


def test_discardable_metadata_is_left_out():
    from pelican.readers import _DISCARD

    assert seam.kept_metadata({"title": "A", "summary": _DISCARD}) == {"title": "A"}


def test_include_path_decides_by_extension_and_ignore_files(tmp_path):
    # include_path, generator_files: Pelican's rules for which files a generator lists.
    config = {**DEFAULT_CONFIG, "PATH": str(tmp_path), "IGNORE_FILES": [".#*"]}
    context = {"generated_content": {}, "static_content": {}, "static_links": set()}
    with signals.generator_init.muted(), signals.readers_init.muted(), signals.article_generator_init.muted():
        made = ArticlesGenerator(
            context=context,
            settings=config,
            path=str(tmp_path),
            theme=config["THEME"],
            output_path=str(tmp_path),
        )
    assert seam.include_path(made, "news/ru.md")
    assert not seam.include_path(made, "news/.#ru.md")
    assert not seam.include_path(made, "news/photo.jpg")
    assert seam.include_path(made, "news/photo.jpg", extensions=False)


def test_listing_pages_are_worked_out_by_three_methods_given_write():
    # skip_listing_pages: generate_pages calls each with the writer's write_file.
    source = inspect.getsource(ArticlesGenerator.generate_pages)
    for method in ("generate_tags", "generate_categories", "generate_authors"):
        assert f"self.{method}(write)" in source
    made = SimpleNamespace()
    seam.skip_listing_pages(made, {"TAG_SAVE_AS": "", "CATEGORY_SAVE_AS": "c/{slug}/", "AUTHOR_SAVE_AS": ""})
    assert made.generate_tags(None) is None and not hasattr(made, "generate_categories")


def test_parse_metadata_converts_the_summary_with_the_reader_s_markdown_and_drops_meta():
    # parse_metadata: MarkdownReader._parse_metadata converts FORMATTED_FIELDS with self._md.
    reader = MarkdownReader({**DEFAULT_CONFIG})
    md = markdown.Markdown(extensions=["markdown.extensions.meta"])
    assert seam.MARKDOWN_META in md.preprocessors
    metadata = seam.parse_metadata(reader, md, {"summary": ["*Short*"], "title": ["A"]})
    assert metadata["summary"] == "<p><em>Short</em></p>" and metadata["title"] == "A"
    assert seam.MARKDOWN_META not in md.preprocessors


@pytest.mark.parametrize(
    "text",
    ["plain words", "a *b* `c` [d](e) ![f](g.jpg) <span>h</span> &amp; i\\* j  \nk", "«quotes» and `x`"],
)
def test_the_skipping_inline_pass_gives_markdown_s_own_output(text):
    # SkippingInlineProcessor: InlineProcessor's private __handleInline / __applyPattern loop.
    assert hasattr(markdown.treeprocessors.InlineProcessor, "_InlineProcessor__handleInline")
    assert hasattr(markdown.treeprocessors.InlineProcessor, "_InlineProcessor__applyPattern")
    plain = markdown.Markdown(extensions=["extra"])
    skipping = markdown.Markdown(extensions=["extra"])
    skipping.treeprocessors.register(seam.SkippingInlineProcessor(skipping, needles_of), "inline", 20)
    assert skipping.convert(text) == plain.convert(text)


def test_pelican_s_console_status_and_render_hooks():
    # translate_status, has_render_hook, PELICAN_STATUS, PELICAN_DONE: Pelican's main and run.
    from pelican import main

    assert f'console.status("{seam.PELICAN_STATUS}")' in inspect.getsource(main)
    assert "Done: Processed" in inspect.getsource(Pelican.run)
    line = (
        "Done: Processed 2 articles, 0 drafts, 0 hidden articles, 1 page, 0 hidden pages "
        "and 0 draft pages in 0.12 seconds."
    )
    assert seam.PELICAN_DONE.fullmatch(line)
    assert isinstance(console._render_hooks, list)
    hook = object()
    assert not seam.has_render_hook(console, hook)


def test_registering_the_plugins_outside_a_build_names_them_as_a_build_does():
    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    listed = list(settings["PLUGINS"])
    seam.register_plugins(settings)
    assert settings["PLUGINS"] == listed  # names, each plugin loaded and registered
    assert all(isinstance(name, str) for name in settings["PLUGINS"])
