"""Read a story's Markdown and take its slug, language, section and day from where it lives."""

import datetime as dt
import os
from collections.abc import Callable

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .layout import parse_source_path
from .safety import clean_html


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


class StoryFolderFiles(Extension):
    """Let editors write ![alt](photo.jpg) or [programme](programme.pdf) for a file beside the text."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_StoryFolderFiles(md), "story_folder_files", 0)


class StoryReader(MarkdownReader):
    """Pelican's Markdown reader, with metadata from the content layout (see PRODUCT.md)."""

    def markdown_extensions(self, source_path: str) -> list[Extension]:
        """Return the Markdown extensions for one file, beside those in the MARKDOWN setting."""
        return [StoryFolderFiles()]

    def link_filter(self, source_path: str) -> Callable[[str, str, str], str]:
        """Return the sanitizer's filter for one file's links and picture addresses."""
        return site_link_filter(self.settings["SITEURL"])

    def read(self, source_path):
        self._source_path = source_path
        config = dict(self.settings["MARKDOWN"])
        config["extensions"] = [*config.get("extensions", []), *self.markdown_extensions(source_path)]
        self._md = Markdown(**config)
        links = self.link_filter(source_path)
        with pelican_open(source_path) as text:
            # Pasted raw HTML is not in Markdown's tree: the sanitizer marks its files too.
            content = clean_html(self._md.convert(text), links)
        metadata = self._parse_metadata(getattr(self._md, "Meta", {}))
        if "summary" in metadata:
            metadata["summary"] = clean_html(metadata["summary"], links)

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
