"""Writing an output file so that a failure leaves nothing behind (issue #5).

A target that is a symbolic link or a folder is refused. The file is written to a
temporary name beside the target and renamed into place only when complete, so a failed write leaves the target as it was (absent, or the previous
file) and no partial file. A folder that does not exist or cannot be written is an
:class:`~costshare.base.errors.InputError` naming the file, not a traceback.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
>>> write_atomically(target, lambda path: path.write_text("a,b\\n"))
>>> target.read_text(), [p.name for p in target.parent.iterdir()]
('a,b\\n', ['out.csv'])
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call ``write`` on a temporary path beside ``path``, then rename it to ``path``.

    Raises :class:`InputError` if the folder does not exist or the file cannot be
    written; any other exception from ``write`` propagates, with the temporary file
    removed.
    """
    path = Path(path)
    if path.is_symlink():
        raise InputError(
            lazy("{path}: is a symbolic link; give a file name that is not a link", path=path)
        )
    if path.is_dir():
        raise InputError(lazy("{path}: is a folder; give a file name", path=path))
    if not path.parent.is_dir():
        raise InputError(
            lazy(
                "{path}: the folder {folder} does not exist; create it or write elsewhere",
                path=path,
                folder=repr(str(path.parent)),
            )
        )
    temporary: Path | None = None
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(handle)
        temporary = Path(name)
        write(temporary)
        os.replace(temporary, path)
        temporary = None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(
            lazy(
                "{path}: could not be written ({reason}); check the folder and its permissions",
                path=path,
                reason=reason,
            )
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
