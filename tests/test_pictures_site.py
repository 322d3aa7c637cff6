"""Pictures in built sites: markup, published files, caching between builds, and bad input stopping builds."""

import logging
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import picture_samples as samples
import pytest
from conftest import ROOT, Site, build, copy_fixture_site, pelican_command
from pelican import signals
from pelican.settings import read_settings
from PIL import Image

from content_format import ContentErrors
from content_format.reader import StoryReader
from pictures.processing import StoreUse
from pictures.reader import PicturesPart

STORY_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
LIBRARY = "/ru/news/2024/02/city-library/"


def srcset_entries(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width[:-1])) for url, width in (item.split() for item in srcset.split(", "))]


def assert_picture_files(site, picture, expected_ratio=None):
    """The WebP srcset's files exist, are as wide as they say and have the proportions width/height
    give; the <img> names one JPEG (PNG) of those proportions, with no srcset of its own."""
    img = picture.img
    ratio = int(img["width"]) / int(img["height"])
    if expected_ratio:
        assert ratio == pytest.approx(expected_ratio, rel=0.01)
    [source] = picture.find_all("source")
    assert source["type"] == "image/webp"
    entries = srcset_entries(source["srcset"])
    assert entries and entries[-1][1] == int(img["width"])
    for url, width in entries:
        assert url.endswith(".webp"), url
        with Image.open(site.file(url)) as file:
            assert (file.format, file.width) == ("WEBP", width), url
            assert file.width / file.height == pytest.approx(ratio, rel=0.02), url
    assert "srcset" not in img.attrs and "sizes" not in img.attrs
    with Image.open(site.file(img["src"])) as file:
        assert file.format in ("JPEG", "PNG")
        assert file.width / file.height == pytest.approx(ratio, rel=0.02)


# The fixture site: the library story has a cover (hall.jpg, 1200×800) and a PNG with alpha in its body.


def test_cover_is_the_first_picture_fetched_eagerly_with_high_priority(fixture_site):
    cover = fixture_site.page(LIBRARY).select_one(".story__cover picture")
    img = cover.img
    assert img["alt"] == "Светлый читальный зал с длинными столами"
    assert img["fetchpriority"] == "high"
    assert "loading" not in img.attrs and "decoding" not in img.attrs
    assert (img["width"], img["height"]) == ("1200", "800")
    [source] = cover.find_all("source")
    assert (source["type"], source["sizes"]) == ("image/webp", STORY_SIZES)
    assert [w for _, w in srcset_entries(source["srcset"])] == [360, 720, 1080, 1200]
    assert img["src"].endswith(".jpg") and "-720x480." in img["src"]
    assert_picture_files(fixture_site, cover, 1.5)


def test_body_picture_is_lazy_responsive_markup_with_markdown_alt_text(fixture_site):
    [picture] = fixture_site.page(LIBRARY).select(".story__body picture")
    img = picture.img
    assert img["alt"] == "Полки с книгами вдоль стены"
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert "fetchpriority" not in img.attrs
    assert (img["width"], img["height"]) == ("400", "300")
    assert picture.source["sizes"] == STORY_SIZES
    assert img["src"].endswith(".png")  # transparent: PNG, not JPEG, for browsers without WebP
    assert picture.source["type"] == "image/webp"
    assert_picture_files(fixture_site, picture, 4 / 3)


def test_listing_cards_show_the_cover_cropped_to_three_by_two(fixture_site):
    card = next(
        c
        for c in fixture_site.page("/kk/").select(".card")
        if "city-library" in c.select_one(".card__title a")["href"]
    )
    picture = card.picture
    img = picture.img
    assert "card__image" in img["class"]
    assert img["alt"] == "Ұзын үстелдері бар жарық оқу залы"
    assert (img["loading"], img["decoding"]) == ("lazy", "async")
    assert picture.source["sizes"].startswith("(min-width: 72rem) 22.5rem")
    assert "-800x533." in img["src"] and img["src"].endswith(".jpg")  # one JPEG, the middle width
    assert_picture_files(fixture_site, picture, 1.5)


def test_no_source_picture_is_published_as_it_is(fixture_site):
    content = fixture_site.root.parent / "content"
    sources = {p.read_bytes() for p in content.rglob("*") if p.suffix in (".jpg", ".png")}
    published = [
        p for p in fixture_site.root.rglob("*") if p.suffix in (".jpg", ".jpeg", ".png", ".webp", ".gif")
    ]
    assert published
    for path in published:
        assert path.parent == fixture_site.root / "media" or "theme" in path.parts, path
        assert path.read_bytes() not in sources, path


