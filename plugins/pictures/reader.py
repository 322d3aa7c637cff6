"""The story reader's pictures part: body pictures become <picture> markup, covers get their renditions."""

import dataclasses
from pathlib import Path

from content_format.checks import Problem, shown, text_lines
from content_format.checks.header import Header
from content_format.reader import LinkFilter, ReaderPart, is_local_reference

from .credits import credit_line, credit_prefix
from .geometry import MIME_TYPES
from .markup import StoryPictures
from .options import options_of
from .plan import PictureUse, Planner, PublishedPicture
from .processing import Store, is_picture_file
from .references import PictureError, resolve

STATIC = "{static}"


def line_of(text: str, target: str, after: int = 0) -> int:
    """Return the number of the first line past `after` that mentions a picture's target."""
    for number, line in enumerate(text_lines(text)[after:], start=after + 1):
        if target and target in line:
            return number
    return after + 1


class PicturesPart(ReaderPart):
    """Plan every picture a story or page shows as it is read; see pictures.markup and pictures.plan."""

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.planner = Planner(options_of(settings))
        self._pictures: StoryPictures | None = None
        self._uses: list[PictureUse] = []
        self._folder = Path()
        self._summary_marks = (0, 0)
        self._credit_prefixes: dict[str, str] = {}
        self._credit_prefix = ""

    def _plan_body_picture(self, target: str, alt: str, credit: str = ""):
        source = self.planner.source(resolve(self._folder, target))
        rendition = self.planner.story(source, alt)
        self._uses.append(PictureUse(source, rendition.all_derivatives(), target, 0, alt=alt, credit=credit))
        return rendition

    def markdown_extensions(self) -> list:
        self._pictures = StoryPictures(
            self._plan_body_picture, self.settings["SITEURL"], self.planner.options.gallery_sizes
        )
        return [self._pictures]

    def credit_prefix(self, source_path: str) -> str:
        """Return «Фото:» in the language of a file (named ru.md or kk.md), from the theme's catalogs."""
        lang = Path(source_path).stem
        if lang not in self.settings.get("LANGUAGES", ()):
            lang = self.settings["DEFAULT_LANG"]
        if lang not in self._credit_prefixes:
            self._credit_prefixes[lang] = credit_prefix(self.settings, lang)
        return self._credit_prefixes[lang]

    def start_file(self, source_path: str, text: str, header: Header) -> None:
        self._folder = Path(source_path).parent
        self._text = text
        self._header, self._body_start = header.fields, header.body_start
        self._uses = []
        self._credit_prefix = self.credit_prefix(source_path)
        self._pictures.start(
            has_cover=bool(self._header.get("image") and self._header["image"].value),
            credit_prefix=self._credit_prefix,
        )

    def before_summary(self) -> None:
        # The Summary is the only metadata converted as Markdown: pictures planned from here on are its.
        self._summary_marks = (len(self._uses), len(self._pictures.problems))

    def link_filter(self, source_path: str, next_filter: LinkFilter) -> LinkFilter:
        """Point pasted <img> tags and links to pictures at derivatives (camera files are not published)."""
        folder = Path(source_path).parent
        base = self.settings["SITEURL"]

        def rewrite(tag: str, attribute: str, value: str) -> str:
            linked = value.removeprefix(STATIC)  # content_format marked it as a file beside the text
            try:
                if (tag, attribute) == ("img", "src") and is_local_reference(value):
                    return self._plan_body_picture(value, "").src(base)
                if (
                    (tag, attribute) == ("a", "href")
                    and is_local_reference(linked)
                    and is_picture_file(folder / linked)
                ):
                    # "The photo in full": the widest derivative, in JPEG (or PNG).
                    rendition = self._plan_body_picture(linked, "")
                    return rendition.url(rendition.fallback[-1], base)
            except PictureError as problem:
                self._pictures.problems.append((linked, problem.about(linked)))
                return value
            return next_filter(tag, attribute, value)

        return rewrite

    def _plan_cover(self, source, cover, metadata: dict) -> PictureUse:
        """Plan the cover's story and card renditions and its full-size picture into metadata."""
        alt = str(metadata.get("image_alt", ""))
        metadata["cover"] = self.planner.story(source, alt)
        metadata["card"] = self.planner.card(source, alt)
        # The published full-size picture: the widest story derivative in JPEG (PNG).
        widest = metadata["cover"].fallback[-1]
        metadata["cover_picture"] = PublishedPicture(
            f"{self.planner.options.url_folder}/{widest.name}",
            MIME_TYPES[widest.format],
            widest.width,
            widest.height,
            str(Store(self.planner.options.cache_path).path(widest)),
        )
        credit = credit_line(str(metadata.get("image_credit", "")), self._credit_prefix)
        if credit:
            metadata["cover_credit"] = credit
        made = metadata["cover"].all_derivatives() + metadata["card"].all_derivatives()
        return PictureUse(source, made, cover.value, cover.line, cover=True, alt=alt, credit=credit)

    def _share_first_picture(self, uses: list[PictureUse], metadata: dict) -> None:
        """Have shared links show the cover, or else the text's first picture, with its alt and credit."""
        shared = uses[0]
        og = self.planner.open_graph(shared.source)
        uses[0] = dataclasses.replace(shared, derivatives=(*shared.derivatives, og))
        metadata.update(
            og_image=f"{self.planner.options.url_folder}/{og.name}",
            og_image_width=og.width,
            og_image_height=og.height,
            og_image_alt=shared.alt,
            og_image_credit=shared.credit,
        )

    def after_reading(self, source_path: str, content: str, metadata: dict) -> list[Problem]:
        """Plan the cover and the Open Graph picture; list the file's pictures and galleries in metadata."""
        after = self._body_start - 1
        summary = self._header.get("summary")
        uses_in_body, problems_in_body = self._summary_marks

        def line(target: str, index: int, first_of_summary: int) -> int:
            if summary and index >= first_of_summary:
                return summary.line
            return line_of(self._text, target, after)

        shown_path = shown(Path(source_path))
        problems = [
            Problem(shown_path, line(target, index, problems_in_body), message)
            for index, (target, message) in enumerate(self._pictures.problems)
        ]
        uses = [
            dataclasses.replace(u, line=line(u.reference, index, uses_in_body))
            for index, u in enumerate(self._uses)
        ]
        cover = self._header.get("image")
        if "image" in metadata and cover:
            try:
                source = self.planner.source(resolve(Path(source_path).parent, str(metadata["image"])))
            except PictureError as problem:
                problems.append(Problem(shown_path, cover.line, problem.about(cover.value)))
            else:
                uses.insert(0, self._plan_cover(source, cover, metadata))
        if any(problem.is_error for problem in problems):  # the build stops: nothing more to plan
            return problems
        if uses:
            self._share_first_picture(uses, metadata)
        metadata["pictures"] = uses
        if self._pictures.galleries:
            # The viewer (theme/templates/partials/gallery_viewer.html) is added only to these pages.
            metadata["gallery_counts"] = tuple(self._pictures.galleries)
        return problems
