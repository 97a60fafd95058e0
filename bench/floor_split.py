"""The floor for bench.py: a bare polars script doing the same job as ``costshare split``.

Usage: python bench/floor_split.py RECIPIENTS.csv TOTAL > shares.csv

Import polars, read ``code,name,population``, split TOTAL by exact integer largest
remainder (floor ``T·w/W``; one more unit to the largest remainders ``T·w mod W``, ties to
the lower code), write ``code,name,population,share``. No checks, no messages: what the
hardware needs for the job, so costshare's time and memory can be read as a ratio to it.
Codes are numeric in the benchmark's files, so the tie order is the numeric one.
"""

import sys

import polars as pl


def main(path: str, total: int) -> None:
    frame = pl.read_csv(path, schema={"code": pl.String, "name": pl.String, "population": pl.Int64})
    product = pl.col("population") * total
    whole = pl.col("population").sum()
    frame = frame.with_columns(
        (product // whole).alias("floor"), (product % whole).alias("remainder")
    )
    leftover = total - int(frame["floor"].sum())
    order = frame.select(
        pl.arg_sort_by(
            pl.col("remainder"), pl.col("code").cast(pl.Int64), descending=[True, False]
        ).head(leftover)
    ).to_series()
    extra = pl.zeros(frame.height, dtype=pl.Int64, eager=True).scatter(order, 1)
    frame = frame.select("code", "name", "population", share=pl.col("floor") + extra)
    sys.stdout.write(frame.write_csv(line_terminator="\n"))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
