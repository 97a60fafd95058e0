"""The five regions as payers, by population (issue #21).

Some charges fall on the regions: Copydan's agreement has each region pay 0,304 kr. per
inhabitant a year. A basis written ``regioner:2025K1`` (or ``regions:2025K1``; any basis
after the colon: a quarter, a month, an age group, ``statbank:…``) gives the five regions,
each with the sum of its municipalities' figures on that basis. The figures are the
packaged (or fetched) municipalities', so they carry the same provenance and checks; the
source line says they were summed.

Statistics Denmark's own figure for Region Hovedstaden also counts Christiansø (about 90
inhabitants), which belongs to no municipality; a sum of municipalities does not, and the
source line says so.

>>> regions = load_regions("regioner:2025K1")
>>> regions.codes, regions.names[3]
(('081', '082', '083', '084', '085'), 'Region Hovedstaden')
>>> regions.count_of("084") == load_packaged("2025K1").select_region("Hovedstaden").total
True
"""

from __future__ import annotations

from dataclasses import replace

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.population.datasets import without_regions
from costshare.population.packaged import REGION_CODES, Population, load_packaged


def regions_inner(basis: str) -> str | None:
    """The basis after ``regioner:`` (``2025K1``), or None if ``basis`` has no such prefix."""
    inner = without_regions(basis)
    return None if inner is basis else inner


def by_region(municipalities: Population, basis: str) -> Population:
    """The five regions with the sums of their municipalities' figures in ``municipalities``
    (all 98 of them), as the basis ``basis``.

    Raises :class:`InputError` if the figures are not the 98 municipalities.
    """
    if (
        not municipalities.municipal
        or len(municipalities.codes) != 98
        or not municipalities.regions
    ):
        raise InputError(
            lazy(
                "{basis}: the regions are summed from all 98 municipalities, but {inner} "
                "does not hold them; use a packaged or fetched quarter",
                basis=basis,
                inner=municipalities.basis,
            )
        )
    totals = dict.fromkeys(REGION_CODES, 0)
    for region, count in zip(municipalities.regions, municipalities.counts, strict=True):
        totals[str(region)] += count
    names = tuple(sorted(REGION_CODES, key=REGION_CODES.__getitem__))
    source = municipalities.source
    if source.endswith(")"):
        source = source[:-1] + "; summeret pr. region, uden Christiansø)"
    return replace(
        municipalities,
        basis=basis,
        codes=tuple(REGION_CODES[name] for name in names),
        names=names,
        counts=tuple(totals[name] for name in names),
        source=source,
        regions=(),
        municipal=False,
        factors=(),
        sha256="",
    )


def load_regions(basis: str) -> Population:
    """The regions on a packaged or fetched basis: ``regioner:2025K1``.

    Raises :class:`InputError` for a basis no data set holds.
    """
    inner = regions_inner(basis)
    if inner is None:
        raise InputError(
            lazy("{basis} is not a basis of regions such as regioner:2025K1", basis=basis)
        )
    municipalities = load_packaged(inner)
    return by_region(municipalities, f"regioner:{municipalities.basis}")
