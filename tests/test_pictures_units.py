"""The pictures plugin's pure parts: geometry, names, markup data, references and settings."""

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pictures.geometry import (
    Operation,
    Rendition,
    centre_crop,
    derivative_key,
    derivatives,
    fallback_width,
    fit_widths,
    jpeg_decode_scale,
    upright_size,
)
from pictures.options import SettingsError, options_of
from pictures.plan import PictureSource, Planner
from pictures.processing import Probe
from pictures.references import PictureError, PictureReference, find_references, is_external, resolve

WIDTHS = (360, 720, 1080, 1440)


@pytest.mark.parametrize(
    ("source_width", "expected"),
    [
        (4000, [360, 720, 1080, 1440]),
        (1441, [360, 720, 1080, 1440]),
        (1440, [360, 720, 1080, 1440]),
        (1000, [360, 720, 1000]),
        (760, [360, 760]),  # 720 is within 10% of 760: a near duplicate
        (370, [370]),
        (100, [100]),
    ],
)
def test_fit_widths_never_upscale(source_width, expected):
    assert fit_widths(source_width, WIDTHS) == expected


@pytest.mark.parametrize(
    ("size", "ratio", "box"),
    [
        ((1200, 800), (3, 2), (0, 0, 1200, 800)),
        ((4000, 3000), (3, 2), (0, 166, 4000, 2833)),
        ((3000, 4000), (3, 2), (0, 1000, 3000, 3000)),
        ((4000, 1000), (3, 2), (1250, 0, 2750, 1000)),
        ((4000, 3000), (1200, 630), (0, 450, 4000, 2550)),
    ],
)
def test_centre_crop_has_the_ratio_and_is_centred(size, ratio, box):
    assert centre_crop(size, ratio) == box


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_size_swaps_for_quarter_turns(orientation):
    assert upright_size((40, 30), orientation) == ((30, 40) if orientation >= 5 else (40, 30))


@pytest.mark.parametrize(
    ("raw", "orientation", "out_width", "scale"),
    [
        ((6000, 4000), 1, 640, 8),
        ((6000, 4000), 1, 360, 8),
        ((6000, 4000), 1, 1440, 4),
        ((4000, 3000), 1, 1440, 2),
        ((4000, 3000), 1, 2500, 1),
        ((4000, 3000), 6, 360, 8),  # shown 3000×4000: 360 wide needs 360 of 3000
        ((4000, 3000), 6, 1000, 2),
        ((800, 600), 1, 360, 2),
        ((800, 600), 1, 500, 1),
    ],
)
def test_jpeg_decode_scale_is_the_smallest_at_least_as_large_as_the_output(
    raw, orientation, out_width, scale
):
    width, height = upright_size(raw, orientation)
    op = Operation((0, 0, width, height), out_width, round(out_width * height / width), "webp", 80)
    assert jpeg_decode_scale(raw, orientation, op) == scale


def test_derivative_keys_change_with_the_source_and_every_part_of_the_operation():
    op = Operation((0, 0, 100, 100), 50, 50, "webp", 80)
    key = derivative_key("a" * 64, op)
    assert key == derivative_key("a" * 64, Operation((0, 0, 100, 100), 50, 50, "webp", 80))
    others = [
        derivative_key("b" * 64, op),
        derivative_key("a" * 64, Operation((0, 1, 100, 100), 50, 50, "webp", 80)),
        derivative_key("a" * 64, Operation((0, 0, 100, 100), 51, 50, "webp", 80)),
        derivative_key("a" * 64, Operation((0, 0, 100, 100), 50, 50, "jpeg", 80)),
        derivative_key("a" * 64, Operation((0, 0, 100, 100), 50, 50, "webp", 81)),
    ]
    assert key not in others and len(set(others)) == len(others)


def rendition(alt="Зал") -> Rendition:
    box = (0, 0, 1600, 1000)
    sizes = [(360, 225), (720, 450), (1080, 675), (1440, 900)]
    return Rendition(
        alt,
        "100vw",
        (
            ("webp", derivatives("d" * 64, "hall", box, sizes, "webp", 80)),
            ("jpeg", derivatives("d" * 64, "hall", box, [(720, 450)], "jpeg", 80)),
        ),
        "media",
    )


