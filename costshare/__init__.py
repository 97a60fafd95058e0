"""costshare: split the cost of a joint municipal programme exactly to the krone.

>>> from costshare import load_packaged, parse_amount, split, format_kr
>>> kkr = load_packaged("2025K1").select_region("Hovedstaden")
>>> result = split(parse_amount("525000"), kkr)
>>> format_kr(result.share_ore("157"))
'20.415 kr.'
"""

from __future__ import annotations

from costshare.allocation.methods import Allocation, allocate, equal_weights, mix_weights
from costshare.base.danish import format_count, format_date, format_kr, format_percent
from costshare.base.errors import CostshareError, DataError, InputError, TemplateError
from costshare.base.money import Unit, format_plain, parse_amount
from costshare.base.version import __version__
from costshare.population.packaged import Population, load_packaged, quarters, source
from costshare.shares.splitting import Key, Split, cofinance, split

__all__ = [
    "Allocation",
    "CostshareError",
    "DataError",
    "InputError",
    "Key",
    "Population",
    "Split",
    "TemplateError",
    "Unit",
    "__version__",
    "allocate",
    "cofinance",
    "equal_weights",
    "format_count",
    "format_date",
    "format_kr",
    "format_percent",
    "format_plain",
    "load_packaged",
    "mix_weights",
    "parse_amount",
    "quarters",
    "source",
    "split",
]