def test_open_graph_picture_is_1200_by_630(fixture_site):
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(fixture_site.root.parent / "content"),
            "PICTURES_CACHE_PATH": str(fixture_site.root.parent / "picture-cache"),
        },
    )
    story = fixture_site.root.parent / "content/news/2024/2024-02-10-city-library/ru.md"
    _, metadata = StoryReader(settings, parts=[PicturesPart]).read(str(story))
    assert re.fullmatch(r"media/hall-1200x630\.[0-9a-f]{10}\.jpg", metadata["og_image"])
    assert (metadata["og_image_width"], metadata["og_image_height"]) == (1200, 630)
    with Image.open(fixture_site.root / metadata["og_image"]) as og:
        assert (og.format, og.size) == ("JPEG", (1200, 630))


def test_no_plugin_reparses_written_pages():
    for signal in (signals.content_written, signals.finalized):
        assert not [r for r in signal.receivers_for(None) if r.__module__.startswith("pictures")]


# Private sites, to watch the cache across builds.


def write_story(content: Path, folder: str, text: str, lang: str = "ru") -> Path:
    path = content / folder / f"{lang}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


FAIR = "news/2025/2025-04-23-fair"
SNOW = "news/2025/2025-01-10-snow"


@pytest.fixture
def small_site(tmp_path):
    """Two stories: one with a cover and a body picture, one with two body pictures and no cover."""
    content = tmp_path / "content"
    write_story(
        content,
        FAIR,
        """
        Title: Ярмарка
        Image: camera.jpg
        Image_alt: Ряды ярмарки

        Текст.

        ![Прилавок](stall.png)
        """,
    )
    write_story(
        content,
        SNOW,
        """
        Title: Снег

        ![Улица в снегу](street.jpg)

        Текст.

        ![Трактор](tractor.jpg)
        """,
    )
    samples.camera_jpeg(content / FAIR / "camera.jpg", (1000, 800), orientation=6)
    samples.alpha_png(content / FAIR / "stall.png", (500, 400))
    samples.grayscale_jpeg(content / SNOW / "street.jpg", (900, 600))
    samples.cmyk_jpeg(content / SNOW / "tractor.jpg", (600, 400))
    return content