def test_rendition_gives_the_webp_srcset_and_one_fallback_file():
    r = rendition()
    [(mime, srcset)] = r.sources("https://example.kz")
    assert mime == "image/webp"
    assert srcset.split(", ")[0].startswith("https://example.kz/media/hall-360x225.")
    assert srcset.endswith(".webp 1440w")
    assert ".jpg" not in srcset
    assert r.src().startswith("/media/hall-720x450.") and r.src().endswith(".jpg")
    assert (r.width, r.height) == (1440, 900)
    assert r.widest.name.startswith("hall-1440x900.") and r.widest.format == "webp"
    assert len(r.all_derivatives()) == 5


@pytest.mark.parametrize(
    ("widths", "wanted", "chosen"),
    [
        ([360, 720, 1080, 1440], 720, 720),
        ([400, 800, 1200], 720, 800),
        ([360, 760], 720, 760),
        ([360, 500], 720, 500),  # a small source: its own width
        ([100], 720, 100),
    ],
)
def test_fallback_width_is_the_narrowest_at_least_as_wide_as_wanted(widths, wanted, chosen):
    assert fallback_width(widths, wanted) == chosen


def _planner(tmp_path_factory) -> Planner:
    folder = tmp_path_factory.mktemp("plan")
    return Planner(options_of({"CACHE_PATH": str(folder / "cache"), "OUTPUT_PATH": str(folder / "out")}))


@given(
    width=st.integers(1, 9000),
    height=st.integers(1, 9000),
    alpha=st.booleans(),
)
def test_every_picture_has_a_webp_srcset_at_every_width_and_one_fallback_file(
    tmp_path_factory, width, height, alpha
):
    planner = _planner(tmp_path_factory)
    source = PictureSource(
        "x.jpg", "e" * 64, Probe("PNG" if alpha else "JPEG", (width, height), 1, alpha, False)
    )
    fallback_format = "png" if alpha else "jpeg"
    story, card = planner.story(source, "a"), planner.card(source, "a")
    for shown, widths in ((story, planner.options.widths), (card, planner.options.card_widths)):
        (better, responsive), (last, (fallback,)) = shown.formats
        assert (better, last) == ("webp", fallback_format)
        box_width = responsive[0].op.box[2] - responsive[0].op.box[0]
        assert [d.width for d in responsive] == fit_widths(box_width, widths)
        # The fallback is one of the WebP sizes, the narrowest at least 720 wide (else the widest).
        assert (fallback.width, fallback.height) in {(d.width, d.height) for d in responsive}
        wide = [d.width for d in responsive if d.width >= 720]
        assert fallback.width == (min(wide) if wide else responsive[-1].width)
        assert shown.src().endswith(
            f"-{fallback.width}x{fallback.height}.{fallback.key[:10]}.{fallback.name[-3:]}"
        )
        assert (shown.width, shown.height) == (responsive[-1].width, responsive[-1].height)
    og = planner.open_graph(source)
    assert og.format == "jpeg" and og.width <= 1200
    # A cover: its story widths, one fallback, its card widths, one fallback, the Open Graph picture.
    files = {d.name for d in (*story.all_derivatives(), *card.all_derivatives(), og)}
    assert len(files) <= 4 + 1 + 3 + 1 + 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("![Зал](hall.jpg)", [PictureReference(3, "Зал", "hall.jpg")]),
        (
            'Text ![a](a.jpg "Title") and ![b](<my photo.jpg>)',
            [PictureReference(3, "a", "a.jpg"), PictureReference(3, "b", "my photo.jpg")],
        ),
        ("![](empty.png)", [PictureReference(3, "", "empty.png")]),
        ("![a](../other/x.jpg)", [PictureReference(3, "a", "../other/x.jpg")]),
        ("![a][hall]\n\n[hall]: hall.jpg", [PictureReference(3, "a", "hall.jpg")]),
        ("![hall]\n\n[Hall]: <hall.jpg>", [PictureReference(3, "hall", "hall.jpg")]),
        ("![not a picture][nowhere]", []),
        ('<img src="raw.jpg" alt="raw">', [PictureReference(3, "raw", "raw.jpg", html=True)]),
        ("`![code](x.jpg)` is how", []),
        ("```\n![code](x.jpg)\n```\n![after](y.jpg)", [PictureReference(6, "after", "y.jpg")]),
        (
            "![remote](https://example.com/x.jpg)",
            [PictureReference(3, "remote", "https://example.com/x.jpg")],
        ),
    ],
)
def test_find_references_with_their_lines(body, expected):
    assert find_references(f"Title: T\n\n{body}\n") == expected


