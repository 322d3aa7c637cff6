"""Derivatives made from real camera quirks: orientation, colour modes, ICC, transparency, metadata."""

import io
from pathlib import Path

import picture_samples as samples
import pytest
from PIL import Image, ImageChops, ImageOps

from pictures.geometry import Operation, jpeg_decode_scale
from pictures.options import options_of
from pictures.plan import Planner
from pictures.processing import (
    UPRIGHT,
    Bases,
    Job,
    Store,
    _scale_groups,
    decode,
    make_derivatives,
    probe,
)
from pictures.references import PictureError, naming


@pytest.fixture
def planner(tmp_path):
    return Planner(
        options_of({"PICTURES_CACHE_PATH": str(tmp_path / "cache"), "OUTPUT_PATH": str(tmp_path / "output")})
    )


def make(planner, path, alt="a picture"):
    """Plan a picture as a story cover (story widths, card crop, Open Graph) and make everything."""
    source = planner.source(path)
    story, card = planner.story(source, alt), planner.card(source, alt)
    og = planner.open_graph(source)
    store = Store(planner.options.cache_path)
    job = Job(
        source.path, source.digest, source.probe, (*story.all_derivatives(), *card.all_derivatives(), og)
    )
    result = make_derivatives(job, store, planner.options.max_pixels)
    assert result.error is None
    return story, card, og, store


def opened(store, derivative) -> Image.Image:
    image = Image.open(store.path(derivative))
    image.load()
    return image


def close(actual, expected, tolerance=40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=False))


def test_exif_orientation_6_is_applied_before_resizing(planner, tmp_path):
    story, card, og, store = make(planner, samples.camera_jpeg(tmp_path / "camera.jpg", (1200, 900), 6))
    widest = story.widest
    assert (story.width, story.height) == (900, 1200)  # stored 1200×900, shown upright
    picture = opened(store, widest).convert("RGB")
    assert picture.size == (900, 1200)
    # Stored: left half red, right half blue; turned a quarter clockwise: red on top.
    assert close(picture.getpixel((450, 100)), samples.RED)
    assert close(picture.getpixel((450, 1100)), samples.BLUE)
    for derivative in story.all_derivatives() + card.all_derivatives() + (og,):
        assert opened(store, derivative).size == (derivative.width, derivative.height)


def test_upright_table_matches_pillows_exif_transpose(tmp_path):
    image = Image.new("RGB", (30, 20))
    image.paste((255, 0, 0), (0, 0, 10, 5))
    for orientation, method in UPRIGHT.items():
        exif = Image.Exif()
        exif[0x0112] = orientation
        buffer = io.BytesIO()
        image.save(buffer, "PNG", exif=exif)
        expected = ImageOps.exif_transpose(Image.open(buffer))
        assert image.transpose(method).tobytes() == expected.tobytes(), orientation


def test_no_published_file_carries_exif_gps_serial_or_comments(planner, tmp_path):
    story, card, og, store = make(planner, samples.camera_jpeg(tmp_path / "camera.jpg", (1000, 750)))
    for derivative in (*story.all_derivatives(), *card.all_derivatives(), og):
        data = store.path(derivative).read_bytes()
        image = Image.open(io.BytesIO(data))
        assert dict(image.getexif()) == {}, derivative.name
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info), derivative.name
        for secret in (b"Exif", samples.SERIAL.encode(), samples.MAKER.encode(), b"GPS"):
            assert secret not in data, (derivative.name, secret)


def test_cmyk_jpeg_becomes_rgb_with_its_colours(planner, tmp_path):
    story, _, _, store = make(planner, samples.cmyk_jpeg(tmp_path / "print.jpg"))
    for derivative in story.all_derivatives():
        picture = opened(store, derivative)
        assert picture.mode == "RGB"
        assert close(picture.getpixel((10, 10)), (0, 255, 255)), derivative.name  # cyan
        assert close(picture.getpixel((10, picture.height - 10)), (255, 255, 0)), derivative.name  # yellow


