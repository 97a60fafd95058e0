"""costshare: split the cost of a joint municipal programme exactly to the krone.

The library offers what the command line does. A split on packaged figures:

>>> from costshare import load_packaged, parse_amount, split, format_kr
>>> kkr = load_packaged("2025K1").select_region("Hovedstaden")
>>> result = split(parse_amount("525000"), kkr)
>>> format_kr(result.share_ore("157"))
'20.415 kr.'

and the programme workflow: load a programme file, compute it, find a payer, explain
its share, read and verify a received annex, compare two bases, write the package.

>>> from costshare import load_programme, compute, find_payer, explain_steps
>>> outcome = compute(load_programme("examples/telehjerte-2025.toml"))
>>> gentofte = find_payer(outcome, "Gentofte")
>>> gentofte.amount_ore, outcome.total_ore
(2041500, 105000000)
>>> explain_steps(outcome, gentofte)[-1].value
'20.415 kr.'

Options after the first arguments are keyword-only. Importing costshare loads neither
polars nor the document libraries; they load when a user's file is read or a document
is written.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from costshare.base.version import __version__

if TYPE_CHECKING:
    from costshare.allocation.methods import Allocation, allocate, equal_weights, mix_weights
    from costshare.base.danish import format_count, format_date, format_kr, format_percent
    from costshare.base.errors import CostshareError, DataError, InputError, TemplateError
    from costshare.base.money import Unit, format_plain, parse_amount
    from costshare.check.annex import Annex, read_annex
    from costshare.check.compare import Comparison, compare
    from costshare.check.verify import Verification, verify
    from costshare.documents.text.explain import explain_steps
    from costshare.package.annex_package import PackageSummary, write_package
    from costshare.package.preparation import prepare
    from costshare.population.basis import load_basis
    from costshare.population.packaged import Population, load_packaged, quarters, source
    from costshare.population.userfile import load_file
    from costshare.programme.model import Programme, ProgrammeResult, compute, load_programme
    from costshare.programme.payers import Payer, find_payer, payers
    from costshare.programme.working import Step
    from costshare.shares.splitting import Key, Split, cofinance, split

# Every name is imported on first use (PEP 562): `import costshare` costs almost nothing,
# and neither does every command, which imports this package first (issue #15: the
# eager imports were some 45 ms of each command's start). Reading a user's file still
# loads polars only then.
_ON_USE = {
    "allocate": "costshare.allocation.methods",
    "Allocation": "costshare.allocation.methods",
    "Annex": "costshare.check.annex",
    "cofinance": "costshare.shares.splitting",
    "compare": "costshare.check.compare",
    "Comparison": "costshare.check.compare",
    "compute": "costshare.programme.model",
    "CostshareError": "costshare.base.errors",
    "DataError": "costshare.base.errors",
    "equal_weights": "costshare.allocation.methods",
    "explain_steps": "costshare.documents.text.explain",
    "find_payer": "costshare.programme.payers",
    "format_count": "costshare.base.danish",
    "format_date": "costshare.base.danish",
    "format_kr": "costshare.base.danish",
    "format_percent": "costshare.base.danish",
    "format_plain": "costshare.base.money",
    "InputError": "costshare.base.errors",
    "Key": "costshare.shares.splitting",
    "load_basis": "costshare.population.basis",
    "load_file": "costshare.population.userfile",
    "load_packaged": "costshare.population.packaged",
    "load_programme": "costshare.programme.model",
    "mix_weights": "costshare.allocation.methods",
    "PackageSummary": "costshare.package.annex_package",
    "parse_amount": "costshare.base.money",
    "Payer": "costshare.programme.payers",
    "payers": "costshare.programme.payers",
    "Population": "costshare.population.packaged",
    "prepare": "costshare.package.preparation",
    "Programme": "costshare.programme.model",
    "ProgrammeResult": "costshare.programme.model",
    "quarters": "costshare.population.packaged",
    "read_annex": "costshare.check.annex",
    "source": "costshare.population.packaged",
    "Split": "costshare.shares.splitting",
    "split": "costshare.shares.splitting",
    "Step": "costshare.programme.working",
    "TemplateError": "costshare.base.errors",
    "Unit": "costshare.base.money",
    "Verification": "costshare.check.verify",
    "verify": "costshare.check.verify",
    "write_package": "costshare.package.annex_package",
}


def __getattr__(name: str) -> Any:
    if name not in _ON_USE:
        raise AttributeError(f"module 'costshare' has no attribute {name!r}")
    value = getattr(importlib.import_module(_ON_USE[name]), name)
    globals()[name] = value  # once looked up, an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Allocation",
    "Annex",
    "Comparison",
    "CostshareError",
    "DataError",
    "InputError",
    "Key",
    "PackageSummary",
    "Payer",
    "Population",
    "Programme",
    "ProgrammeResult",
    "Split",
    "Step",
    "TemplateError",
    "Unit",
    "Verification",
    "__version__",
    "allocate",
    "cofinance",
    "compare",
    "compute",
    "equal_weights",
    "explain_steps",
    "find_payer",
    "format_count",
    "format_date",
    "format_kr",
    "format_percent",
    "format_plain",
    "load_basis",
    "load_file",
    "load_packaged",
    "load_programme",
    "mix_weights",
    "parse_amount",
    "payers",
    "prepare",
    "quarters",
    "read_annex",
    "source",
    "split",
    "verify",
    "write_package",
]
