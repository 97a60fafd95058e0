"""Shared test configuration.

Hypothesis profiles: ``dev`` (the default) explores with fresh random examples on every
run; ``ci`` (loaded when the ``CI`` environment variable is set, as CI services do) is
derandomised, so a CI failure reproduces exactly on any machine, and uses no example
database. Choose one explicitly with ``HYPOTHESIS_PROFILE=ci``.
"""

from __future__ import annotations

import os

from hypothesis import settings

# No deadline in either profile: the big-integer and Fraction oracles take a variable time
# on a shared machine, and a deadline would make the suite flaky, not faster.
settings.register_profile("ci", derandomize=True, database=None, max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
