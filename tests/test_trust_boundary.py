"""A content commit publishes only what its story folders may publish: tried as an attacker and as an editor.

Each attack builds with exit 1 and one line naming the file, leaves the previous output as it was and
publishes nothing of what it aimed at; `invoke check` prints the same lines. What a folder may hold
(ru.md, kk.md, pictures re-encoded, documents its text links) is published, and only that.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import picture_samples as samples
import pytest
from conftest import FIXTURE_SITE, ROOT, Site, add_fixture_pictures, build, pelican_command
from PIL import Image

from build_core.tree import ContentTree
from content_format import ContentErrors
from content_format.content_format import is_publishable_document
from publishing.verify import verify_site

SECRET = "TOKEN=ghp_trust_boundary_secret"
UP = "../../../../"  # from a story folder back to the folder holding content/
KINDS = "JPEG, PNG, WebP, GIF, TIFF, BMP, AVIF or HEIC/HEIF"
ALLOWED = (
    f"a story folder holds only ru.md, kk.md, pictures ({KINDS}) "
    "and documents its text links (PDF, DOCX, XLSX, PPTX, ODT, ODS, CSV or TXT)"
)
LINK = "is a symbolic link; the site never follows links: put the file itself here"


def story(content: Path, slug: str, body: str = "Текст.", header: str = "") -> Path:
    """Write a story of its own for one attack, so that attacks tried together do not meet."""
    folder = content / f"news/2025/2025-05-01-{slug}"
    folder.mkdir(parents=True)
    (folder / "ru.md").write_text(f"Title: Случай\n{header}\n{body}\n", encoding="utf-8")
    return folder


def not_published(name: str, advice: str = "remove it") -> str:
    return f"{name} is not a file the site publishes: {ALLOWED}; {advice}"


# Each attack changes the content and returns the errors it must cause: (file under content/, line, message).
def environ_link(content):
    (story(content, "environ") / "env.txt").symlink_to("/proc/self/environ")
    return [("news/2025/2025-05-01-environ/env.txt", 1, f"env.txt {LINK}")]


def git_config_link(content):
    (story(content, "git-config") / "config.txt").symlink_to(f"{UP}.git/config")
    return [("news/2025/2025-05-01-git-config/config.txt", 1, f"config.txt {LINK}")]


def git_folder_link(content):
    (story(content, "git-folder") / "x").symlink_to(f"{UP}.git")
    message = "x is a symbolic link; the site never follows links: put the folder itself here"
    return [("news/2025/2025-05-01-git-folder/x", 1, message)]


def story_folder_link(content):
    private = content.parent / "private-story"
    private.mkdir()
    (private / "ru.md").write_text(f"Title: Тайна\n\n{SECRET}\n", encoding="utf-8")
    (content / "news/2025/2025-05-02-private").symlink_to(private)
    message = (
        "2025-05-02-private is a symbolic link; the site never follows links: put the folder itself here"
    )
    return [("news/2025/2025-05-02-private", 1, message)]


def year_folder_link(content):
    private = content.parent / "private-year"
    (private / "2023-03-03-secret").mkdir(parents=True)
    (private / "2023-03-03-secret/ru.md").write_text(f"Title: Тайна\n\n{SECRET}\n", encoding="utf-8")
    (content / "news/2023").symlink_to(private)
    return [
        ("news/2023", 1, "2023 is a symbolic link; the site never follows links: put the folder itself here")
    ]


def cover_link(content):
    folder = story(content, "cover", header="Image: secret.jpg\nImage_alt: Зал\n")
    (folder / "secret.jpg").symlink_to(content.parent / "secret.jpg")
    return [("news/2025/2025-05-01-cover/secret.jpg", 1, f"secret.jpg {LINK}")]


def link_out_of_the_folder(content):
    story(content, "reach-out", body=f"[Программа]({UP}secret.txt)")
    message = (
        f"link to '{UP}secret.txt' leaves the story folder; "
        "put the file beside the text and link it by its name"
    )
    return [("news/2025/2025-05-01-reach-out/ru.md", 3, message)]


def script_and_svg(content):
    folder = story(content, "script", body="[Схема](evil.svg) [Схема](evil.xhtml)")
    (folder / "x.js").write_text("fetch('/steal?' + document.cookie)", encoding="utf-8")
    (folder / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script href="x.js"/></svg>')
    (folder / "evil.xhtml").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><script src="x.js"/></html>'
    )
    where = "news/2025/2025-05-01-script"
    return [
        (f"{where}/evil.svg", 1, not_published("evil.svg", "an SVG can carry scripts: export it as PNG")),
        (f"{where}/evil.xhtml", 1, not_published("evil.xhtml", "the text goes in ru.md or kk.md")),
        (f"{where}/x.js", 1, not_published("x.js")),
    ]


def dotfile(content):
    (story(content, "dotfile") / ".env").write_text(SECRET, encoding="utf-8")
    message = ".env is a hidden file (its name starts with a dot); remove it"
    return [("news/2025/2025-05-01-dotfile/.env", 1, message)]


def camera_formats_the_site_does_not_read(content):
    folder = story(content, "video", body="[Видео](clip.MOV) ![Кадр](frame.jxl)")
    (folder / "clip.MOV").write_bytes(b"\x00\x00\x00\x14ftypqt  ")
    (folder / "frame.jxl").write_bytes(b"\xff\x0a")
    where = "news/2025/2025-05-01-video"
    return [
        (
            f"{where}/clip.MOV",
            1,
            not_published("clip.MOV", "the site publishes no videos: put it on a video site and link that"),
        ),
        (f"{where}/frame.jxl", 1, not_published("frame.jxl", "export it as JPEG")),
        # and where the text shows it, as for any file that is not a picture
        (
            f"{where}/ru.md",
            3,
            f"picture 'frame.jxl' is not a picture in a format the site can publish ({KINDS})",
        ),
    ]


def unlinked_document(content):
    (story(content, "unlinked") / "programme.pdf").write_bytes(b"%PDF-1.4 " + SECRET.encode())
    message = "nothing links programme.pdf: link it from the text or remove it"
    return [("news/2025/2025-05-01-unlinked/programme.pdf", 1, message)]


def texts_in_other_formats(content):
    where = "news/2025/2025-05-01-formats"
    folder = story(content, "formats")
    for name in ("kk.markdown", "kk.txt", "notes.mkd", "page.html"):
        (folder / name).write_text("Title: Жәрмеңке\n\nМәтін.\n", encoding="utf-8")
    text = "the text must be in ru.md or kk.md (Markdown, named by its language); save it as kk.md"
    return [
        (f"{where}/kk.markdown", 1, f"kk.markdown: {text}"),
        (f"{where}/kk.txt", 1, f"kk.txt: {text}"),
        (f"{where}/notes.mkd", 1, not_published("notes.mkd", "the text goes in ru.md or kk.md")),
        (f"{where}/page.html", 1, not_published("page.html", "the text goes in ru.md or kk.md")),
    ]


def misnamed_text_alone(content):
    folder = content / "news/2025/2025-05-03-only-kazakh"
    folder.mkdir(parents=True)
    (folder / "kk.txt").write_text("Title: Жәрмеңке\n\nМәтін.\n", encoding="utf-8")
    samples.grayscale_jpeg(folder / "photo.jpg", (300, 200))
    text = "the text must be in ru.md or kk.md (Markdown, named by its language); save it as kk.md"
    return [("news/2025/2025-05-03-only-kazakh/kk.txt", 1, f"kk.txt: {text}")]


def pictures_without_a_text(content):
    folder = content / "news/2025/2025-05-04-photos"
    folder.mkdir(parents=True)
    samples.grayscale_jpeg(folder / "IMG_0001.JPG", (300, 200))
    message = "this story folder has no text, so nothing in it is published: write the text in ru.md or kk.md"
    return [("news/2025/2025-05-04-photos", 1, message)]


def files_outside_story_folders(content):
    samples.grayscale_jpeg(content / "news/2025/stray.jpg", (300, 200))
    (content / "README.txt").write_text("notes", encoding="utf-8")
    outside = "is outside any story or page folder, and nothing there is published; "
    return [
        ("README.txt", 1, f"README.txt {outside}move it into its story's folder or remove it"),
        ("news/2025/stray.jpg", 1, f"stray.jpg {outside}move it into its story's folder or remove it"),
    ]


def hidden_folder(content):
    (story(content, "hidden") / ".git").mkdir()
    (content / "news/2025/2025-05-01-hidden/.git/config").write_text(SECRET, encoding="utf-8")
    message = ".git is a hidden folder (its name starts with a dot); remove it"
    return [("news/2025/2025-05-01-hidden/.git", 1, message)]


def page_folder_script(content):
    (content / "pages/about/x.js").write_text("alert(1)", encoding="utf-8")
    return [("pages/about/x.js", 1, not_published("x.js").replace("a story folder", "a page folder"))]


ATTACKS = {
    attack.__name__: attack
    for attack in (
        environ_link,
        git_config_link,
        git_folder_link,
        story_folder_link,
        year_folder_link,
        cover_link,
        link_out_of_the_folder,
        script_and_svg,
        dotfile,
        camera_formats_the_site_does_not_read,
        unlinked_document,
        texts_in_other_formats,
        misnamed_text_alone,
        pictures_without_a_text,
        files_outside_story_folders,
        hidden_folder,
        page_folder_script,
    )
}


@pytest.fixture
def site_folder(tmp_path) -> Path:
    """The fixture site in tmp_path/content, with secrets beside it (where a checkout keeps its token)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    add_fixture_pictures(content)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text(f'[http]\n\textraheader = "AUTHORIZATION: {SECRET}"\n')
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    samples.camera_jpeg(tmp_path / "secret.jpg", (300, 200))
    return content


