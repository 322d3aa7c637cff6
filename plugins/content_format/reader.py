"""Read a story's Markdown and take its slug, language, section and day from where it lives."""

import datetime as dt
import os
from collections.abc import Callable, Iterable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

from build_core.pelican_seam import MARKDOWN_META, parse_metadata

from .checks.header import Header, parse_datetime, read_header
from .checks.problems import Problem
from .inline import SkippingInline
from .layout import parse_source_path
from .safety import sanitizer
from .text import first_paragraph

# The priority of the header (Title: …) reader of Markdown's meta extension: ours takes its place
# (and name, MARKDOWN_META), so that the build reads the header exactly as the checks did.
META_PRIORITY = 27


def is_local_reference(url: str) -> bool:
    """Tell whether a link or picture points at a file in the story folder."""
    return bool(url) and not url.startswith(("/", "#", "{")) and "://" not in url and ":" not in url


def story_file_link(tag: str, attribute: str, value: str) -> str:
    """Mark a reference to a file in the story folder for Pelican to resolve and publish."""
    if (tag, attribute) not in {("img", "src"), ("a", "href")} or not is_local_reference(value):
        return value
    return ("{filename}" if value.split("#")[0].endswith(".md") else "{static}") + value


def site_link_filter(site_url: str):
    """Return a sanitizer filter that marks story-folder files and puts SITEURL before /site/paths."""

    def rewrite(tag: str, attribute: str, value: str) -> str:
        value = story_file_link(tag, attribute, value)
        if attribute in ("href", "src") and value.startswith("/") and not value.startswith("//"):
            # Editors write site addresses from the root (/ru/news/…); the site may live below a path.
            return site_url.rstrip("/") + value
        return value

    return rewrite