def test_transparent_png_keeps_its_alpha_in_webp_and_png(planner, tmp_path):
    story, card, og, store = make(planner, samples.alpha_png(tmp_path / "logo.png"))
    assert [fmt for fmt, _ in story.formats] == ["webp", "png"]
    for derivative in story.all_derivatives() + card.all_derivatives():
        picture = opened(store, derivative).convert("RGBA")
        assert close(picture.getpixel((5, 5)), (*samples.RED, 255), 30), derivative.name
        assert picture.getpixel((5, picture.height - 5))[3] == 0, derivative.name
    # Open Graph is a JPEG: the transparent part shows on white.
    social = opened(store, og)
    assert social.format == "JPEG"
    assert close(social.getpixel((5, social.height - 5)), (255, 255, 255), 10)


def test_sixteen_bit_greyscale_keeps_its_ramp(planner, tmp_path):
    story, _, _, store = make(planner, samples.sixteen_bit_png(tmp_path / "scan.png"))
    picture = opened(store, story.widest).convert("L")
    left, middle, right = (picture.getpixel((x, 50)) for x in (5, 400, 794))
    assert left < 15 and 100 < middle < 155 and right > 240  # not clipped to white


def test_palette_gif_with_transparency_becomes_webp_and_png(planner, tmp_path):
    story, _, _, store = make(planner, samples.palette_gif(tmp_path / "map.gif"))
    picture = opened(store, story.widest).convert("RGBA")
    assert close(picture.getpixel((10, 10)), (*samples.GREEN, 255), 10)
    assert picture.getpixel((10, 290))[3] == 0


def test_animated_gif_is_published_as_its_first_frame(planner, tmp_path):
    path = samples.palette_gif(tmp_path / "blink.gif", frames=3)
    assert probe(path, 10**8).animated
    story, _, _, store = make(planner, path)
    for derivative in story.all_derivatives():
        picture = Image.open(store.path(derivative))
        assert getattr(picture, "n_frames", 1) == 1
        assert close(picture.convert("RGBA").getpixel((10, 10)), (*samples.GREEN, 255), 10)


def test_greyscale_jpeg_keeps_its_greys(planner, tmp_path):
    story, _, _, store = make(planner, samples.grayscale_jpeg(tmp_path / "grey.jpg"))
    picture = opened(store, story.widest).convert("RGB")
    assert close(picture.getpixel((10, 10)), (200, 200, 200), 6)
    assert close(picture.getpixel((10, 590)), (50, 50, 50), 6)


def test_embedded_icc_profile_is_converted_to_srgb(planner, tmp_path):
    story, _, _, store = make(planner, samples.icc_png(tmp_path / "wide.png"))
    picture = opened(store, story.widest)
    assert "icc_profile" not in picture.info
    red, green, blue = picture.convert("RGB").getpixel((10, 10))
    assert green > 200 and red < 40 and blue < 40  # stored "red" of a red/green-swapped space is green


def test_widths_never_upscale_and_keep_proportions(planner, tmp_path):
    story, card, og, store = make(planner, samples.grayscale_jpeg(tmp_path / "small.jpg", (800, 600)))
    [(_, webp), (_, jpeg)] = story.formats
    assert [(d.width, d.height) for d in webp] == [(360, 270), (720, 540), (800, 600)]
    assert [(d.width, d.height) for d in jpeg] == [(720, 540)]  # one JPEG, at a middle width
    [(_, webp), (_, jpeg)] = card.formats
    assert [(d.width, d.height) for d in webp] == [(400, 267), (800, 533)]
    assert [(d.width, d.height) for d in jpeg] == [(800, 533)]
    assert (og.width, og.height) == (800, 420)
    assert opened(store, og).size == (800, 420)