def snapshot(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def error_lines(text: str) -> list[str]:
    return sorted(
        line for line in text.splitlines() if line.startswith("content/") and ": warning: " not in line
    )


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_each_attack_stops_the_build_naming_the_file(site_folder, attack):
    expected = attack(site_folder)
    output = site_folder.parent / "output"
    (output / "ru").mkdir(parents=True)
    (output / "ru/index.html").write_text("the previous build", encoding="utf-8")
    before = snapshot(output)
    outside = sorted(p.name for p in site_folder.parent.iterdir())
    with pytest.raises(ContentErrors) as stopped:
        build(site_folder, output)
    assert stopped.value.code == 1
    found = [
        (Path(p.path).relative_to(site_folder).as_posix(), p.line, str(p.message))
        for p in stopped.value.problems
    ]
    assert found == sorted(expected)
    assert snapshot(output) == before
    assert sorted(p.name for p in site_folder.parent.iterdir()) == outside  # nothing written beside


def test_build_and_invoke_check_print_the_same_lines_for_every_attack(site_folder):
    expected = sorted(
        f"content/{path}:{line}: error: {message}"
        for attack in ATTACKS.values()
        for path, line, message in attack(site_folder)
    )
    output = site_folder.parent / "output"
    built = pelican_command(site_folder, output, cwd=site_folder.parent)
    checked = subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(ROOT), "check", "--content", str(site_folder)],
        capture_output=True,
        text=True,
        cwd=site_folder.parent,
        stdin=subprocess.DEVNULL,
    )
    assert (built.returncode, checked.returncode) == (1, 1)
    assert error_lines(built.stderr) == expected
    assert error_lines(checked.stdout) == expected
    assert "Traceback" not in built.stdout + built.stderr + checked.stdout + checked.stderr
    assert not output.exists()