def build_logged(caplog, content, output, **overrides) -> tuple[int, int, int]:
    """Build and return (made, reused, pruned) from the pictures plugin's report."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="pictures.pictures"):
        build(content, output, **overrides)
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Pictures:")]
    made, reused, _, pruned = (int(n) for n in re.findall(r"(\d+) ", line)[:4])
    return made, reused, pruned


def files_state(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_first_body_picture_is_eager_when_there_is_no_cover(small_site, tmp_path):
    build(small_site, tmp_path / "output")
    page = Site(tmp_path / "output").page("/ru/news/2025/01/snow/")
    first, second = page.select(".story__body picture img")
    assert first["fetchpriority"] == "high" and "loading" not in first.attrs
    assert (second["loading"], second["decoding"]) == ("lazy", "async")
    fair = Site(tmp_path / "output").page("/ru/news/2025/04/fair/")
    assert fair.select_one(".story__cover img")["fetchpriority"] == "high"
    assert fair.select_one(".story__body img")["loading"] == "lazy"
    cover = fair.select_one(".story__cover img")
    assert (cover["width"], cover["height"]) == ("800", "1000")  # the camera file's orientation 6


def test_second_build_processes_no_picture(small_site, tmp_path, caplog):
    output, cache = tmp_path / "output", tmp_path / "picture-cache"
    made, reused, _ = build_logged(caplog, small_site, output)
    assert made > 0 and reused == 0
    before_cache, before_media = files_state(cache), files_state(output / "media")
    # A change to a text, not to a picture (with no change at all, the build stops before pictures).
    story = next((small_site / SNOW).glob("*.md"))
    story.write_text(story.read_text(encoding="utf-8") + "\nЕщё строка.\n", encoding="utf-8")
    assert build_logged(caplog, small_site, output) == (0, made, 0)
    assert files_state(cache) == before_cache
    assert files_state(output / "media") == before_media


def test_changing_one_source_remakes_only_its_derivatives_and_prunes_the_old_ones(
    small_site, tmp_path, caplog
):
    output, cache = tmp_path / "output", tmp_path / "picture-cache"
    made, _, _ = build_logged(caplog, small_site, output)
    before = files_state(cache)
    old_street = {p.name for p in (output / "media").glob("street-*")}
    samples.grayscale_jpeg(small_site / SNOW / "street.jpg", (900, 700))  # the editor replaces the photo
    remade, reused, pruned = build_logged(caplog, small_site, output)
    after = files_state(cache)
    new_street = {p.name for p in (output / "media").glob("street-*")}
    assert remade == len(new_street) and pruned == len(old_street)
    assert reused == made - len(old_street)
    assert set(before) - set(after) and set(after) - set(before)
    assert {k: before[k] for k in set(before) & set(after)} == {k: after[k] for k in set(before) & set(after)}
    assert old_street.isdisjoint(new_street)
    assert not any((output / "media" / name).exists() for name in old_street)


def test_removed_pictures_are_pruned_from_cache_and_output(small_site, tmp_path, caplog):
    output = tmp_path / "output"
    build_logged(caplog, small_site, output)
    story = small_site / SNOW / "ru.md"
    story.write_text(
        story.read_text(encoding="utf-8").replace("![Трактор](tractor.jpg)", ""), encoding="utf-8"
    )
    tractor = {p.name for p in (output / "media").glob("tractor-*")}
    made, _, pruned = build_logged(caplog, small_site, output)
    assert made == 0 and pruned == len(tractor) > 0
    assert not list((output / "media").glob("tractor-*"))


def test_cache_survives_cleaning_the_output(small_site, tmp_path, caplog):
    output = tmp_path / "output"
    made, _, _ = build_logged(caplog, small_site, output)
    published = sorted(p.name for p in (output / "media").iterdir())
    shutil.rmtree(output)  # make clean
    assert build_logged(caplog, small_site, output) == (0, made, 0)
    assert sorted(p.name for p in (output / "media").iterdir()) == published


def test_site_without_pictures_makes_no_media_folder(tmp_path, caplog):
    content = tmp_path / "content"
    write_story(content, FAIR, "Title: Ярмарка\n\nТекст.\n")
    assert build_logged(caplog, content, tmp_path / "output") == (0, 0, 0)
    assert not (tmp_path / "output" / "media").exists()


# Bad input: one clear line naming the story file, the picture and the problem; nothing written.


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


BAD_INPUT = {
    "missing": ("![Зал](hall.jpg)", None, 3, "picture 'hall.jpg' is not in the story folder"),
    "escape": (
        "![Зал](../2025-01-10-snow/snow.jpg)",
        None,
        3,
        "picture '../2025-01-10-snow/snow.jpg' leaves",
    ),
    "no alt": ("![](hall.jpg)", "hall", 3, "picture 'hall.jpg' has no alt text"),
    "not a picture": ("![Зал](hall.jpg)", "text", 3, "picture 'hall.jpg' is not a picture in a format"),
    "bomb": ("![Зал](hall.jpg)", "bomb", 3, "picture 'hall.jpg' is 13500×13500 pixels (182 megapixels)"),
    "pasted tag, not a picture": ('<img src="hall.jpg" alt="Зал">', "text", 3, "picture 'hall.jpg' is not a"),
    "truncated": ("![Зал](hall.jpg)", "truncated", 3, "picture 'hall.jpg' is damaged or incomplete"),
}


def add_other_story(content: Path) -> None:
    """Write another story with a picture of its own, which FAIR's text must not reach."""
    write_story(content, SNOW, "Title: Снег\n\n![Снег](snow.jpg)\n")
    samples.grayscale_jpeg(content / SNOW / "snow.jpg", (300, 200))


def make_bad_story(content: Path, body: str, kind: str | None) -> Path:
    story = write_story(content, FAIR, f"Title: Ярмарка\n\n{body}\n")
    add_other_story(content)
    picture = content / FAIR / "hall.jpg"
    if kind == "hall":
        samples.grayscale_jpeg(picture, (300, 200))
    elif kind == "text":
        picture.write_text("not a picture", encoding="utf-8")
    elif kind == "bomb":
        samples.bomb_png(picture)
    elif kind == "truncated":
        samples.truncated_jpeg(picture)
    return story


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_picture_stops_the_build_with_one_line_and_writes_nothing(tmp_path, case):
    body, kind, line, message = BAD_INPUT[case]
    content = tmp_path / "content"
    make_bad_story(content, body, kind)
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    with pytest.raises(ContentErrors) as stopped:
        build(content, output)
    assert stopped.value.code == 1
    [problem] = stopped.value.problems
    assert (Path(problem.path).name, problem.line) == ("ru.md", line)
    assert str(problem.message).startswith(message), problem.message
    assert snapshot(output) == before


