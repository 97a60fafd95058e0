"""Where a package may be written, and what was there when a run started.

``--out`` must be a folder path: not a symbolic link, not a file, not below a file or a
link to nothing. A non-empty folder is replaced only with ``--force``, and then only if it
is costshare's own earlier package exactly as its ``manifest.json`` lists it (no file
added, edited or missing; read by :func:`costshare.package.manifest.listing`), so a
mistyped ``--out`` cannot delete an unrelated folder or someone's work.

:func:`check_destination` records what it found (:class:`Found`); the staging protocol
(:mod:`costshare.package.staging`) checks at install time that the folder is still exactly
that, and refuses to touch it otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from costshare.base.errors import InputError, shown
from costshare.base.i18n import lazy
from costshare.programme.naming import MANIFEST_FILE

ABSENT, EMPTY, EARLIER = "absent", "empty", "earlier"


@dataclass(frozen=True)
class Found:
    """What ``--out`` was when the run started: absent, an empty folder, or an earlier
    package (with the files its manifest lists, by SHA-256)."""

    state: str
    identity: tuple[int, int] = (0, 0)
    listed: dict[str, str] = field(default_factory=dict)


def cannot_create(out: Path, error: OSError) -> InputError:
    """The one-line error for a folder that cannot be made."""
    reason = error.strerror or type(error).__name__
    return InputError(
        lazy("the folder cannot be created ({reason}); choose another --out", reason=reason),
        source=str(out),
    )


def check_out_path(out: Path) -> None:
    """Raise :class:`InputError` for an ``--out`` that is a link, a file, or below a file or
    a link to nothing, or that the file system cannot hold (a name too long)."""
    try:
        _check_out_path(out)
    except OSError as error:
        raise cannot_create(out, error) from None


def _check_out_path(out: Path) -> None:
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        os.lstat(out)  # a name the file system cannot hold fails here, before anything
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
        if folder != out and folder.is_symlink() and not folder.exists():
            raise InputError(
                lazy(
                    "is below {folder}, a symbolic link to nothing; choose another --out",
                    folder=repr(str(folder)),
                ),
                source=str(out),
            )


def check_destination(out: Path, force: bool) -> Found:
    """What ``out`` is now, if it may be written (see the module docstring).

    Raises :class:`InputError` for a non-empty folder without ``force``, and with it for
    anything but an unchanged earlier package.
    """
    if not os.path.lexists(out):
        return Found(ABSENT)
    info = os.stat(out)
    if not any(out.iterdir()):
        return Found(EMPTY, (info.st_dev, info.st_ino))
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
    return Found(EARLIER, listed=earlier_package(out, str(out)))


def still_found(out: Path, found: Found) -> bool:
    """Whether an absent or empty ``out`` is still as it was found."""
    if found.state == ABSENT:
        return not os.path.lexists(out)
    try:
        info = os.lstat(out)
        return (info.st_dev, info.st_ino) == found.identity and not any(out.iterdir())
    except OSError:
        return False


def earlier_package(folder: Path, shown_as: str) -> dict[str, str]:
    """The files of costshare's own package in ``folder`` as its manifest lists them,
    if it holds exactly those, unchanged; else :class:`InputError` (naming ``shown_as``).

    ``--force`` replaces only such a package: a file added or edited since (perhaps
    someone's work) keeps the folder as it is.
    """
    from costshare.package.manifest import listing

    try:
        listed = listing(folder)
    except InputError:
        raise InputError(
            lazy(
                "its {manifest} was not written by costshare, so --force will not "
                "replace the folder; empty it yourself or choose another --out",
                manifest=MANIFEST_FILE,
            ),
            source=shown_as,
        ) from None
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if name == MANIFEST_FILE or (path.is_dir() and not path.is_symlink()):
            continue
        if name not in listed:
            problem = lazy(
                "{name} is not in its {manifest}, so --force will not replace the folder; "
                "move the file elsewhere or choose another --out",
                name=shown(name),
                manifest=MANIFEST_FILE,
            )
        elif path.is_symlink() or not path.is_file() or _sha256(path) != listed[name]:
            problem = lazy(
                "{name} differs from its {manifest} (edited since?), so --force will not "
                "replace the folder; move the file elsewhere or choose another --out",
                name=shown(name),
                manifest=MANIFEST_FILE,
            )
        else:
            continue
        raise InputError(problem, source=shown_as)
    for name in sorted(listed):
        if not (folder / name).is_file():
            raise InputError(
                lazy(
                    "{name} in its {manifest} is missing, so --force will not "
                    "replace the folder; empty it yourself or choose another --out",
                    name=shown(name),
                    manifest=MANIFEST_FILE,
                ),
                source=shown_as,
            )
    return listed


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