class _StoryFolderFiles(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            for attribute in ("src", "href"):
                if attribute in element.attrib:
                    element.set(attribute, story_file_link(element.tag, attribute, element.get(attribute)))


class HeaderLines(Preprocessor):
    """Drop the file's metadata lines, as read_header found them, before the body is converted.

    Markdown's own meta preprocessor reads the header by other rules (indented keys, `---` lines,
    repeated keys as lists); the checks' reading is the only one, so what passed them is what is built.
    """

    def __init__(self, md: Markdown):
        super().__init__(md)
        self.header = Header({}, 1)

    def run(self, lines: list[str]) -> list[str]:
        # Markdown's NormalizeWhitespace keeps one line per line of the file (CR LF and CR made LF).
        return lines[self.header.body_start - 1 :]


class StoryFolderFiles(Extension):
    """Let editors write ![alt](photo.jpg) or [programme](programme.pdf) for a file beside the text."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_StoryFolderFiles(md), "story_folder_files", 0)


LinkFilter = Callable[[str, str, str], str]


class ReaderPart:
    """A plugin's part of the story reader: hooks StoryReader calls at fixed points of reading a file.

    One part is made per reader (so per worker process) with the build's settings, and serves every
    file that reader reads. Each hook does nothing here; a part overrides those it needs.
    """

    def __init__(self, settings: dict):
        self.settings = settings

    def markdown_extensions(self) -> list[Extension]:
        """Return the Markdown extensions this part adds, made once per reader."""
        return []

    def start_file(self, source_path: str, text: str, header: Header) -> None:
        """Forget the last file: the next conversion is of this file's text, with this header."""

    def before_summary(self) -> None:
        """Note that what is converted from here on is the Summary, not the body."""

    def link_filter(self, source_path: str, next_filter: LinkFilter) -> LinkFilter:
        """Return the filter for one file's links and picture addresses, handing on to next_filter."""
        return next_filter

    def after_reading(self, source_path: str, content: str, metadata: dict) -> list[Problem]:
        """Add to a file's metadata once it is read; return the content problems found reading it."""
        return []


# The reader parts plugins add (pictures'), by plugin name. StoryReader is the only Markdown reader:
# it assembles the parts of the plugins the settings enable, in READER_PART_ORDER, so neither the
# order of PLUGINS nor the order of registering decides the order the parts run in.
READER_PARTS: dict[str, type[ReaderPart]] = {}

# The order the parts run in at each hook: the first one's link filter sees a value first, and its
# after_reading runs first. A part not named here runs after these, by plugin name.
READER_PART_ORDER: tuple[str, ...] = ("pictures",)


def add_reader_part(plugin: str, part: type[ReaderPart]) -> None:
    """Have StoryReader use part whenever the settings enable plugin (registering again replaces it)."""
    READER_PARTS[plugin] = part


def reader_part_position(plugin: str) -> tuple[int, str]:
    """Return where a plugin's reader part runs: by READER_PART_ORDER, then by name."""
    order = READER_PART_ORDER.index(plugin) if plugin in READER_PART_ORDER else len(READER_PART_ORDER)
    return order, plugin


def reader_parts(settings: dict) -> list[type[ReaderPart]]:
    """Return the reader parts of the plugins these settings enable, in the order they run."""
    enabled = set(settings.get("PLUGINS") or ())
    return [
        READER_PARTS[plugin] for plugin in sorted(READER_PARTS.keys() & enabled, key=reader_part_position)
    ]


def stop_on_problems(problems: list[Problem]) -> None:
    """Stop the build as content checks do when reading found problems (see content_format.stop_build)."""
    # content_format.py imports this module to install the reader: its stop_build is imported here.
    from .content_format import stop_build

    stop_build(problems)


class StoryReader(MarkdownReader):
    """The one Markdown reader: Pelican's, with metadata from the content layout (see PRODUCT.md).

    Plugins add to it through reader parts (add_reader_part), never by replacing it. One Markdown
    object serves every file the reader reads (making one costs more than converting a story): its
    extensions are made once and take what belongs to one file from the parts' `start_file`.
    """

    def __init__(self, settings: dict, parts: Iterable[type[ReaderPart]] | None = None):
        """Assemble the reader from parts: by default those of the plugins the settings enable."""
        super().__init__(settings)
        self.parts = [part(settings) for part in (reader_parts(settings) if parts is None else parts)]
        self._markdown: Markdown | None = None
        # One sanitizer too; its attribute filter hands each attribute to the file's link filter.
        self._links: LinkFilter = lambda tag, attribute, value: value
        self._sanitizer = sanitizer(lambda tag, attribute, value: self._links(tag, attribute, value))

    def markdown_extensions(self) -> list[Extension]:
        """Return the Markdown extensions beside those in the MARKDOWN setting, made once per reader."""
        return [
            SkippingInline(),
            StoryFolderFiles(),
            *(e for p in self.parts for e in p.markdown_extensions()),
        ]

    def link_filter(self, source_path: str) -> LinkFilter:
        """Return the sanitizer's filter for one file's links: the parts' filters, in order, then ours."""
        links = site_link_filter(self.settings["SITEURL"])
        for part in reversed(self.parts):
            links = part.link_filter(source_path, links)
        return links

    def markdown(self) -> Markdown:
        """Return the reader's Markdown object, reset for a new file."""
        if self._markdown is None:
            config = dict(self.settings["MARKDOWN"])
            config["extensions"] = [*config.get("extensions", []), *self.markdown_extensions()]
            self._markdown = Markdown(**config)
            self._header_reader = HeaderLines(self._markdown)
        # Pelican's metadata parsing removes the header reader before it formats a Summary.
        self._markdown.preprocessors.register(self._header_reader, MARKDOWN_META, META_PRIORITY)
        return self._markdown.reset()

    def process_metadata(self, name, value):
        """Read Date and Modified as the checks do (Pelican's own parser would take almost any text)."""
        if name in ("date", "modified"):
            moment = parse_datetime(value)
            return SafeDatetime(moment.year, moment.month, moment.day, moment.hour, moment.minute)
        return super().process_metadata(name, value)

    def read(self, source_path):
        self._source_path = source_path
        md = self.markdown()
        with pelican_open(source_path) as text:
            header = self._header_reader.header = read_header(text)
            for part in self.parts:
                part.start_file(source_path, text, header)
            html = md.convert(text)
        self._links = self.link_filter(source_path)
        # Pasted raw HTML is not in Markdown's tree: the sanitizer marks its files too.
        content = self._sanitizer.clean(html)
        for part in self.parts:
            part.before_summary()
        # One value per key, the first of a repeated one (the checks refuse repeats): never a list.
        metadata = parse_metadata(self, md, {key: [field.value] for key, field in header.fields.items()})
        if "summary" in metadata:
            metadata["summary"] = self._sanitizer.clean(metadata["summary"])
        else:
            # Listings and feeds show the first paragraph's text: never its pictures (PRODUCT.md).
            metadata["summary"] = first_paragraph(content)
        # Pelican would set a draft aside before our plugins see it; the schedule plugin decides what
        # a draft is: left out of published builds, shown and marked in previews.
        metadata["draft"] = str(metadata.pop("status", "")).lower() == "draft"

        relative = os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        source = parse_source_path(relative)
        metadata.update(
            slug=source.slug,
            lang=source.lang,
            section=source.section,
            translation_key=source.translation_key,
            story_folder=source.folder,
        )
        if source.day and "date" not in metadata:
            # No Date: the folder's day at 00:00 in Asia/Almaty (Pelican adds the zone).
            metadata["date"] = dt.datetime.combine(source.day, dt.time())
        # The plugins' parts add what they read (pictures); their problems stop the build as checks do.
        problems = [
            problem for part in self.parts for problem in part.after_reading(source_path, content, metadata)
        ]
        if problems:
            stop_on_problems(problems)
        return content, metadata
