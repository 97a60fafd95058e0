"""Writing the programme file that ``costshare init`` starts a user with.

The text comes from :func:`costshare.programme.starter.starter_text`; it is loaded as a
programme from a temporary file beside the target before the target appears, and linked
into place only if nothing is there yet: a file that appears is one ``costshare run``
accepts, and an existing file is never overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import lazy
from costshare.programme.model import Programme, load_programme
from costshare.programme.starter import EXISTS, Answers, starter_text


def write_starter(path: Path, answers: Answers) -> Programme:
    """Write the programme file for ``answers`` to ``path`` and return it, loaded.

    The text is loaded as a programme before ``path`` is created, so a file that
    appears is one ``costshare run`` accepts. Raises :class:`InputError` if ``path``
    exists (it is never overwritten) or an answer cannot be used.
    """
    if path.exists():
        raise InputError(lazy(EXISTS, file=path))
    if not path.parent.is_dir():
        raise InputError(
            lazy(
                "{file}: the folder '{folder}' does not exist; create it first",
                file=path,
                folder=path.parent,
            )
        )
    text = starter_text(answers)
    handle, temporary = tempfile.mkstemp(suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        try:
            load_programme(temporary)
        except InputError as error:  # said of the file the user asked for, not the draft
            if error.source == temporary:
                raise error.said_of(str(path)) from None
            raise InputError(str(error).replace(temporary, str(path))) from None
        os.link(temporary, path)  # fails if path appeared meanwhile: never overwrite
    except FileExistsError:
        raise InputError(lazy(EXISTS, file=path)) from None
    finally:
        os.unlink(temporary)
    return load_programme(path)