def test_pasted_img_tag_and_links_to_pictures_get_derivatives_not_the_camera_file(tmp_path):
    content = tmp_path / "content"
    write_story(
        content,
        FAIR,
        'Title: Ярмарка\n\nТекст.\n\n<p><img src="camera.jpg" alt="Зал"></p>\n\n[Фото целиком](camera.jpg)\n',
    )
    samples.camera_jpeg(content / FAIR / "camera.jpg", (1000, 750))
    build(content, tmp_path / "output")
    site = Site(tmp_path / "output")
    img = site.page("/ru/news/2025/04/fair/").select_one(".story__body img")
    assert re.fullmatch(r"/media/camera-750x1000\.[0-9a-f]{10}\.jpg", img["src"])  # upright, metadata-free
    assert samples.SERIAL.encode() not in site.file(img["src"]).read_bytes()
    link = site.page("/ru/news/2025/04/fair/").find("a", string="Фото целиком")
    assert re.fullmatch(r"/media/camera-750x1000\.[0-9a-f]{10}\.jpg", link["href"])  # the widest
    assert site.exists(link["href"])
    assert not list((tmp_path / "output").rglob("camera.jpg"))


def test_bad_cover_is_reported_on_its_image_line(tmp_path):
    content = tmp_path / "content"
    write_story(
        content, FAIR, "Title: Ярмарка\nImage: ../2025-01-10-snow/snow.jpg\nImage_alt: Зал\n\nТекст.\n"
    )
    add_other_story(content)
    with pytest.raises(ContentErrors) as stopped:
        build(content, tmp_path / "output")
    assert [(p.line, str(p.message)) for p in stopped.value.problems] == [
        (
            2,
            "picture '../2025-01-10-snow/snow.jpg' leaves the story folder; "
            "put the file beside the text and write its name",
        )
    ]


@pytest.mark.parametrize("case", ["truncated", "bomb", "escape"])
def test_pelican_command_stops_with_one_clear_line_and_no_traceback(tmp_path, case):
    body, kind, line, message = BAD_INPUT[case]
    content = tmp_path / "content"
    make_bad_story(content, body, kind)
    output = tmp_path / "output"
    result = pelican_command(
        content, output, "-e", f'PICTURES_CACHE_PATH="{tmp_path / "cache"}"', cwd=tmp_path
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("content/") and ": warning: " not in line]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(f"content/{FAIR}/ru.md:{line}: error: {message}")
    # The error found while the pictures were made comes after every warning, then the count.
    assert lines[-3] == errors[0]
    assert re.fullmatch(r"1 error, \d+ warnings?\.", lines[-2])
    assert lines[-1] == "Build stopped: 1 content error; the output folder was left as it was."
    assert "Traceback" not in result.stdout + result.stderr
    assert not output.exists()


def test_animated_gif_is_a_warning_line_like_any_other_once_per_build_and_in_invoke_check(
    tmp_path, caplog, capsys
):
    content = tmp_path / "content"
    write_story(content, FAIR, "Title: Ярмарка\n\nТекст.\n\n![Мигающий знак](blink.gif)\n")
    samples.palette_gif(content / FAIR / "blink.gif", frames=3)
    notice = (
        f"{FAIR}/ru.md:5: warning: animated picture 'blink.gif' is published as a still (its first frame)"
    )

    def said() -> list[str]:
        """The lines this build printed about the GIF, and any log record naming it."""
        printed = [line for line in capsys.readouterr().err.splitlines() if "blink.gif" in line]
        return printed + [r.getMessage() for r in caplog.records if "blink.gif" in r.getMessage()]

    made, _reused, _pruned = build_logged(caplog, content, tmp_path / "output")
    [line] = said()
    assert made > 0 and line.endswith(notice)  # the path, then the marker: no log prefix, no wrapping
    story = content / FAIR / "ru.md"  # a change to the text: the build runs, the picture stays
    story.write_text(story.read_text(encoding="utf-8") + "\nЕщё строка.\n", encoding="utf-8")
    made, _reused, _pruned = build_logged(caplog, content, tmp_path / "output")
    [line] = said()  # a standing warning, as the others are: shown by every build, once
    assert made == 0 and line.endswith(notice)
    checked = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert [line for line in checked.stdout.splitlines() if "blink.gif" in line] == [f"{content}/{notice}"]
    assert checked.stdout.splitlines()[-1] == "0 errors, 2 warnings."  # the GIF, and no kk.md yet


