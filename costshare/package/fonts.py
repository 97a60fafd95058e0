"""A private folder of the fonts a letter may use, for typst to load and nothing else.

typst is given font folders, not font files. The fonts of a user's template folder are
checked (:func:`~costshare.documents.pdf.template_folder.check_template_folder`) and
copied into a new private folder, so typst loads exactly the checked files and never scans
the user's folder, where a file could appear after the check. With no user fonts the folder
is empty: typst then has only the fonts it ships. The same empty folder is typst's package
folder, so there is nothing to load a package from.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_font_folder(fonts: Sequence[Path] = ()) -> Iterator[Path]:
    """A new private folder holding copies of ``fonts``, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="costshare-fonts-") as holder:
        for index, font in enumerate(fonts):
            shutil.copyfile(font, Path(holder, f"{index:03d}{font.suffix.casefold()}"))
        yield Path(holder)
