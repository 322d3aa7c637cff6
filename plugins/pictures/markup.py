"""Write pictures as responsive <picture> markup while Markdown is converted (no HTML is re-parsed)."""

from collections.abc import Callable
from xml.etree import ElementTree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .geometry import Rendition
from .references import PictureError, is_external, no_alt


def picture_attributes(eager: bool) -> dict[str, str]:
    """Loading hints: the first picture of a page is its largest paint; the others wait for scrolling."""
    return {"fetchpriority": "high"} if eager else {"loading": "lazy", "decoding": "async"}


def picture_element(
    rendition: Rendition, base: str, eager: bool, title: str | None = None
) -> ElementTree.Element:
    """Build `<picture>`: a `<source>` per better format, then the `<img>` every browser understands."""
    picture = ElementTree.Element("picture")
    for mime_type, srcset in rendition.sources(base):
        ElementTree.SubElement(
            picture, "source", {"type": mime_type, "srcset": srcset, "sizes": rendition.sizes}
        )
    img = {
        "src": rendition.src(base),
        "srcset": rendition.srcset(base),
        "sizes": rendition.sizes,
        "width": str(rendition.width),
        "height": str(rendition.height),
        "alt": rendition.alt,
    }
    if title:
        img["title"] = title
    ElementTree.SubElement(picture, "img", {**img, **picture_attributes(eager)})
    return picture


class _Pictures(Treeprocessor):
    def __init__(self, md, extension: "StoryPictures"):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in [element for element in root.iter("img")]:
            replacement = self.extension.replace(img.get("src", ""), img.get("alt", ""), img.get("title"))
            if replacement is None:
                continue
            parent = parents[img]
            replacement.tail = img.tail
            index = list(parent).index(img)
            parent.remove(img)
            parent.insert(index, replacement)


class StoryPictures(Extension):
    """Turn each ![alt](file) of a story into `<picture>` markup, planned by `plan(target, alt)`.

    Problems (no alt text, a file that is missing, outside the folder or no picture) are collected
    as (target, message) in `problems` for the reader to report with line numbers.
    """

    def __init__(self, plan: Callable[[str, str], Rendition], base: str):
        super().__init__()
        self.plan = plan
        self.base = base
        self.start(has_cover=False)

    def start(self, has_cover: bool) -> None:
        """Forget the last story's pictures: the next conversion is another story's."""
        self.eager_left = not has_cover  # the cover, when there is one, is the page's first picture
        self.problems: list[tuple[str, str]] = []

    def replace(self, target: str, alt: str, title: str | None) -> ElementTree.Element | None:
        """Return the `<picture>` for one image, or None to leave it as it is."""
        if not alt.strip():
            self.problems.append((target, no_alt(target)))
            return None
        if is_external(target):
            return None
        try:
            rendition = self.plan(target, alt)
        except PictureError as problem:
            self.problems.append((target, str(problem)))
            return None
        eager, self.eager_left = self.eager_left, False
        return picture_element(rendition, self.base, eager, title)

    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API name)
        # After the inline patterns have made the <img> elements (priority 20); before the
        # unescaping of placeholders (0), so alt text written with escapes comes out right.
        md.treeprocessors.register(_Pictures(md, self), "story_pictures", 5)
