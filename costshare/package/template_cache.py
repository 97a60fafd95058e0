"""Where the shipped templates' compiled code is kept between runs (issue #23).

``COSTSHARE_CACHE_DIR`` if set, else the platform's user cache folder (platformdirs:
``~/.cache/costshare`` on Linux, ``%LOCALAPPDATA%\\costshare\\Cache`` on Windows), under
``templates/``. What is kept there and how it is checked is
:mod:`costshare.documents.pdf.compiled_templates`. The folder is the user's own (made
readable by the user alone); one that cannot be made is no error: the templates are then
compiled in every run, as without it.
"""

from __future__ import annotations

import os
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
    except OSError:
        return None
    return folder if folder.is_dir() else None