def test_a_link_added_after_a_build_stops_the_next_one(site_folder):
    output = site_folder.parent / "output"
    build(site_folder, output)  # builds that find nothing changed stop at once: a new link is a change
    (site_folder / "news/2024/2024-02-10-chess-cup/env.txt").symlink_to("/proc/self/environ")
    before = snapshot(output)
    with pytest.raises(ContentErrors) as stopped:
        build(site_folder, output)
    assert [str(p.message) for p in stopped.value.problems] == [f"env.txt {LINK}"]
    assert snapshot(output) == before


def test_linked_documents_are_published_where_their_links_lead(site_folder):
    folder = story(
        site_folder,
        "documents",
        body='[Программа](programme.pdf), <a href="prices%20list.xlsx">цены</a>, [схема](plan.ODT#page=2)',
    )
    (folder / "programme.pdf").write_bytes(b"%PDF-1.4 programme")
    (folder / "prices list.xlsx").write_bytes(b"PK\x03\x04 prices")
    (folder / "plan.ODT").write_bytes(b"PK\x03\x04 plan")
    output = site_folder.parent / "output"
    build(site_folder, output)
    site = Site(output)
    links = {
        a.get_text(): unquote(a["href"])
        for a in site.page("/ru/news/2025/05/documents/").select(".story__body a")
    }
    assert links == {
        "Программа": "/news/2025/2025-05-01-documents/programme.pdf",
        "цены": "/news/2025/2025-05-01-documents/prices list.xlsx",
        "схема": "/news/2025/2025-05-01-documents/plan.ODT#page=2",
    }
    for name in ("programme.pdf", "prices list.xlsx", "plan.ODT"):
        assert (output / "news/2025/2025-05-01-documents" / name).read_bytes() == (folder / name).read_bytes()
    # Nothing else of any story folder is published as it is: no camera file, no text.
    copied = [
        p
        for p in output.rglob("*")
        if p.is_file() and p.parts[len(output.parts)] in ("news", "events", "pages")
    ]
    assert sorted(p.name for p in copied) == ["plan.ODT", "prices list.xlsx", "programme.pdf"]
    assert verify_site(output) == []