def test_find_references_skips_the_header():
    text = textwrap.dedent("""\
        Title: ![not](a.jpg)
        Image: cover.jpg

        ![yes](b.jpg)
        """)
    assert find_references(text) == [PictureReference(4, "yes", "b.jpg")]


@pytest.mark.parametrize(
    ("target", "external"),
    [
        ("https://x.kz/a.jpg", True),
        ("//cdn.kz/a.jpg", True),
        ("data:image/png;base64,AA", True),
        ("a.jpg", False),
    ],
)
def test_is_external(target, external):
    assert is_external(target) is external


@pytest.fixture
def story(tmp_path) -> Path:
    folder = tmp_path / "news/2025/2025-04-23-fair"
    (folder / "img").mkdir(parents=True)
    (folder / "hall.jpg").write_bytes(b"x")
    (folder / "my photo.jpg").write_bytes(b"x")
    (folder / "img/detail.jpg").write_bytes(b"x")
    (tmp_path / "news/2025/secret.jpg").write_bytes(b"x")
    (folder / "link.jpg").symlink_to(tmp_path / "news/2025/secret.jpg")
    (folder / "same.jpg").symlink_to("hall.jpg")
    (folder / "pictures").symlink_to("img")
    return folder


@pytest.mark.parametrize(
    "target", ["hall.jpg", "img/detail.jpg", "./hall.jpg", "my%20photo.jpg", "img/../hall.jpg"]
)
def test_resolve_finds_files_inside_the_story_folder(story, target):
    assert resolve(story, target).is_file()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("../secret.jpg", "leaves the story folder"),
        ("img/../../secret.jpg", "leaves the story folder"),
        ("link.jpg", "is a symbolic link"),  # a link pointing outside
        ("same.jpg", "is a symbolic link"),  # even to a file beside it
        ("pictures/detail.jpg", "is a symbolic link"),  # or through a linked folder
        ("/etc/passwd", "is not a file name in the story folder"),
        ("{static}hall.jpg", "is not a file name in the story folder"),
        ("missing.jpg", "is not in the story folder"),
        ("img", "is not in the story folder"),
        ("", "names no file"),
    ],
)
def test_resolve_refuses_what_is_not_a_file_in_the_folder(story, target, message):
    with pytest.raises(PictureError, match=message):
        resolve(story, target)


def test_options_default_cache_is_inside_pelicans_cache_path(tmp_path):
    options = options_of({"CACHE_PATH": str(tmp_path / "cache"), "OUTPUT_PATH": str(tmp_path / "out")})
    assert options.cache_path == tmp_path / "cache" / "pictures"
    assert options.widths == WIDTHS and options.workers >= 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"PICTURES_CACHE_PATH": "{out}/cache"}, "is inside the output folder"),
        ({"PICTURES_WIDTHS": [360, -1]}, "PICTURES_WIDTHS must be a list of positive whole numbers"),
        ({"PICTURES_CARD_RATIO": (3, 2, 1)}, "PICTURES_CARD_RATIO must be 2 positive whole numbers"),
        ({"PICTURES_QUALITY": {"webp": 101, "jpeg": 80}}, "PICTURES_QUALITY must give webp and jpeg"),
        ({"PICTURES_URL_FOLDER": "../up"}, "PICTURES_URL_FOLDER must be a folder name"),
        ({"PICTURES_FALLBACK_WIDTH": 0}, "PICTURES_FALLBACK_WIDTH must be 1 positive whole number"),
    ],
)
def test_wrong_settings_stop_with_a_precise_message(tmp_path, overrides, message):
    out = tmp_path / "out"
    settings = {"OUTPUT_PATH": str(out), "CACHE_PATH": str(tmp_path / "cache")}
    settings.update({k: v.format(out=out) if isinstance(v, str) else v for k, v in overrides.items()})
    with pytest.raises(SettingsError, match=message) as stopped:
        options_of(settings)
    assert stopped.value.code == 1
