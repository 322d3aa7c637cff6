"""bench/changes.py: the files one build changed, as a deploy would upload them."""

from pathlib import Path

from bench.changes import changed_files, snapshot


def write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


SITE = {
    "index.html": b"<h1>home</h1>",
    "ru/news/2025/01/a/index.html": b"story a",
    "media/a-720x480.0123456789.jpg": b"\xff\xd8jpeg",
    "pagefind/ru/2025/pagefind-entry.json": b"{}",
    "pagefind-ui/x.js": b"1",
}


def test_the_same_tree_has_no_changes(tmp_path):
    before, after = write(tmp_path / "a", SITE), write(tmp_path / "b", SITE)
    assert changed_files(before, after) == []


def test_added_removed_and_changed_files_are_listed_even_at_the_same_size(tmp_path):
    before = write(tmp_path / "a", SITE)
    after = write(
        tmp_path / "b",
        {
            **{k: v for k, v in SITE.items() if k != "media/a-720x480.0123456789.jpg"},
            "index.html": b"<h1>HOME</h1>",  # same length, other bytes
            "ru/news/2025/02/b/index.html": b"story b",
        },
    )
    assert changed_files(before, after) == [
        "index.html",
        "media/a-720x480.0123456789.jpg",
        "ru/news/2025/02/b/index.html",
    ]


def test_pagefinds_folders_are_left_out(tmp_path):
    before = write(tmp_path / "a", SITE)
    after = write(
        tmp_path / "b",
        {**SITE, "pagefind/ru/2025/pagefind-entry.json": b"{1}", "pagefind/ru/2026/new.pf_meta": b"x"},
    )
    assert changed_files(before, after) == []


def test_a_snapshot_is_a_copy_a_build_rewriting_files_in_place_leaves_alone(tmp_path):
    output = write(tmp_path / "output", SITE)
    before = snapshot(output, tmp_path / "before")
    assert not (before / "pagefind").exists()
    with (output / "index.html").open("r+b") as rewritten:  # as stock Pelican writes: in place
        rewritten.write(b"<h2>")
    assert (before / "index.html").read_bytes() == SITE["index.html"]
    assert changed_files(before, output) == ["index.html"]


def test_the_bench_table_sets_ours_against_stock_with_and_without_pagefind():
    from bench.bench import STOCK_SEARCH, Measurement, Result, combined, table

    stock = Measurement(10.0, 12.0, 300.0)
    search = combined(stock, Measurement(5.0, 8.0, 500.0))
    assert (search.seconds, search.cpu, search.peak_mb) == (15.0, 20.0, 500.0)
    results = [
        Result(1000, False, "ours", "add one", [Measurement(3.0, 4.0, 200.0)], changed=["a"] * 35),
        Result(1000, False, "stock", "add one", [stock], changed=["b"] * 1900),
        Result(1000, False, STOCK_SEARCH, "add one", [search], changed=["b"] * 1900),
    ]
    header, _, *rows = table(results).splitlines()
    [row] = [r for r in rows if "add one" in r]
    cells = dict(
        zip((c.strip() for c in header.split("|")), (c.strip() for c in row.split("|")), strict=True)
    )
    assert cells["stock+PF s"] == "15.00" and cells["stock s"] == "10.00"
    assert cells["ours/stock+PF"] == "0.20" and cells["CPU ours/stock+PF"] == "0.20"
    assert cells["ours/stock"] == "0.30"
    assert (cells["files changed ours"], cells["stock"]) == ("35", "1900")
