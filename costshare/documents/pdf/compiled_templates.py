"""The shipped templates' compiled code, kept between runs (issue #23).

Jinja2 compiles a template to Python before it renders it: some 20 ms for the settlement
letter and 30 ms for a charge's letter, annex and review, in every run. Jinja2's own
:class:`jinja2.FileSystemBytecodeCache` keeps that code in a folder the package layer
gives (:func:`costshare.package.template_cache.template_cache_folder`): each file is
found by the template's name, holds the SHA-1 of the source it was compiled from (a
changed template is compiled afresh) and Jinja2's tag of the Python that compiled it
(another Python compiles afresh). The file names carry :data:`CODE_KEY`, a digest of the
Jinja2 version and of the environment's settings that shape the compiled code, so code
compiled under other settings is never loaded.

Only the shipped templates are kept: a user's template (``--templates``) is compiled in
its sandbox in every run. A folder that cannot be read or written is no error: the
template is then compiled as it would be without one.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket


def code_key(options: dict[str, Any]) -> str:
    """A digest of the Jinja2 version and ``options`` (callables by their names)."""
    named = {
        key: getattr(value, "__qualname__", repr(value)) for key, value in sorted(options.items())
    }
    return hashlib.sha256(repr((jinja2.__version__, named)).encode()).hexdigest()[:16]


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja2's bytecode cache in ``folder``; a file or folder that fails is no error."""

    def __init__(self, folder: Path, options: dict[str, Any]) -> None:
        super().__init__(str(folder), f"costshare-{code_key(options)}-%s.cache")

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable or cut short (Jinja2 reads the checksum by pickle)
            bucket.reset()  # compiled afresh, and written again

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)
