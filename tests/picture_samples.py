"""Real picture files for the pictures tests, made with Pillow: camera quirks, colour modes, bad files."""

import functools
import io
import struct
from pathlib import Path

import pillow_heif
from PIL import Image, ImageCms

RED, GREEN, BLUE = (220, 20, 20), (20, 200, 20), (20, 20, 220)
SERIAL = "SN-4242-ALMATY"
MAKER = "AcmeCam"

# sRGB's colourants adapted to D50, as in the sRGB ICC profile (red, green, blue).
SRGB_COLOURANTS = ((0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141))
D50 = (0.9642, 1.0, 0.8249)


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def matrix_profile(colourants=SRGB_COLOURANTS, gamma: float = 2.2, name: str = "test") -> bytes:
    """Build a minimal ICC v2 RGB display profile (matrix and gamma curves), as cameras embed them."""

    def xyz(values) -> bytes:
        return b"XYZ \x00\x00\x00\x00" + b"".join(_s15(v) for v in values)

    curve = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(gamma * 256)) + b"\x00\x00"
    text = name.encode() + b"\x00"
    desc = b"desc\x00\x00\x00\x00" + struct.pack(">I", len(text)) + text + bytes(4 + 4 + 2 + 1 + 67)
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(D50)),
        (b"rXYZ", xyz(colourants[0])),
        (b"gXYZ", xyz(colourants[1])),
        (b"bXYZ", xyz(colourants[2])),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + bytes(12)
        + b"acsp"
        + bytes(4 + 4 + 4 + 4 + 8 + 4)
        + b"".join(_s15(v) for v in D50)
        + bytes(4 + 16 + 28)
    )
    return header + struct.pack(">I", len(tags)) + table + data


def swapped_profile() -> bytes:
    """A profile whose "red" is sRGB's green and "green" sRGB's red: converting it must swap them."""
    red, green, blue = SRGB_COLOURANTS
    return matrix_profile((green, red, blue), name="red-green swapped")


def halves(size, top, bottom, mode="RGB") -> Image.Image:
    """A picture whose top half is one colour and bottom half another."""
    image = Image.new(mode, size, bottom)
    image.paste(top, (0, 0, size[0], size[1] // 2))
    return image


def camera_jpeg(path: Path, size=(1600, 1200), orientation: int = 6) -> Path:
    """A camera JPEG: stored sideways (left half red, right half blue) with orientation, GPS and serial."""
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[0x010F] = MAKER  # Make
    exif[0x0110] = "Model 7"
    exif[0x0112] = orientation
    exif[0x0131] = "CameraFirmware 1.0"
    exif.get_ifd(0x8769)[0xA431] = SERIAL  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 14.0, 18.0), "E", (76.0, 53.0, 44.0)
    image.save(path, quality=92, exif=exif, comment=b"taken by " + SERIAL.encode())
    return path


def camera_heif(path: Path, size=(1200, 900)) -> Path:
    """An iPhone-style HEIF (.HIF, .heic) with the camera's EXIF: GPS and serial, written by libheif."""
    camera_jpeg(path.with_suffix(".source.jpg"), size, orientation=1)
    with Image.open(path.with_suffix(".source.jpg")) as image:
        pillow_heif.from_pillow(image).save(path, quality=90, exif=image.info["exif"])
    path.with_suffix(".source.jpg").unlink()
    return path


def cmyk_jpeg(path: Path, size=(800, 600)) -> Path:
    """A CMYK JPEG (as print workflows export): top pure cyan, bottom pure yellow."""
    halves(size, (255, 0, 0, 0), (0, 0, 255, 0), "CMYK").save(path, quality=95)
    return path


def alpha_png(path: Path, size=(800, 600)) -> Path:
    """A PNG with transparency: top half opaque red, bottom half fully transparent."""
    halves(size, (*RED, 255), (0, 0, 0, 0), "RGBA").save(path)
    return path


def sixteen_bit_png(path: Path, size=(800, 100)) -> Path:
    """A 16-bit greyscale PNG, a ramp from black to white left to right."""
    ramp = Image.linear_gradient("L").rotate(90).resize(size)  # 0 at left … 255 at right
    ramp.convert("I").point(lambda v: v * 257).convert("I;16").save(path)
    return path


def palette_gif(path: Path, size=(400, 300), frames: int = 1) -> Path:
    """A palette GIF: top half green, bottom half transparent; with frames > 1, an animation."""
    pictures = []
    for n in range(frames):
        image = Image.new("P", size, 0)
        image.putpalette([*BLUE, *GREEN, *RED] + [0] * (256 - 3) * 3)
        image.paste(1 if n == 0 else 2, (0, 0, size[0], size[1] // 2))
        pictures.append(image)
    pictures[0].save(
        path, save_all=frames > 1, append_images=pictures[1:], transparency=0, duration=200, loop=0
    )
    return path


def grayscale_jpeg(path: Path, size=(800, 600)) -> Path:
    """A greyscale JPEG: top half light grey, bottom half dark grey."""
    halves(size, 200, 50, "L").save(path, quality=95)
    return path


def icc_png(path: Path, size=(800, 600)) -> Path:
    """An RGB PNG in a red/green-swapped colour space, top half stored as pure "red"."""
    halves(size, (255, 0, 0), (0, 0, 255)).save(path, icc_profile=swapped_profile())
    return path


def truncated_jpeg(path: Path, size=(1200, 900)) -> Path:
    """A JPEG cut off halfway, as an interrupted copy leaves it: its header still reads fine."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    return path


@functools.cache
def _bomb(side: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def bomb_png(path: Path, side: int = 13_500) -> Path:
    """A decompression bomb: a 13,500 px square PNG of one colour, 22 KB on disk."""
    path.write_bytes(_bomb(side))
    return path


def srgb_profile_bytes() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
