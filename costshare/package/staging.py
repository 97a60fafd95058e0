"""Where a package may be written, and leaving nothing behind when a run is stopped.

``--out`` must be a folder path: not a symbolic link, not a file, not below a file. A
non-empty folder is replaced only with ``--force``, and then only if it is costshare's own
earlier package exactly as its ``manifest.json`` lists it (no file added, edited or
missing), so a mistyped ``--out`` cannot delete an unrelated folder or someone's work.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy
from costshare.programme.naming import MANIFEST_FILE


def check_destination(out: Path, force: bool) -> None:
    """Raise :class:`InputError` unless ``out`` may be written (see the module docstring)."""
    if out.is_symlink():
        raise InputError(
            lazy("is a symbolic link; give the folder itself (or a new name) as --out"),
            source=str(out),
        )
    for folder in (out, *out.parents):
        if folder.exists() and not folder.is_dir():
            if folder == out:
                problem = lazy("is a file, not a folder; choose another --out")
            else:
                problem = lazy(
                    "is below {folder}, which is a file, not a folder; choose another --out",
                    folder=repr(str(folder)),
                )
            raise InputError(problem, source=str(out))
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not force:
        raise InputError(
            lazy("the folder is not empty; add --force to replace it, or choose another --out"),
            source=str(out),
        )
    if not (out / MANIFEST_FILE).is_file():
        raise InputError(
            lazy(
                "has no {manifest}, so it is not an earlier package and --force will not "
                "replace it; empty it yourself or choose another --out",
                manifest=MANIFEST_FILE,
            ),
            source=str(out),
        )
    _check_earlier_package(out)


def _check_earlier_package(out: Path) -> None:
    """``--force`` replaces only costshare's own package, exactly as its manifest lists it:
    a file added or edited since (perhaps someone's work) keeps the folder as it is."""
    try:
        manifest = json.loads((out / MANIFEST_FILE).read_bytes())
        listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
        ours = str(manifest["generator"]).startswith("costshare ")
    except (OSError, ValueError, KeyError, TypeError):
        ours, listed = False, {}
    if not ours:
        raise InputError(
            lazy(
                "its {manifest} was not written by costshare, so --force will not "
                "replace the folder; empty it yourself or choose another --out",
                manifest=MANIFEST_FILE,
            ),
            source=str(out),
        )
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if name == MANIFEST_FILE or (path.is_dir() and not path.is_symlink()):
            continue
        if name not in listed:
            problem = lazy(
                "{name} is not in its {manifest}, so --force will not replace the folder; "
                "move the file elsewhere or choose another --out",
                name=shown(name),
                manifest=MANIFEST_FILE,
            )
        elif path.is_symlink() or not path.is_file() or sha256_file(path) != listed[name]:
            problem = lazy(
                "{name} differs from its {manifest} (edited since?), so --force will not "
                "replace the folder; move the file elsewhere or choose another --out",
                name=shown(name),
                manifest=MANIFEST_FILE,
            )
        else:
            continue
        raise InputError(problem, source=str(out))
    for name in sorted(listed):
        if not (out / name).is_file():
            raise InputError(
                lazy(
                    "{name} in its {manifest} is missing, so --force will not "
                    "replace the folder; empty it yourself or choose another --out",
                    name=shown(name),
                    manifest=MANIFEST_FILE,
                ),
                source=str(out),
            )


@contextlib.contextmanager
def terminate_as_exit() -> Iterator[None]:
    """While a package is written, SIGTERM exits like Ctrl-C does: through the clean-up
    (so no staging folder is left), with status 143. Only the main thread gets signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_cleanly(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_cleanly)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as the manifest records it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install(staging: Path, out: Path) -> None:
    """Move the finished package to ``out``, replacing an empty or earlier one."""
    if not out.exists():
        staging.rename(out)
        return
    if not any(out.iterdir()):
        os.replace(staging, out)  # replacing an empty folder is one rename on POSIX
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, retired / "previous")
    try:
        staging.rename(out)
    except BaseException:
        os.replace(retired / "previous", out)
        shutil.rmtree(retired, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