def test_a_picture_nothing_uses_is_a_warning_and_is_not_published(site_folder, capsys):
    samples.camera_jpeg(site_folder / "news/2024/2024-02-10-chess-cup/IMG_0001.JPG", (300, 200))
    output = site_folder.parent / "output"
    build(site_folder, output)
    assert (
        "content/news/2024/2024-02-10-chess-cup/IMG_0001.JPG:1: warning: nothing uses IMG_0001.JPG, "
        "so it is not published; show it in the text (![what it shows](IMG_0001.JPG)) or remove it"
    ) in [line.removeprefix(f"{site_folder.parent}/") for line in capsys.readouterr().err.splitlines()]
    assert not [p for p in output.rglob("*") if "img-0001" in p.name.lower()]
    assert samples.SERIAL.encode() not in b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", ["IMG_0002.HIF", "IMG_0003.heic"])
def test_heif_pictures_are_re_encoded_without_camera_metadata(site_folder, name):
    folder = story(site_folder, "iphone", body=f"![Ярмарка на площади]({name})")
    samples.camera_heif(folder / name)
    with Image.open(folder / name) as source:  # the camera file does carry GPS and the serial
        assert source.getexif().get_ifd(0x8825)
    assert samples.SERIAL.encode() in (folder / name).read_bytes()
    output = site_folder.parent / "output"
    build(site_folder, output)
    assert not [p for p in output.rglob("*") if p.suffix.lower() in (".hif", ".heic")]
    picture = Site(output).page("/ru/news/2025/05/iphone/").select_one(".story__body img")
    stem = Path(name).stem.lower().replace("_", "-")
    derivatives = sorted((output / "media").glob(f"{stem}-*"))
    assert {p.suffix for p in derivatives} == {".webp", ".jpg"}
    assert f"/media/{Path(picture['src']).name}" in {f"/media/{p.name}" for p in derivatives}
    for derivative in derivatives:
        data = derivative.read_bytes()
        with Image.open(derivative) as image:
            assert dict(image.getexif()) == {}
            assert "exif" not in image.info and "xmp" not in image.info
        assert samples.SERIAL.encode() not in data and samples.MAKER.encode() not in data


