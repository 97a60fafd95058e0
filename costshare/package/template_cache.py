"""Where the shipped templates' compiled code is kept between runs (issue #23).

``COSTSHARE_CACHE_DIR`` if set, else the platform's user cache folder (platformdirs:
``~/.cache/costshare`` on Linux, ``%LOCALAPPDATA%\\costshare\\Cache`` on Windows), under
``templates/``. What is kept there and how it is checked is
:mod:`costshare.documents.pdf.compiled_templates`. The folder is the user's own (made
readable by the user alone); one that cannot be made, is a link, or that another user
could write to is not used, and is no error: the templates are then compiled in every
run, as without it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def template_cache_folder() -> Path | None:
    """The folder for the compiled templates, made if need be; None if it cannot be."""
    override = os.environ.get("COSTSHARE_CACHE_DIR", "").strip()
    if override:
        base = Path(override)
    else:
        import platformdirs  # imported only when a package is written

        base = Path(platformdirs.user_cache_dir("costshare", appauthor=False))
    folder = base / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder if _own_private_folder(folder) else None
    except OSError:
        return None


def _own_private_folder(folder: Path) -> bool:
    """Whether ``folder`` is a folder (not a link) of this user that no one else may write
    to: the code kept there is run, so a folder another user can write to (a shared
    ``COSTSHARE_CACHE_DIR``) is not used. Windows: a folder is enough (its user folders
    are the user's own)."""
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode):
        return False
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
