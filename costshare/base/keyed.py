"""A read-only mapping from recipient code to an integer, stored as two parallel lists.

Weights and shares are mappings in the public API (``Allocation.shares["157"]``), but a
dict of a million recipients costs a noticeable part of a second to build. :class:`Keyed`
keeps the codes and values as the sequences they already are, iterates them in order,
and builds its code index only when someone looks a code up (issue #6). It compares equal
to a dict with the same items and prints like one.

>>> shares = Keyed(("101", "147"), [412996, 65525])
>>> shares["147"], list(shares.values()), shares == {"101": 412996, "147": 65525}
(65525, [412996, 65525], True)
>>> shares
{'101': 412996, '147': 65525}
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, Sequence, ValuesView


class Keyed(Mapping[str, int]):
    """Values keyed by unique codes, in the codes' order."""

    __slots__ = ("_index", "codes", "column")

    def __init__(self, codes: Sequence[str], column: Sequence[int]) -> None:
        if len(codes) != len(column):
            raise ValueError(f"{len(codes)} codes but {len(column)} values")
        self.codes = codes
        self.column = column
        self._index: dict[str, int] | None = None

    def __getitem__(self, code: str) -> int:
        if self._index is None:
            self._index = dict(zip(self.codes, range(len(self.codes)), strict=True))
        return self.column[self._index[code]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, code: object) -> bool:
        try:
            self[code]  # type: ignore[index]
        except (KeyError, TypeError):
            return False
        return True

    def values(self) -> ValuesView[int]:
        return _Values(self)

    def items(self) -> ItemsView[str, int]:
        return _Items(self)

    def __repr__(self) -> str:
        return repr(dict(zip(self.codes, self.column, strict=True)))


class _Values(ValuesView[int]):
    def __init__(self, keyed: Keyed) -> None:
        super().__init__(keyed)
        self._keyed = keyed

    def __iter__(self) -> Iterator[int]:
        return iter(self._keyed.column)


class _Items(ItemsView[str, int]):
    def __init__(self, keyed: Keyed) -> None:
        super().__init__(keyed)
        self._keyed = keyed

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return zip(self._keyed.codes, self._keyed.column, strict=True)