def test_publish_verification_refuses_what_the_build_never_writes(tmp_path):
    (tmp_path / "theme/js").mkdir(parents=True)
    (tmp_path / "theme/js/site.js").write_text("", encoding="utf-8")  # the theme's own: fine
    (tmp_path / "index.html").write_text("<h1>Almaty</h1>", encoding="utf-8")
    (tmp_path / "robots.txt").write_text("", encoding="utf-8")
    story_folder = tmp_path / "news/2025/2025-05-01-fair"
    story_folder.mkdir(parents=True)
    (story_folder / "programme.pdf").write_bytes(b"%PDF")
    (story_folder / "evil.svg").write_text("<svg/>", encoding="utf-8")
    (story_folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # a camera file, not a derivative
    (story_folder / ".env").write_text(SECRET, encoding="utf-8")
    (tmp_path / "x.js").write_text("", encoding="utf-8")
    (tmp_path / "media").mkdir()
    (tmp_path / "media/fair-720x480.0123456789.webp").write_bytes(b"RIFF")
    (tmp_path / "media/IMG_0002.HIF").write_bytes(b"")
    (tmp_path / "media/environ.txt").symlink_to("/proc/self/environ")
    (tmp_path / "theme/leak").symlink_to(tmp_path / ".git", target_is_directory=True)
    refused = "is not a file the site publishes; it must not be deployed"
    assert [str(p) for p in verify_site(tmp_path)] == [
        f"media/IMG_0002.HIF: {refused}",
        "media/environ.txt: is a symbolic link; a published site holds only its own files",
        f"news/2025/2025-05-01-fair/.env: {refused}",
        f"news/2025/2025-05-01-fair/evil.svg: {refused}",
        f"news/2025/2025-05-01-fair/photo.jpg: {refused}",
        "theme/leak: is a symbolic link; a published site holds only its own files",
        f"x.js: {refused}",
    ]


def test_the_content_walk_never_goes_through_a_link(tmp_path):
    root = tmp_path / "content"
    (root / "news/2025/2025-05-01-fair").mkdir(parents=True)
    (root / "news/2025/2025-05-01-fair/ru.md").write_text("Title: x\n\ntext\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/ru.md").write_text(SECRET, encoding="utf-8")
    (root / "news/2025/2025-05-02-linked").symlink_to(tmp_path / "elsewhere")
    (root / "news/2025/2025-05-01-fair/kk.md").symlink_to(tmp_path / "elsewhere/ru.md")
    os.mkfifo(root / "news/2025/2025-05-01-fair/pipe")
    tree = ContentTree(str(root))
    assert list(tree.files()) == ["news/2025/2025-05-01-fair/ru.md"]
    assert tree.links == ["news/2025/2025-05-01-fair/kk.md", "news/2025/2025-05-02-linked"]
    assert tree.others == ["news/2025/2025-05-01-fair/pipe"]
    assert tree.through_link(str(root / "news/2025/2025-05-02-linked/ru.md"))
    assert not tree.through_link(str(root / "news/2025/2025-05-01-fair/ru.md"))
    assert not tree.has_folder(str(root / "news/2025/2025-05-02-linked"))


@pytest.mark.parametrize(
    ("relative", "published"),
    [
        ("news/2025/2025-05-01-fair/programme.pdf", True),
        ("news/2025/2025-05-01-fair/docs/Plan.DOCX", True),
        ("pages/about/prices.csv", True),
        ("news/2025/2025-05-01-fair/env.txt", False),  # a link to /proc/self/environ
        ("news/2025/2025-05-01-fair/kk.txt", False),  # a text under the wrong name
        ("news/2025/2025-05-01-fair/.notes.txt", False),
        ("news/2025/2025-05-01-fair/photo.jpg", False),  # pictures are re-encoded, never copied
        ("news/2025/2025-05-01-fair/evil.svg", False),
        ("news/2025/programme.pdf", False),  # outside a story folder
        ("../secret.txt", False),
    ],
)
def test_of_the_files_texts_link_only_documents_in_their_folder_are_copied(tmp_path, relative, published):
    # What the build copies even if a check let a file through: the last line before the output.
    content = tmp_path / "content"
    for name in (relative, "news/2025/2025-05-01-fair/kk.txt", "pages/about/prices.csv"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        if not (content / name).exists() and "env.txt" not in name:
            (content / name).write_bytes(b"x")
    (content / "news/2025/2025-05-01-fair/env.txt").symlink_to("/proc/self/environ")
    assert is_publishable_document(content, relative) is published