def test_probe_refuses_a_bomb_before_decoding_it(tmp_path):
    path = samples.bomb_png(tmp_path / "bomb.png")
    assert path.stat().st_size < 30_000
    saved = Image.MAX_IMAGE_PIXELS
    with pytest.raises(PictureError, match=r"13500×13500 pixels \(182 megapixels\), over the limit of 80"):
        probe(path, 80_000_000)
    assert saved == Image.MAX_IMAGE_PIXELS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Title: not a picture\n", "is not a picture in a format the site can publish"),
        (b"", "is not a picture"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is not a picture"),
    ],
)
def test_probe_refuses_files_that_are_not_pictures(tmp_path, content, message):
    path = tmp_path / "photo.jpg"
    path.write_bytes(content)
    with pytest.raises(PictureError, match=message):
        probe(path, 80_000_000)


def test_truncated_jpeg_is_reported_as_damaged_not_raised(planner, tmp_path):
    source = planner.source(samples.truncated_jpeg(tmp_path / "cut.jpg"))
    story = planner.story(source, "cut")
    result = make_derivatives(
        Job(source.path, source.digest, source.probe, story.all_derivatives()),
        Store(planner.options.cache_path),
        planner.options.max_pixels,
    )
    damaged = "picture 'cut.jpg' is damaged or incomplete; export it again"
    assert str(naming(result.error, "cut.jpg")) == damaged


def test_large_jpeg_is_decoded_at_a_fraction_of_its_size_for_small_thumbnails(planner, tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (6000, 4000), (90, 120, 150)).save(path, quality=70)
    source = planner.source(path)
    story = planner.story(source, "big")
    groups = _scale_groups(Job(source.path, source.digest, source.probe, story.formats[0][1]))
    # Each width is decoded at the smallest JPEG scale still as wide as it: never at full size.
    assert {scale: [d.width for d in made] for scale, made in groups.items()} == {
        4: [1080, 1440],
        8: [360, 720],
    }
    assert decode(path.read_bytes(), source.probe, 8).size == (750, 500)
    assert jpeg_decode_scale((6000, 4000), 1, Operation((0, 0, 6000, 4000), 640, 427, "jpeg", 80)) == 8


def test_prune_removes_orphan_derivatives_and_nothing_else(tmp_path):
    store = Store(tmp_path)
    kept, orphan = tmp_path / "ab" / f"{'ab' * 32}.webp", tmp_path / "cd" / f"{'cd' * 32}.jpg"
    leftover, foreign, notes = (
        tmp_path / "ab" / ".x.webp.123.tmp",
        tmp_path / "ef" / "readme.txt",
        tmp_path / "notes.txt",
    )
    for path in (kept, orphan, leftover, foreign, notes):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x")
    assert store.prune({kept}) == [leftover, orphan]
    assert kept.exists() and foreign.exists() and notes.exists()
    assert not (tmp_path / "cd").exists()


def test_hard_linked_copies_are_read_once_and_keep_their_own_names(planner, tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = samples.camera_jpeg(tmp_path / "a" / "market.jpg", (800, 600), 1)
    second = tmp_path / "b" / "bazaar.jpg"
    second.hardlink_to(first)
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    one, two = planner.source(first), planner.source(second)
    assert read == [first]
    assert one.digest == two.digest and (one.stem, two.stem) == ("market", "bazaar")


def test_smaller_bases_are_reduced_from_one_draft_decode(tmp_path):
    path = tmp_path / "big.jpg"
    Image.effect_noise((4000, 3000), 40).convert("RGB").save(path, quality=85)
    source = probe(path, 80_000_000)
    bases = Bases(path.read_bytes(), source)
    assert [bases.at(scale).size for scale in (8, 4, 2)] == [(500, 375), (1000, 750), (2000, 1500)]
    # The reduced base is close to what a draft decode at that scale gives.
    drafted = decode(path.read_bytes(), source, 4)
    histogram = ImageChops.difference(bases.at(4), drafted).convert("L").histogram()
    assert sum(value * count for value, count in enumerate(histogram)) / (1000 * 750) < 3
