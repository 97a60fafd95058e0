"""Typesetting documents side by side: order, errors and children left clean (#23, item 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from costshare.base.errors import TemplateError
from costshare.documents.pdf.typesetter import Typesetter, page_count

pytestmark = pytest.mark.slow
STAMP = datetime(2025, 2, 17)


def source(pages: int) -> str:
    """A document of ``pages`` pages: its page count tells which document a PDF is."""
    return "\n".join(["Side"] + ["#pagebreak()\nSide"] * (pages - 1))


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "fonts").mkdir()
    return tmp_path, tmp_path / "fonts"


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_pdfs_come_back_in_order(folders: tuple[Path, Path], processes: int) -> None:
    root, fonts = folders
    documents = [(source(pages), f" {pages}") for pages in (3, 1, 4, 1, 5, 2)]
    with Typesetter(root, STAMP, font_folder=fonts, processes=processes) as typesetter:
        pdfs = list(typesetter.pdfs(documents))
    assert [page_count(pdf) for pdf in pdfs] == [3, 1, 4, 1, 5, 2]


def test_an_earlier_error_comes_first_and_no_child_keeps_a_stale_answer(
    folders: tuple[Path, Path],
) -> None:
    """A typst error in the first document is reported although the template of the
    second fails as it is drawn, while the first is still with typst; afterwards the
    children answer the documents they get."""
    root, fonts = folders

    def documents() -> Iterator[tuple[str, str]]:
        yield "#let x = (", " first"  # typst cannot parse it
        raise TemplateError("the second letter's template fails")

    with (
        Typesetter(root, STAMP, font_folder=fonts, processes=2) as typesetter,
        pytest.raises(TemplateError, match="the letter first"),
    ):
        list(typesetter.pdfs(documents()))
    with Typesetter(root, STAMP, font_folder=fonts, processes=2) as typesetter:
        pdfs = list(typesetter.pdfs([(source(pages), "") for pages in (4, 1, 3)]))
    assert [page_count(pdf) for pdf in pdfs] == [4, 1, 3]


def test_a_caller_that_stops_early_leaves_no_child_with_an_answer_waiting(
    folders: tuple[Path, Path],
) -> None:
    root, fonts = folders
    with Typesetter(root, STAMP, font_folder=fonts, processes=2) as typesetter:
        pdfs = typesetter.pdfs([(source(pages), "") for pages in (2, 3, 4)])
        assert page_count(next(pdfs)) == 2
        pdfs.close()  # the third document was never collected
    with Typesetter(root, STAMP, font_folder=fonts, processes=2) as typesetter:
        assert [page_count(pdf) for pdf in typesetter.pdfs([(source(5), ""), (source(1), "")])] == [
            5,
            1,
        ]


def test_a_caller_that_fails_mid_loop_gives_back_no_child_with_an_answer_waiting(
    folders: tuple[Path, Path],
) -> None:
    """The caller's own error (a workbook, the stage) leaves the generator suspended with
    the next document in hand when the Typesetter closes: that child is ended, not kept
    for the next Typesetter, which would otherwise read the stale PDF as its first."""
    root, fonts = folders
    with (
        pytest.raises(RuntimeError, match="the caller fails"),
        Typesetter(root, STAMP, font_folder=fonts) as typesetter,
    ):
        pdfs = typesetter.pdfs([(source(pages), "") for pages in (2, 3, 4)])
        for pdf in pdfs:  # held by a name, as a caller zipping it with its payers may
            assert page_count(pdf) == 2
            raise RuntimeError("the caller fails")
    with Typesetter(root, STAMP, font_folder=fonts) as typesetter:
        assert [page_count(pdf) for pdf in typesetter.pdfs([(source(5), ""), (source(1), "")])] == [
            5,
            1,
        ]


def test_a_document_started_is_collected_after_the_callers_work(
    folders: tuple[Path, Path],
) -> None:
    """start() hands typst the document at once; the caller works meanwhile (the review
    while the last workbooks are made) and asks for the PDF after. A caller that fails
    meanwhile leaves no child holding the uncollected PDF."""
    root, fonts = folders
    with Typesetter(root, STAMP, font_folder=fonts) as typesetter:
        composed = typesetter.start(source(3), "")
        work = sum(range(1000))  # the caller's own work, while typst sets the document
        assert page_count(composed()) == 3 and work == 499500
    with (
        pytest.raises(RuntimeError, match="the caller fails"),
        Typesetter(root, STAMP, font_folder=fonts) as typesetter,
    ):
        typesetter.start(source(2), "")
        raise RuntimeError("the caller fails")
    with Typesetter(root, STAMP, font_folder=fonts) as typesetter:
        assert page_count(typesetter.pdf(source(4), "")) == 4  # not the stale 2 pages
    with Typesetter(root, STAMP, font_folder=fonts) as typesetter:
        failed = typesetter.start("#let x = (", " (review)")
        with pytest.raises(TemplateError, match=r"the letter \(review\)"):
            failed()
