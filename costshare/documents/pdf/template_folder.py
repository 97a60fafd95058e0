"""A user's template folder (``--templates DIR``) is a boundary: nothing gets out of it.

Letters go to third parties, so a template must not be able to put a file from elsewhere
on the machine into one, fetch anything from the network, or hang or crash the run:

* :func:`check_template_folder` refuses a folder holding a symbolic link (Jinja2's
  ``include`` and typst's ``#read`` would follow it out of the folder), anything that
  is not a regular file or folder, a file over its size limit, too many files, and a
  font collection (``.ttc``) whose header claims more fonts than it can hold;
* the package layer copies the checked fonts into a private folder
  (:func:`costshare.package.fonts.private_font_folder`), so typst is given exactly those
  files and never scans the user's folder;
* typst runs in a child process with no packages and bounded time and memory
  (:mod:`costshare.documents.pdf.typesetter`), and the template in Jinja2's sandbox with
  bounded work (:mod:`costshare.documents.pdf.bounded_sandbox`).

Each problem is a one-line :class:`~costshare.base.errors.TemplateError`.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

from costshare.base.errors import TemplateError
from costshare.base.i18n import Grouped, lazy, mark
from costshare.base.limits import MAX_FONT_BYTES, MAX_TEMPLATE_BYTES, MAX_TEMPLATE_FILES

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_MAX_FONTS_IN_COLLECTION = 64
# What an oversized file is, in the message that refuses it.
FONT = mark("font")
TEMPLATE_FILE = mark("template file")


def check_template_folder(folder: Path) -> tuple[Path, ...]:
    """Check every entry of ``folder`` (see the module docstring); return its font files.

    Raises :class:`TemplateError` naming the entry and what to do.
    """
    fonts: list[Path] = []
    count = 0
    for directory, folders, files in os.walk(folder, followlinks=False):
        for name in [*folders, *files]:
            path = Path(directory, name)
            info = path.lstat()
            where = f"{folder}: {path.relative_to(folder)}"
            if stat.S_ISLNK(info.st_mode):
                raise TemplateError(
                    lazy(
                        "{where} is a symbolic link; a template folder may hold only its own "
                        "files, so copy the file in instead",
                        where=where,
                    )
                )
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise TemplateError(lazy("{where} is not a regular file; remove it", where=where))
            count += 1
            if count > MAX_TEMPLATE_FILES:
                raise TemplateError(
                    lazy(
                        "{folder}: holds more than {limit} files, the limit for a "
                        "template folder; keep only the template, its parts and its fonts",
                        folder=folder,
                        limit=MAX_TEMPLATE_FILES,
                    )
                )
            is_font = path.suffix.casefold() in FONT_SUFFIXES
            limit = MAX_FONT_BYTES if is_font else MAX_TEMPLATE_BYTES
            if info.st_size > limit:
                raise TemplateError(
                    lazy(
                        "{where} is {size} bytes, over the limit of {limit} for a {kind}; "
                        "remove it",
                        where=where,
                        size=Grouped(info.st_size),
                        limit=Grouped(limit),
                        kind=lazy(FONT if is_font else TEMPLATE_FILE),
                    )
                )
            if is_font:
                _check_font(path, where)
                fonts.append(path)
    return tuple(sorted(fonts))


def _check_font(path: Path, where: str) -> None:
    """A font collection must hold the fonts its header counts (typst would try each)."""
    with path.open("rb") as handle:
        head = handle.read(12)
    if head[:4] != b"ttcf":
        return
    count = struct.unpack(">I", head[8:12])[0] if len(head) == 12 else 0
    size = path.stat().st_size
    if not 0 < count <= _MAX_FONTS_IN_COLLECTION or 12 + 4 * count > size:
        raise TemplateError(
            lazy(
                "{where} is a font collection whose header claims {count} fonts (the limit "
                "is {limit}); it is damaged or crafted, so remove it",
                where=where,
                count=Grouped(count),
                limit=_MAX_FONTS_IN_COLLECTION,
            )
        )
