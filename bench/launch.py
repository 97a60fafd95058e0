"""Run one command and record its wall time and peak memory: ``launch.py RESULT CMD ARGS…``.

bench.py runs commands through this small launcher (started with ``python -I -S``) rather
than directly: on Linux a child's ``ru_maxrss`` is at least the resident size of the
process that spawned it, so spawning from the benchmark process itself (polars, numpy and
data loaded) would report its memory, not the command's. The launcher is a few MB, less
than any Python command it runs. It writes ``seconds peak_kib exit_code`` to RESULT.
"""

import os
import sys
import time

result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_pid, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as handle:
    handle.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")