def test_only_linked_documents_are_published_unused_pictures_are_not(tmp_path):
    content = tmp_path / "content"
    write_story(content, FAIR, "Title: Ярмарка\n\n[Программа](programme.pdf)\n")
    (content / FAIR / "programme.pdf").write_bytes(b"%PDF-1.4 programme")
    samples.grayscale_jpeg(content / FAIR / "unused.jpg", (300, 200))
    build(content, tmp_path / "output")
    published = {p.relative_to(tmp_path / "output").as_posix() for p in (tmp_path / "output").rglob("*")}
    assert f"{FAIR}/programme.pdf" in published
    assert not [name for name in published if "unused" in name]


def test_wrong_picture_setting_stops_the_build(tmp_path, capsys):
    content = tmp_path / "content"
    write_story(content, FAIR, "Title: Ярмарка\n\nТекст.\n")
    with pytest.raises(SystemExit) as stopped:
        build(content, tmp_path / "output", PICTURES_WIDTHS=[0])
    assert stopped.value.code == 1
    assert (
        capsys.readouterr().err.strip()
        == "Build stopped: PICTURES_WIDTHS must be a list of positive whole numbers, not [0]"
    )
    assert not (tmp_path / "output").exists()


def test_picture_named_near_the_file_name_limit_gets_derivatives_that_fit(tmp_path):
    # 244 bytes of name (255 is the limit); its slug is 240 letters (щ → sh), and a derivative's name
    # adds about 30 characters to the slug.
    name = "щ" * 120 + ".jpg"
    write_story(content := tmp_path / "content", FAIR, f"Title: Ярмарка\n\nТекст.\n\n![Щука]({name})\n")
    samples.grayscale_jpeg(content / FAIR / name, (300, 200))
    build(content, tmp_path / "output")
    published = [p.name for p in (tmp_path / "output/media").iterdir()]
    assert published and all(len(p.encode()) <= 120 for p in published), published


def test_check_decodes_each_source_once_and_not_when_the_cache_has_its_derivatives(tmp_path, monkeypatch):
    import pictures.checks
    from pictures.checks import check_pictures
    from pictures.options import options_of

    content = tmp_path / "content"
    for folder in (FAIR, SNOW):
        write_story(content, folder, "Title: Ярмарка\n\nТекст.\n\n![Зал](hall.jpg)\n")
        samples.grayscale_jpeg(content / folder / "hall.jpg", (300, 200))  # the same bytes twice
    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={"PATH": str(content), "PICTURES_CACHE_PATH": str(tmp_path / "pictures")},
    )
    decoded = []
    verify = pictures.checks.verify
    monkeypatch.setattr(
        pictures.checks, "verify", lambda path, limit: decoded.append(path) or verify(path, limit)
    )
    assert check_pictures(content, options_of(settings), settings=settings) == []
    assert len(decoded) == 1
    build(content, tmp_path / "output", PICTURES_CACHE_PATH=str(tmp_path / "pictures"))
    decoded.clear()
    assert check_pictures(content, options_of(settings), settings=settings) == []
    assert decoded == []


def test_a_build_never_prunes_what_another_build_sharing_the_cache_may_link(tmp_path):
    cache = tmp_path / "pictures"
    first = copy_fixture_site(tmp_path / "first")
    build(first, tmp_path / "first-output", PICTURES_CACHE_PATH=str(cache))
    made = set(cache.rglob("*.webp"))
    assert made
    second = tmp_path / "second" / "news/2026/2026-03-02-park"
    second.mkdir(parents=True)
    Image.new("RGB", (800, 600), (20, 120, 60)).save(second / "park.jpg", quality=80)
    (second / "ru.md").write_text("Title: Парк\n\n![Аллея в парке](park.jpg)\n", encoding="utf-8")
    # A build of the first site is still going on (it holds the cache): its derivatives stay.
    other_build = StoreUse(cache)
    build(tmp_path / "second", tmp_path / "second-output", PICTURES_CACHE_PATH=str(cache))
    assert made <= set(cache.rglob("*.webp"))
    other_build.release()
    # Alone, a build (of an edited text: an unchanged site is not built again) prunes what no story of
    # its own uses, as before.
    (second / "ru.md").write_text("Title: Парк\n\n![Аллея в парке](park.jpg)\n\nЕщё.\n", encoding="utf-8")
    build(tmp_path / "second", tmp_path / "second-output", PICTURES_CACHE_PATH=str(cache))
    assert not made & set(cache.rglob("*.webp"))
