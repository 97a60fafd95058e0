"""Message parts that the two readers of a population file share (issue #15).

:mod:`costshare.population.userfile` and :mod:`costshare.population.columnar_reader` must say the
same thing about the same file; the texts they both write live here, translated (#11).

>>> str(shown_list(["a", "b", "c", "d"], 3))
'a, b, c and 1 more'
>>> str(shown_list(["a"], 3, count=5))
'a and 4 more'
"""

from __future__ import annotations

from collections.abc import Sequence

from costshare.base.i18n import Text, nlazy, ntr


def shown_list(values: Sequence[str], limit: int = 6, *, count: int | None = None) -> str | Text:
    """The first ``limit`` values and how many more there are (``count`` in all)."""
    shown = values[:limit]
    extra = (len(values) if count is None else count) - len(shown)
    listed = ", ".join(shown)
    if extra <= 0:
        return listed
    return nlazy(
        "{values} and {count} more", "{values} and {count} more", extra, values=listed, count=extra
    )


def other_recipients_note(count: int, first: Sequence[str]) -> str:
    """The note on a file whose codes are some, not all, municipality codes: ``count``
    codes are not, and ``first`` are the first of them in the file's order."""
    return ntr(
        # English says "codes" for one as well (as it always has); Danish gets its singular.
        "{count} codes ({codes}) are not municipality codes, so the "
        "recipients are read as other than municipalities, without regions",
        "{count} codes ({codes}) are not municipality codes, so the "
        "recipients are read as other than municipalities, without regions",
        count,
        count=count,
        codes=shown_list(first, 3, count=count),
    )
