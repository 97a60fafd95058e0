"""The one way a package is written to disk: staged beside ``--out``, installed whole.

Every command that writes a package (``run`` of one year or several, ``settle``) goes
through :func:`staged`; the writers hand it their files as bytes (:meth:`Stage.add`) and
never touch the disk themselves. The protocol:

1. ``--out`` is checked (:func:`~costshare.package.destination.check_out_path`): not a
   link, a file, below a file or below a link to nothing; with ``keep_clear_of`` (the
   package being settled), not that package, inside it or around it.
2. Missing parent folders are made (and removed again if the run fails).
3. A lock beside ``--out`` (``.costshare-….lock``, removed at the end) keeps a second run
   to the same folder out until the first is done: it stops at once with one line.
4. What ``--out`` is now is recorded (:func:`~costshare.package.destination.check_destination`:
   absent, empty, or with ``--force`` an unchanged earlier package).
5. Files are written into a private staging folder beside ``--out`` (same file system).
   Two files of the same name are refused before anything is written
   (:meth:`Stage.claim`), naming whose they are.
6. When the writers are done, ``--out`` is checked again: a folder created or filled by
   another program or person since step 4 is left exactly as it is and the run fails.
   Otherwise the staging folder is renamed into place (an earlier package is moved
   aside first, checked once more, and removed only then).

On any failure (an error, Ctrl-C, SIGTERM) the staging folder, the lock and the folders
made in step 2 are removed, and ``--out`` is as it was. Every OS error (a full disk, a
read-only file system, no permission, a name too long) is one line naming ``--out``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from costshare.base.errors import InputError
from costshare.base.i18n import Text, lazy
from costshare.base.text import forbidden_character
from costshare.package.destination import (
    ABSENT,
    EARLIER,
    EMPTY,
    Found,
    cannot_create,
    check_destination,
    check_out_path,
    earlier_package,
    still_found,
)
from costshare.programme.naming import PATH_PATTERN

_NAME = re.compile(PATH_PATTERN.removesuffix("$") + r"\Z")
"""A file's name in a package, as the manifest schema's ``path`` has it."""


class Stage:
    """A package being written: its files, by name, in a private staging folder."""

    def __init__(self, root: Path, prefix: str = "", owners: dict[str, Any] | None = None):
        self._root = root
        self._prefix = prefix
        self._owners: dict[str, Any] = {} if owners is None else owners

    @property
    def location(self) -> Path:
        """The folder this stage's files are written to, as they are handed over: where
        typst finds the letters it places in the review."""
        return self._root / self._prefix

    def folder(self, name: str) -> Stage:
        """The sub-folder ``name`` of this package (a year of a package over several)."""
        return Stage(self._root, f"{self._prefix}{name}/", self._owners)

    def claim(self, name: str, owner: Text | str) -> None:
        """Reserve ``name`` for ``owner`` (a payer's name, "the overview") before anything
        is written; a name reserved twice (file names keep only letters and digits, so
        'a/b' and 'A B' meet) is an :class:`InputError` naming both owners."""
        full = self._prefix + name
        if _NAME.match(full) is None or forbidden_character(full) is not None:
            raise ValueError(f"not a file name of a package: {full!r}")
        key = full.casefold()
        if key in self._owners:
            raise _clash(self._owners[key], owner, name)
        self._owners[key] = owner

    def add(self, name: str, data: bytes, owner: Text | str | None = None) -> str:
        """Write ``data`` as ``name`` (claiming it unless claimed); its SHA-256."""
        full = self._prefix + name
        if full.casefold() not in self._owners:
            self.claim(name, owner if owner is not None else full)
        target = self._root / full
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return hashlib.sha256(data).hexdigest()


def _clash(first: Any, second: Any, name: str) -> InputError:
    return InputError(
        lazy(
            "{first} and {second} would both be written as {file}; give the payers "
            "codes or names that differ in their letters or digits",
            first=first,
            second=second,
            file=name,
        )
    )


@contextlib.contextmanager
def staged(out: Path, *, force: bool = False, keep_clear_of: Path | None = None) -> Iterator[Stage]:
    """The staging protocol (see the module docstring): a :class:`Stage` to hand the
    package's files to, installed as ``out`` when the ``with`` block ends without error.

    Raises :class:`InputError` (one line, ``out`` as it was) for an ``out`` that may not
    be written, a clash of names, a folder changed by someone else, or an OS error.
    """
    with terminate_as_exit(), _one_line_os_errors(out):
        check_out_path(out)
        if keep_clear_of is not None:
            _keep_clear(out, keep_clear_of)
        made = _make_parents(out)
        try:
            with _lock(out):
                found = check_destination(out, force)
                root = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.tmp-", dir=out.parent))
                try:
                    yield Stage(root)
                    root.chmod(0o777 & ~umask())
                    _install(root, out, found)
                except BaseException:
                    shutil.rmtree(root, ignore_errors=True)
                    raise
        except BaseException:
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if still empty: nothing of anyone else's
            raise


def changed_meanwhile(out: Path) -> InputError:
    """The error for an ``out`` someone else created or changed during the run."""
    return InputError(
        lazy(
            "was created or changed by another program or person while costshare was "
            "writing; it is left as it is; run again, or choose another --out"
        ),
        source=str(out),
    )


def _install(root: Path, out: Path, found: Found) -> None:
    """Move the finished package to ``out``, if ``out`` is still as it was found."""
    if found.state in (ABSENT, EMPTY):
        if not still_found(out, found):
            raise changed_meanwhile(out)
        try:
            if found.state == EMPTY:
                out.rmdir()  # fails if filled meanwhile; a rename onto it is not portable
            root.rename(out)
        except OSError as error:
            if error.errno in (errno.EEXIST, errno.ENOTEMPTY) or os.path.lexists(out):
                raise changed_meanwhile(out) from None
            raise
        return
    assert found.state == EARLIER
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.old-", dir=out.parent))
    previous = retired / "previous"
    try:
        out.rename(previous)
    except FileNotFoundError:
        retired.rmdir()
        raise changed_meanwhile(out) from None
    try:
        unchanged = earlier_package(previous, str(out)) == found.listed
    except InputError:
        unchanged = False
    try:
        if not unchanged:
            raise changed_meanwhile(out)
        root.rename(out)
    except BaseException:
        previous.rename(out)
        shutil.rmtree(retired, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _make_parents(out: Path) -> list[Path]:
    """Make ``out``'s missing parent folders; the ones made, outermost first."""
    missing = []
    for folder in out.parents:
        if folder.is_dir():
            break
        missing.append(folder)
    made = []
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
    except OSError as error:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise cannot_create(out, error) from None
    return made


def _keep_clear(out: Path, package: Path) -> None:
    """``out`` may not be, lie inside or hold ``package`` (the package being settled)."""
    target, settled = out.resolve(), package.resolve()
    if target == settled or settled in target.parents or target in settled.parents:
        raise InputError(
            lazy(
                "is, holds or lies inside the package being settled ({package}); "
                "choose another --out",
                package=package,
            ),
            source=str(out),
        )


@contextlib.contextmanager
def _one_line_os_errors(out: Path) -> Iterator[None]:
    """Any OS error while staging or installing, as one line naming ``out``."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(
            lazy(
                "cannot be written ({reason}); check the folder's permissions and free "
                "space, or choose another --out",
                reason=reason,
            ),
            source=str(out),
        ) from None


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """Hold the lock of ``out`` (see the module docstring), or refuse at once."""
    name = hashlib.sha256(out.name.casefold().encode("utf-8", "surrogatepass")).hexdigest()
    path = out.parent / f".costshare-{name[:16]}.lock"
    descriptor = _acquire(path)
    if descriptor is None:
        raise InputError(
            lazy(
                "another costshare run is writing to this folder; wait for it to finish, "
                "or choose another --out"
            ),
            source=str(out),
        )
    try:
        yield
    finally:
        if sys.platform == "win32":  # an open file cannot be removed on Windows
            _unlock(descriptor)
            os.close(descriptor)
            with contextlib.suppress(OSError):
                path.unlink()
        else:  # removed while still held, so no other run can lock the old file
            with contextlib.suppress(OSError):
                path.unlink()
            os.close(descriptor)


def _acquire(path: Path) -> int | None:
    """An open descriptor of the lock file, locked; None if another run holds it."""
    for _ in range(10):
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(descriptor):
            os.close(descriptor)
            return None
        try:  # the run that held it may have removed it before we locked it
            same = os.path.samestat(os.fstat(descriptor), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return descriptor
        os.close(descriptor)
    return None


def _try_lock(descriptor: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(descriptor: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)


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


def umask() -> int:
    """The process's file-creation mask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
