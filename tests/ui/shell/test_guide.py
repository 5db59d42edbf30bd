"""The user guide (docs/guide): its pictures come from the real program at 1366×768, each one is shown by a
page and committed, each shows the state its page describes; the links between the pages and from the
section help hold.

The pictures are made again here, into a temporary folder (tests never write into the checkout), by the
generator that ``bench/guide_screenshots.py`` runs to refresh the committed ones. Each picture is the
whole simulated screen, 1366×768: the main window over all of it, and the dialogs of that state over it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.resource_files import guide_path
from tests.ui.shell.guide_shots import GUIDE, SCREEN, SHOTS, generate

ROOT = Path(__file__).resolve().parents[3]
HELP = ROOT / "resources" / "help"
TASK_PAGES = ("first-start.md", "import-registry.md", "teacher-route.md", "event-certificates.md", "materials-review.md",
              "region-reports.md", "package-exchange.md", "backup-restore.md")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
MIN_COLOURS = 300          # a blank or half-painted window has a few dozen


def pages() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(GUIDE.glob("*.md"))}


def distinct_colours(image: QImage, step: int = 5) -> int:
    data = bytes(image.convertToFormat(QImage.Format.Format_RGB32).constBits())
    return len({data[i:i + 4] for i in range(0, len(data), 4 * step)})


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> tuple[Path, dict]:
    work = tmp_path_factory.mktemp("guide")
    report = generate(work / "img", work / "data")
    return work / "img", report


def test_the_guide_has_an_index_and_a_page_per_task_in_the_methodists_order():
    texts = pages()
    assert {"index.md", *TASK_PAGES} == set(texts)
    index = texts["index.md"]
    positions = [index.find(f"]({page})") for page in TASK_PAGES]
    assert all(p >= 0 for p in positions), dict(zip(TASK_PAGES, positions))
    assert positions == sorted(positions), "the index lists the tasks out of order"


def test_every_picture_is_made_by_the_generator_shown_by_its_page_and_committed(pictures):
    out, _report = pictures
    made = {p.name for p in out.glob("*.png")}
    assert made == {f"{s.name}.png" for s in SHOTS}
    shown: dict[str, str] = {}
    for name, text in pages().items():
        for ref in IMAGE.findall(text):
            assert ref.startswith("img/") and ref.endswith(".png"), f"{name}: {ref}"
            shown[ref.removeprefix("img/")] = name
    assert set(shown) == made, {"shown, not made": set(shown) - made, "made, not shown": made - set(shown)}
    assert {f"{s.name}.png": s.page for s in SHOTS} == shown, "a picture is shown on another page than SHOTS says"
    committed = {p.name for p in (GUIDE / "img").glob("*.png")}
    assert committed == made, "run .venv/bin/python bench/guide_screenshots.py and commit docs/guide/img"
    counts = {page: list(shown.values()).count(page) for page in ("index.md", *TASK_PAGES)}
    assert all(1 <= n <= 3 for n in counts.values()), counts


def test_each_picture_is_the_1366_by_768_screen_and_not_blank(pictures):
    out, report = pictures
    for shot in SHOTS:
        for path in (out / f"{shot.name}.png", GUIDE / "img" / f"{shot.name}.png"):
            image = QImage(str(path))
            assert not image.isNull(), path
            assert (image.width(), image.height()) == SCREEN, path
        made = QImage(str(out / f"{shot.name}.png"))
        assert distinct_colours(made) >= MIN_COLOURS, shot.name
        assert report[shot.name]["size"] == list(SCREEN)


def test_each_picture_shows_the_state_its_page_describes(pictures):
    _out, report = pictures
    wrong = {s.name: report[s.name]["seen"][:120] for s in SHOTS if not report[s.name]["seen"].startswith(s.expect)}
    assert not wrong, wrong


def test_every_link_between_guide_pages_resolves():
    texts = pages()
    for name, text in texts.items():
        for link in LINK.findall(text):
            if link.startswith(("http://", "https://", "mailto:")):
                continue
            target = link.split("#")[0]
            assert target in texts, f"{name}: the link {link} leads nowhere"
    # and from the index every task page can be reached
    assert set(TASK_PAGES) <= set(LINK.findall(texts["index.md"]))


def test_the_section_help_links_each_section_to_guide_pages_that_exist():
    from app.ui.shell.sections import SECTIONS

    for key in [s.key for s in SECTIONS] + ["index"]:
        text = (HELP / f"{key}.md").read_text(encoding="utf-8")
        links = [link for link in LINK.findall(text) if link.startswith("guide:")]
        assert links, f"resources/help/{key}.md has no link to the guide"
        for link in links:
            assert guide_path(link.removeprefix("guide:")).is_file(), f"{key}.md: {link}"
