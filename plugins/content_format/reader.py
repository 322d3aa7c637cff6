"""Read a story's Markdown and take its slug, language, section and day from where it lives."""

import datetime as dt
import os
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

from build_core.pelican_seam import MARKDOWN_META, parse_metadata

from .checks.header import Header, parse_datetime, read_header
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


class StoryReader(MarkdownReader):
    """Pelican's Markdown reader, with metadata from the content layout (see PRODUCT.md).

    One Markdown object serves every file the reader reads (making one costs more than converting
    a story): its extensions are made once and take what belongs to one file from `start_file`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._markdown: Markdown | None = None
        # One sanitizer too; its attribute filter hands each attribute to the file's link filter.
        self._links: Callable[[str, str, str], str] = lambda tag, attribute, value: value
        self._sanitizer = sanitizer(lambda tag, attribute, value: self._links(tag, attribute, value))

    def markdown_extensions(self) -> list[Extension]:
        """Return the Markdown extensions beside those in the MARKDOWN setting, made once per reader."""
        return [SkippingInline(), StoryFolderFiles()]

    def start_file(self, source_path: str, text: str) -> None:
        """Prepare the extensions for one file's text, before it is converted."""

    def link_filter(self, source_path: str) -> Callable[[str, str, str], str]:
        """Return the sanitizer's filter for one file's links and picture addresses."""
        return site_link_filter(self.settings["SITEURL"])

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

    def before_summary(self) -> None:
        """Note that what is converted from here on is the Summary, not the body."""

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
            self.start_file(source_path, text)
            html = md.convert(text)
        self._links = self.link_filter(source_path)
        # Pasted raw HTML is not in Markdown's tree: the sanitizer marks its files too.
        content = self._sanitizer.clean(html)
        # One value per key, the first of a repeated one (the checks refuse repeats): never a list.
        self.before_summary()
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
        return content, metadata


# The reader a plugin puts in place of StoryReader (pictures' PictureReader, a subclass that plans
# the pictures), by plugin name. content_format alone sets Pelican's Markdown reader, from here: the
# order of PLUGINS does not decide which reader runs.
READER_CLASSES: dict[str, type[StoryReader]] = {}


def add_reader_class(plugin: str, cls: type[StoryReader]) -> None:
    """Have the build read Markdown with cls whenever the settings enable plugin."""
    READER_CLASSES[plugin] = cls


def story_reader_class(settings: dict) -> type[StoryReader]:
    """Return the one Markdown reader for these settings: StoryReader, or the enabled plugin's subclass."""
    enabled = set(settings.get("PLUGINS") or ())
    chosen = [cls for plugin, cls in READER_CLASSES.items() if plugin in enabled]
    if len(chosen) > 1:  # two subclasses cannot both be the reader: say so rather than pick one
        names = ", ".join(sorted(cls.__name__ for cls in chosen))
        raise TypeError(f"more than one plugin replaces the Markdown reader: {names}")
    return chosen[0] if chosen else StoryReader
