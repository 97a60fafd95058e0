"""The peer baseline for bench.py: the same CSV in and out, split by the ``apportionment`` package.

Usage: python bench/apportionment_split.py RECIPIENTS.csv TOTAL > shares.csv

Reads ``code,name,population`` with the csv module, calls
``apportionment.methods.compute("largest_remainder", ...)`` (package version 1.0) and
writes ``code,name,population,share``, as ``costshare split --format csv`` does. The
party names are passed so that its tie messages do not run out of its default party
letters (52).
"""

from __future__ import annotations

import csv
import sys

import apportionment.methods as app  # type: ignore[import-untyped]


def main(path: str, total: int) -> None:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    votes = [int(row["population"]) for row in rows]
    parties = [row["code"] for row in rows]
    shares = app.compute("largest_remainder", votes, total, parties=parties)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name", "population", "share"])
    for row, share in zip(rows, shares, strict=True):
        writer.writerow([row["code"], row["name"], row["population"], share])


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
