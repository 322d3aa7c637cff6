"""Pages rendered late, on all cores, come out as the build's own process would render them."""

import logging
from pathlib import Path

import pytest
from jinja2 import Environment
from pelican.writers import FileOverwriteFailedError, Writer

from build_core.core import Build
from incremental import rendering
from incremental.rendering import DeferredRendering

TEMPLATES = Environment(autoescape=True)
PAGE = TEMPLATES.from_string("<h1>{{ title }}</h1><p>{{ SITENAME }}</p>")


def page_logging_a_warning(title: str) -> str:
    logging.getLogger("theme").warning("no summary in %s", title)
    return title


TEMPLATES.filters["warn"] = page_logging_a_warning
WARNING_PAGE = TEMPLATES.from_string("<h1>{{ title|warn }}</h1>")
FAILING_PAGE = TEMPLATES.from_string("{{ 1 // zero }}")


def writer_for(output: Path) -> Writer:
    settings = {"PAGINATED_TEMPLATES": {"index": None}, "DEFAULT_PAGINATION": 10}
    return Writer(str(output), settings)


def deferred_rendering(writer: Writer, processes: int) -> DeferredRendering:
    return DeferredRendering(writer, writer.write_file, processes, promise=lambda finish: None)


def note_pages(deferred: DeferredRendering, count: int, template=PAGE, context=None) -> None:
    context = context if context is not None else {"SITENAME": "Алматы"}
    for number in range(count):
        name = f"ru/news/{number}/index.html"
        assert deferred.defer(
            name, template, context, False, None, None, False, None, {"title": f"№{number}"}
        )


@pytest.mark.parametrize("processes", [1, 2])
def test_noted_pages_are_written_only_when_finished(tmp_path, processes):
    writer = writer_for(tmp_path)
    deferred = deferred_rendering(writer, processes)
    note_pages(deferred, rendering.POOL_THRESHOLD + 5)
    assert not (tmp_path / "ru").exists()
    deferred.finish()
    pages = sorted(tmp_path.rglob("index.html"))
    assert len(pages) == rendering.POOL_THRESHOLD + 5
    assert (tmp_path / "ru/news/7/index.html").read_text(encoding="utf-8") == "<h1>№7</h1><p>Алматы</p>"


def test_a_page_sees_the_context_as_it_was_when_it_was_noted(tmp_path):
    writer = writer_for(tmp_path)
    deferred = deferred_rendering(writer, 2)
    context = {"SITENAME": "Алматы"}
    note_pages(deferred, 1, context=context)
    context["SITENAME"] = "Алматы қаласы"  # a generator changing the shared context later
    deferred.defer("kk/index.html", PAGE, context, False, None, None, False, None, {"title": "Басты"})
    deferred.finish()
    assert "<p>Алматы</p>" in (tmp_path / "ru/news/0/index.html").read_text(encoding="utf-8")
    assert "<p>Алматы қаласы</p>" in (tmp_path / "kk/index.html").read_text(encoding="utf-8")


def test_what_workers_log_is_logged_by_the_build_in_page_order(tmp_path, caplog):
    writer = writer_for(tmp_path)
    deferred = deferred_rendering(writer, 2)
    note_pages(deferred, rendering.POOL_THRESHOLD, template=WARNING_PAGE)
    with caplog.at_level(logging.WARNING):
        deferred.finish()
    messages = [r.getMessage() for r in caplog.records if r.name == "theme"]
    assert messages == [f"no summary in №{n}" for n in range(rendering.POOL_THRESHOLD)]


def test_a_page_that_fails_in_a_worker_fails_the_build_with_its_error(tmp_path):
    writer = writer_for(tmp_path)
    deferred = deferred_rendering(writer, 2)
    note_pages(deferred, rendering.POOL_THRESHOLD)
    deferred.defer("ru/broken/index.html", FAILING_PAGE, {"zero": 0}, False, None, None, False, None, {})
    with pytest.raises(ZeroDivisionError):
        deferred.finish()


def test_pages_that_cannot_wait_are_left_to_the_writer_at_once(tmp_path):
    writer = writer_for(tmp_path)
    deferred = deferred_rendering(writer, 2)
    context = {"SITENAME": "Алматы"}
    assert not deferred.defer("a.html", PAGE, context, True, None, None, False, None, {})  # relative URLs
    assert not deferred.defer("b.html", PAGE, context, False, {"articles": []}, "index", False, None, {})
    assert not deferred.defer(
        "index.html", PAGE, context, False, None, "index", False, None, {"articles": []}
    )
    assert deferred.defer("c.html", PAGE, context, False, None, None, False, None, {"title": "В"})
    # A second page of the same name is refused as Pelican refuses it, not noted.
    assert not deferred.defer("c.html", PAGE, context, False, None, None, False, None, {"title": "Г"})
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("c.html", PAGE, context, title="Г")
    deferred.finish()
    assert (tmp_path / "c.html").read_text(encoding="utf-8") == "<h1>В</h1><p>Алматы</p>"


def a_build(tmp_path) -> Build:
    return Build({"PATH": str(tmp_path / "content")}, tmp_path / "final", tmp_path / "staging")


def test_the_build_makes_promised_files_once_when_it_settles(tmp_path):
    build = a_build(tmp_path)
    made = []

    def finish():
        (tmp_path / "staging").mkdir()
        (tmp_path / "staging" / "late.html").write_text("late", encoding="utf-8")
        made.append(True)

    build.promised.add(finish)
    assert made == []
    build.settle()
    assert (tmp_path / "staging" / "late.html").read_text(encoding="utf-8") == "late"
    build.settle()
    assert made == [True]  # once


def test_pages_noted_after_the_build_settled_are_promised_again(tmp_path):
    build = a_build(tmp_path)
    writer = writer_for(tmp_path)
    deferred = DeferredRendering(writer, writer.write_file, 2, build.promised.add)
    note_pages(deferred, 2)
    build.settle()  # the pictures plugin settles early, while its workers run
    assert (tmp_path / "ru/news/1/index.html").is_file()
    context = {"SITENAME": "Алматы"}
    deferred.defer("kk/index.html", PAGE, context, False, None, None, False, None, {"title": "Ә"})
    assert not (tmp_path / "kk/index.html").exists()
    build.settle()
    assert (tmp_path / "kk/index.html").read_text(encoding="utf-8") == "<h1>Ә</h1><p>Алматы</p>"


class TitlesSeen:
    """A carrier: the titles each process rendered, brought back to the build."""

    def __init__(self):
        self.seen, self.kept = [], []

    def note(self, title: str) -> str:
        self.seen.append(title)
        return title

    def take(self):
        taken, self.seen = self.seen, []
        return taken

    def give(self, taken) -> None:
        self.kept += taken


def test_what_workers_work_out_is_given_to_the_build(tmp_path):
    titles = TitlesSeen()
    template = Environment(autoescape=True)
    template.filters["seen"] = titles.note
    writer = writer_for(tmp_path)
    deferred = DeferredRendering(writer, writer.write_file, 2, lambda finish: None, [titles])
    note_pages(deferred, rendering.POOL_THRESHOLD, template=template.from_string("{{ title|seen }}"))
    deferred.finish()
    assert sorted(titles.kept) == sorted(f"№{n}" for n in range(rendering.POOL_THRESHOLD))
    assert titles.seen == []  # rendered by the workers, not here
