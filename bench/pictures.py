"""Benchmark the pictures pipeline (cold and warm) against a naive one-process Pillow loop.

Run through `invoke bench-pictures`. Each stage runs in a fresh process, so that its peak
memory (maximum resident set size, its own and its worker processes') is its own.
"""

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageOps

from pictures.options import options_of
from pictures.pictures import plan_jobs, publish, run_jobs
from pictures.plan import PictureUse, Planner
from pictures.processing import Store

POOL_VERSION = "1"  # bump when the generated pictures change
PHONE_WIDTH = 360  # CSS px; the story column is the viewport less 2rem of margins
PAGE_PICTURES = 3  # a typical story page: a cover and two pictures in the text


def _octave_noise(size: tuple[int, int], rng: random.Random, levels) -> Image.Image:
    """Grey noise with detail at the given scales (with falling strength, about 1/f as in photographs)."""
    texture = Image.new("L", size, 128)
    for level, strength in levels:
        small = (max(2, size[0] // level), max(2, size[1] // level))
        layer = Image.effect_noise(small, 40 + rng.randint(0, 30)).resize(size, Image.Resampling.BICUBIC)
        texture = Image.blend(texture, layer, strength)
    return ImageOps.autocontrast(texture, cutoff=1)


def camera_base(size: tuple[int, int], seed: int = 1) -> Image.Image:
    """A large photo-like texture the pool's pictures are cut from: detailed light, smooth colour."""
    rng = random.Random(seed)
    margin = (size[0] + 400, size[1] + 400)
    luma = _octave_noise(margin, rng, ((256, 0.9), (64, 0.5), (16, 0.25), (4, 0.12), (1, 0.05)))
    chroma = [_octave_noise(margin, rng, ((512, 0.9), (128, 0.5), (32, 0.2))) for _ in range(2)]
    chroma = [c.point(lambda v: 128 + (v - 128) // 3) for c in chroma]
    textured = Image.merge("YCbCr", (luma, *chroma)).convert("RGB")
    # Like most photographs, part of the frame is smooth (sky, walls, a blurred background).
    small = (margin[0] // 24, margin[1] // 24)
    smooth = textured.resize(small, Image.Resampling.BOX).resize(margin, Image.Resampling.BICUBIC)
    mask = _octave_noise(margin, rng, ((768, 1.0),)).point(
        lambda v: 255 if v > 150 else 0 if v < 100 else (v - 100) * 5
    )
    return Image.composite(textured, smooth, mask)


def sensor_noise(size: tuple[int, int]) -> Image.Image:
    """Grain, centred on 128, larger than a picture so each picture takes another part of it."""
    return Image.effect_noise((size[0] + 400, size[1] + 400), 6).convert("RGB")


def camera_picture(base: Image.Image, grain: Image.Image, size: tuple[int, int], seed: int) -> Image.Image:
    """One camera-like picture: a shifted, turned, tinted cut of the base, shapes, sensor noise."""
    rng = random.Random(seed)
    left, top = rng.randint(0, base.width - size[0]), rng.randint(0, base.height - size[1])
    picture = base.crop((left, top, left + size[0], top + size[1]))
    picture = ImageOps.mirror(picture) if seed % 2 else picture
    picture = ImageOps.flip(picture) if seed % 3 == 0 else picture
    tint = [rng.uniform(0.7, 1.2) for _ in range(3)]
    channels = zip(picture.split(), tint, strict=True)
    picture = Image.merge("RGB", [c.point(lambda v, t=t: min(255, int(v * t))) for c, t in channels])
    draw = ImageDraw.Draw(picture)
    for _ in range(12):
        x, y = rng.randint(0, size[0]), rng.randint(0, size[1])
        w, h = rng.randint(100, size[0] // 4), rng.randint(100, size[1] // 4)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    left, top = rng.randint(0, grain.width - size[0]), rng.randint(0, grain.height - size[1])
    noise = grain.crop((left, top, left + size[0], top + size[1]))
    # Sensor noise: effect_noise is centred on 128, so add it less 128 (add() clips at 0 and 255).
    return ImageChops.add(picture, noise, scale=1.0, offset=-128)


def make_pool(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    """Make (once) a deterministic pool of camera-sized JPEGs with camera EXIF, in folder."""
    folder = folder / f"pool-{POOL_VERSION}-{count}-{size[0]}x{size[1]}"
    paths = [folder / f"IMG_{n:04d}.jpg" for n in range(count)]
    if all(p.is_file() for p in paths):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    base, grain = camera_base(size), sensor_noise(size)
    for n, path in enumerate(paths):
        if path.is_file():
            continue
        exif = Image.Exif()
        exif[0x010F], exif[0x0110], exif[0x0112] = "BenchCam", "Model 1", 1
        exif.get_ifd(0x8769)[0xA431] = f"SN{n:06d}"
        temporary = path.with_suffix(".tmp")
        camera_picture(base, grain, size, n).save(temporary, "JPEG", quality=92, exif=exif)
        temporary.replace(path)
    return paths


def _uses(planner: Planner, paths: list[Path]) -> list[tuple[str, PictureUse]]:
    """Plan every picture as a story cover: story widths, card crops and Open Graph."""
    uses = []
    for path in paths:
        source = planner.source(path)
        made = planner.story(source, "a").all_derivatives() + planner.card(source, "a").all_derivatives()
        uses.append((str(path), PictureUse(source, (*made, planner.open_graph(source)), path.name, 1)))
    return uses


def stage_pipeline(paths: list[Path], cache: Path, output: Path) -> dict:
    """Plan, make what the cache lacks, and publish into output, as a build does."""
    options = options_of({"PICTURES_CACHE_PATH": str(cache), "OUTPUT_PATH": str(output)})
    store = Store(options.cache_path)
    start = time.perf_counter()
    planner = Planner(options)
    uses = _uses(planner, paths)
    jobs, reused = plan_jobs(uses, store)
    results = run_jobs(jobs, store, options)
    published = {d.name: d for _, use in uses for d in use.derivatives}
    publish(published, store, output / "media")
    seconds = time.perf_counter() - start
    errors = [r.error for r in results if r.error]
    if errors:
        raise SystemExit(f"benchmark pictures failed: {errors[:3]}")
    sizes = {d.name: (output / "media" / d.name).stat().st_size for d in published.values()}
    formats: dict[str, list[int]] = {}
    for d in published.values():
        formats.setdefault(d.format, []).append(sizes[d.name])
    page = []
    for path in paths[:PAGE_PICTURES]:
        story = planner.story(planner.source(path), "a")
        page.append([(fmt, d.width, sizes[d.name]) for fmt, made in story.formats for d in made])
    return {
        "seconds": seconds,
        "made": sum(r.made for r in results),
        "reused": reused,
        "files": len(published),
        "bytes": sum(sizes.values()),
        "by_format": {fmt: [len(found), sum(found)] for fmt, found in sorted(formats.items())},
        "workers": options.workers,
        "page": page,
        "story_widths": options.widths,
    }


def stage_naive(paths: list[Path], output: Path, same_work: bool) -> dict:
    """The usual plugin loop: for each output, open the source, thumbnail (or fit), save; one process."""
    options = options_of({"PICTURES_CACHE_PATH": str(output.parent / "unused"), "OUTPUT_PATH": str(output)})
    planner = Planner(options)
    output.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    made = 0
    for path in paths:
        if not same_work:
            with Image.open(path) as image:
                image.thumbnail((640, 640))
                image.save(output / f"{path.stem}-640.jpg", quality=80)
            made += 1
            continue
        source = planner.source(path)
        story, card = planner.story(source, "a"), planner.card(source, "a")
        for derivative in (*story.all_derivatives(), *card.all_derivatives(), planner.open_graph(source)):
            with Image.open(path) as image:
                size = (derivative.width, derivative.height)
                if derivative.op.box == (0, 0, *source.probe.size):
                    image.thumbnail(size)
                else:
                    image = ImageOps.fit(image, size)
                image.save(output / derivative.name, quality=derivative.op.quality or None)
            made += 1
    return {"seconds": time.perf_counter() - start, "made": made}


def _cpu_seconds() -> float:
    """CPU time (user and system) of this process and its finished worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _peak_mib() -> dict:
    # ru_maxrss survives exec on Linux (it would count the parent's peak): VmHWM is this image's own.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with contextlib.suppress(OSError, StopIteration, ValueError):
        status = Path("/proc/self/status").read_text().splitlines()
        own = int(next(line for line in status if line.startswith("VmHWM:")).split()[1]) / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_mib": round(own, 1), "worker_peak_mib": round(workers, 1)}


def run_stage(argv: list[str]) -> None:
    """Run one stage in this process and print its figures as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("stage", choices=["cold", "warm", "naive", "naive-one"])
    parser.add_argument("--pool", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    paths = sorted(args.pool.glob("*.jpg"))
    cpu = _cpu_seconds()
    if args.stage in ("cold", "warm"):
        figures = stage_pipeline(paths, args.work / "cache", args.work / f"output-{args.stage}")
    else:
        figures = stage_naive(paths, args.work / f"output-{args.stage}", same_work=args.stage == "naive")
    figures["cpu_seconds"] = _cpu_seconds() - cpu
    print(json.dumps({"stage": args.stage, "pictures": len(paths), **figures, **_peak_mib()}))


def _chosen(candidates: list[tuple[int, int]], needed: float) -> tuple[int, int]:
    """What a browser fetches from a srcset: the narrowest candidate at least `needed` px wide."""
    wide_enough = [c for c in sorted(candidates) if c[0] >= needed]
    return wide_enough[0] if wide_enough else max(candidates)


def page_bytes(page: list[list], fmt: str, dpr: float) -> tuple[int, int]:
    """Bytes a phone 360 CSS px wide fetches for a story page's pictures, and the width it picks."""
    total, width = 0, 0
    for picture in page:
        width, size = _chosen([(w, size) for f, w, size in picture if f == fmt], (PHONE_WIDTH - 32) * dpr)
        total += size
    return total, width


STAGES = ("cold", "warm", "naive", "naive-one")


def run_stages(pool: Path, stages: tuple[str, ...] = STAGES) -> dict[str, dict]:
    """Run each stage in a fresh process (so that its peak memory is its own); return their figures."""
    figures = {}
    # The repository's root, so that the stage finds this module (and, through bench/, the plugins).
    path = [str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, path))}
    with tempfile.TemporaryDirectory(prefix="bench-pictures-") as work:
        for stage in stages:
            command = [sys.executable, "-m", "bench.pictures", "--stage", stage, "--pool", str(pool)]
            command += ["--work", work]
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if done.returncode:
                raise SystemExit(f"stage {stage} failed:\n{done.stderr}")
            figures[stage] = json.loads(done.stdout.strip().splitlines()[-1])
            shutil.rmtree(Path(work) / f"output-{stage}", ignore_errors=True)
    return figures


def print_written(cold: dict, count: int) -> None:
    """Print the files and bytes a cold run wrote per picture, and its CPU time per picture."""
    per_picture = cold["files"] / count
    print(
        f"\nEach picture as a story cover: {per_picture:g} derivatives (story widths, card crops, "
        "Open Graph),"
        f" {cold['bytes'] / count / 1024:.0f} KiB written per picture ({cold['bytes'] / 1e6:.1f} MB in all),"
        f" {cold['cpu_seconds'] / count * 1000:.0f} ms of CPU per picture (cold)."
    )
    for fmt, (files, size) in cold["by_format"].items():
        print(f"  {fmt:<5} {files / count:4g} a picture, {size / count / 1024:6.0f} KiB a picture")


def print_report(figures: dict[str, dict], count: int) -> None:
    """Print files and bytes written, pictures per second, CPU time and memory per stage, the ratios, and a
    phone's page bytes (the naive rows and ratios only when those stages ran)."""
    cold = figures["cold"]
    print_written(cold, count)
    print(f"{'stage':<34}{'seconds':>9}{'pictures/s':>12}{'CPU s':>8}{'peak MiB (main / workers)':>28}")
    names = {
        "cold": ("pipeline, cold cache", f"{cold['workers']} workers"),
        "warm": ("pipeline, warm cache", "nothing to make"),
        "naive": ("naive loop, same derivatives", "1 process"),
        "naive-one": ("naive loop, one 640 px JPEG each", "1 process"),
    }
    for stage, f in figures.items():
        name, note = names[stage]
        memory = f"{f['peak_mib']:.0f} / {f['worker_peak_mib']:.0f}"
        timing = f"{f['seconds']:>9.1f}{count / f['seconds']:>12.2f}{f['cpu_seconds']:>8.1f}"
        print(f"{name:<34}{timing}{memory:>28}   {note}")
    if "naive" in figures and "warm" in figures:
        naive, warm = figures["naive"], figures["warm"]
        print(
            f"\nRatio to the naive loop (same derivatives): cold {naive['seconds'] / cold['seconds']:.1f}×, "
            f"warm {naive['seconds'] / warm['seconds']:.0f}× in pictures per second; "
            f"cold uses {cold['cpu_seconds'] / naive['cpu_seconds']:.2f}× the naive loop's CPU time"
        )
    print(f"Load average during the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"\nA story page with {PAGE_PICTURES} pictures on a phone {PHONE_WIDTH} CSS px wide:")
    for dpr in (1, 2, 3):
        webp, width = page_bytes(cold["page"], "webp", dpr)
        jpeg, jpeg_width = page_bytes(cold["page"], "jpeg", dpr)
        kib = f"{webp / 1024:.0f} KiB in WebP; without WebP, the {jpeg_width} px JPEG: {jpeg / 1024:.0f} KiB"
        print(f"  DPR {dpr}: the {width} px derivatives, {kib}")


def main(argv: list[str] | None = None) -> None:
    """Make the pool, run each stage in a fresh process, print pictures per second, ratios, memory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--size", default="4000x3000")
    parser.add_argument("--pool", type=Path, default=Path("cache/bench-pictures"))
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated, cold first")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    stages = tuple(s.strip() for s in args.stages.split(","))
    if stages[0] != "cold" or not set(stages) <= set(STAGES):
        parser.error(f"--stages: cold first, then any of {', '.join(STAGES)}")
    size = tuple(int(n) for n in args.size.split("x"))
    started = time.perf_counter()
    paths = make_pool(args.pool, args.count, size)
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(
        f"Pool: {len(paths)} JPEGs of {size[0]}×{size[1]}, {megabytes:.0f} MB, in {paths[0].parent} "
        f"(made or found in {time.perf_counter() - started:.0f} s)"
    )
    figures = run_stages(paths[0].parent, stages)
    print_report(figures, len(paths))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--stage":
        run_stage(sys.argv[2:])
    else:
        main(sys.argv[1:])
