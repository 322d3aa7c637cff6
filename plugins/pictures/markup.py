"""Write pictures as responsive <picture> markup while Markdown is converted (no HTML is re-parsed).

A picture alone in its paragraph with a credit (its Markdown title) becomes a `<figure>` with the
credit as `<figcaption>`; two or more pictures alone in one paragraph become a gallery: a grid of
thumbnails, each a link to the large picture, which theme/static/js/gallery.js opens in a viewer.
"""

import dataclasses
from collections.abc import Callable
from xml.etree import ElementTree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from content_format.checks.pictures import no_alt_text
from l10n.messages import Message

from .credits import credit_line
from .geometry import Rendition
from .references import PictureError, is_external

# Elements that may sit between the pictures of a gallery paragraph (a line break written as such).
_SEPARATORS = frozenset({"br"})


def picture_attributes(eager: bool) -> dict[str, str]:
    """Loading hints: the first picture of a page is its largest paint; the others wait for scrolling."""
    return {"fetchpriority": "high"} if eager else {"loading": "lazy", "decoding": "async"}


def picture_element(
    rendition: Rendition, base: str, eager: bool, title: str | None = None
) -> ElementTree.Element:
    """Build `<picture>`: the WebP `<source>` at every width, then the `<img>` naming the one fallback."""
    picture = ElementTree.Element("picture")
    for mime_type, srcset in rendition.sources(base):
        ElementTree.SubElement(
            picture, "source", {"type": mime_type, "srcset": srcset, "sizes": rendition.sizes}
        )
    # No srcset (so no sizes) on the <img>: a browser that reads WebP takes the <source>.
    img = {
        "src": rendition.src(base),
        "width": str(rendition.width),
        "height": str(rendition.height),
        "alt": rendition.alt,
    }
    if title:
        img["title"] = title
    ElementTree.SubElement(picture, "img", {**img, **picture_attributes(eager)})
    return picture


@dataclasses.dataclass
class Shown:
    """One picture of the text as it will be shown: its `<img>`, rendition, loading and credit line."""

    img: ElementTree.Element
    rendition: Rendition
    eager: bool
    credit: str  # as readers see it, "" without one


def figure_element(shown: Shown, base: str) -> ElementTree.Element:
    """Build `<figure>`: the picture with its credit under it."""
    figure = ElementTree.Element("figure", {"class": "story__figure"})
    figure.append(picture_element(shown.rendition, base, shown.eager))
    ElementTree.SubElement(figure, "figcaption", {"class": "credit"}).text = shown.credit
    return figure


def gallery_element(pictures: list[Shown], base: str, sizes: str) -> ElementTree.Element:
    """Build a gallery: thumbnails linking to the widest picture, credits under them (once if shared)."""
    gallery = ElementTree.Element("figure", {"class": "gallery"})
    grid = ElementTree.SubElement(gallery, "ul", {"class": "gallery__grid"})
    credits = {shown.credit for shown in pictures}
    shared = credits.pop() if len(credits) == 1 else ""
    for shown in pictures:
        item = ElementTree.SubElement(grid, "li", {"class": "gallery__item"})
        widest = shown.rendition.url(shown.rendition.widest, base)
        link = ElementTree.SubElement(item, "a", {"class": "gallery__link", "href": widest})
        thumbnail = dataclasses.replace(shown.rendition, sizes=sizes)
        link.append(picture_element(thumbnail, base, shown.eager))
        if shown.credit and not shared:
            ElementTree.SubElement(item, "span", {"class": "credit"}).text = shown.credit
    if shared:
        ElementTree.SubElement(gallery, "figcaption", {"class": "credit"}).text = shared
    return gallery


def pictures_alone(paragraph: ElementTree.Element, shown: dict) -> list[Shown] | None:
    """Return the pictures of a paragraph that holds nothing else (no text), or None."""
    if (paragraph.text or "").strip():
        return None
    found = []
    for child in paragraph:
        if (child.tail or "").strip():
            return None
        if child.tag in _SEPARATORS:
            continue
        if child not in shown:
            return None
        found.append(shown[child])
    return found or None


class _Pictures(Treeprocessor):
    def __init__(self, md, extension: "StoryPictures"):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        extension = self.extension
        parents = {child: parent for parent in root.iter() for child in parent}
        shown: dict[ElementTree.Element, Shown] = {}
        for img in list(root.iter("img")):  # document order: the first one is fetched first
            made = extension.plan_shown(img)
            if made:
                shown[img] = made
        for paragraph in [p for p in root.iter("p") if p in parents]:
            alone = pictures_alone(paragraph, shown)
            if alone and (len(alone) > 1 or alone[0].credit):
                if len(alone) > 1:
                    block = gallery_element(alone, extension.base, extension.gallery_sizes)
                    extension.galleries.append(len(alone))
                else:
                    block = figure_element(alone[0], extension.base)
                block.tail = paragraph.tail
                parent = parents[paragraph]
                parent.insert(list(parent).index(paragraph), block)
                parent.remove(paragraph)
                for one in alone:
                    del shown[one.img]
        for img, one in shown.items():
            replacement = picture_element(one.rendition, extension.base, one.eager, one.credit or None)
            parent = parents[img]
            replacement.tail = img.tail
            index = list(parent).index(img)
            parent.remove(img)
            parent.insert(index, replacement)


class StoryPictures(Extension):
    """Turn each ![alt](file "credit") of a story into `<picture>` markup, planned by `plan`.

    Problems (no alt text, a file that is missing, outside the folder or no picture) are collected
    as (target, message) in `problems` for the reader to report with line numbers.
    """

    def __init__(self, plan: Callable[[str, str, str], Rendition], base: str, gallery_sizes: str):
        super().__init__()
        self.plan = plan
        self.base = base
        self.gallery_sizes = gallery_sizes
        self.start(has_cover=False, credit_prefix="")

    def start(self, has_cover: bool, credit_prefix: str) -> None:
        """Forget the last story's pictures: the next conversion is another story's."""
        self.eager_left = not has_cover  # the cover, when there is one, is the page's first picture
        self.credit_prefix = credit_prefix
        self.problems: list[tuple[str, Message]] = []
        self.galleries: list[int] = []  # how many pictures each gallery shows

    def plan_shown(self, img: ElementTree.Element) -> Shown | None:
        """Plan one `<img>` of the text; None to leave it as it is (a problem is noted, or it is external)."""
        target, alt = img.get("src", ""), img.get("alt", "")
        if not alt.strip():
            self.problems.append((target, no_alt_text(target)))
            return None
        if is_external(target):
            return None
        credit = credit_line(img.get("title") or "", self.credit_prefix)
        try:
            rendition = self.plan(target, alt, credit)
        except PictureError as problem:
            self.problems.append((target, problem.about(target)))
            return None
        eager, self.eager_left = self.eager_left, False
        return Shown(img, rendition, eager, credit)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        # After the inline patterns have made the <img> elements (priority 20); before the
        # unescaping of placeholders (0), so alt text written with escapes comes out right.
        md.treeprocessors.register(_Pictures(md, self), "story_pictures", 5)
