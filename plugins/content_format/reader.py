"""Read a story's Markdown and take its slug, language, section and day from where it lives."""

import datetime as dt
import os

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .layout import parse_source_path


def is_local_reference(url: str) -> bool:
    """Tell whether a link or picture points at a file in the story folder."""
    return bool(url) and not url.startswith(("/", "#", "{")) and "://" not in url and ":" not in url


class _StoryFolderPictures(Treeprocessor):
    def run(self, root):
        for image in root.iter("img"):
            src = image.get("src", "")
            if is_local_reference(src):
                # Pelican resolves {static} against the story folder and publishes the file.
                image.set("src", "{static}" + src)


class StoryFolderPictures(Extension):
    """Let editors write ![alt](photo.jpg) for a picture beside the text."""

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        md.treeprocessors.register(_StoryFolderPictures(md), "story_folder_pictures", 0)


class StoryReader(MarkdownReader):
    """Pelican's Markdown reader, with metadata from the content layout (see PRODUCT.md)."""

    def read(self, source_path):
        self._source_path = source_path
        config = dict(self.settings["MARKDOWN"])
        config["extensions"] = [*config.get("extensions", []), StoryFolderPictures()]
        self._md = Markdown(**config)
        with pelican_open(source_path) as text:
            content = self._md.convert(text)
        metadata = self._parse_metadata(getattr(self._md, "Meta", {}))

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
