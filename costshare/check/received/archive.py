"""Reading a zip of a package, bounded: which files it holds, before anything is unpacked.

A zip is untrusted input. :func:`package_members` reads its central directory and
refuses, in one line naming the member, more than
:data:`~costshare.base.limits.MAX_ZIP_MEMBERS` files, more than
:data:`~costshare.base.limits.MAX_ZIP_BYTES` unpacked, a name that would land outside the
folder it is unpacked into (an absolute path, ``..``, a drive, a backslash) or that no
file system takes, a symbolic link, an encrypted member, and two members whose names
differ only in case. It finds the package in it: ``manifest.json`` at the top, or in the
one folder the zip holds. :func:`read_member` reads one member, at most its declared size.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from costshare.base.errors import InputError
from costshare.base.i18n import Text, grouped, lazy
from costshare.base.limits import MAX_ZIP_BYTES, MAX_ZIP_MEMBERS
from costshare.programme.naming import MANIFEST_FILE, SEGMENT

_SEGMENT = re.compile(SEGMENT + r"\Z")
_MAX_DEPTH = 5  # a top folder, a year, einvoices/ or programfil/, the file


@dataclass(frozen=True)
class Member:
    """A file of the zip: its name in the zip, and its name in the package."""

    info: zipfile.ZipInfo
    name: str


def package_members(archive: zipfile.ZipFile, source: str) -> list[Member]:
    """The files of the package in ``archive``, every name and size checked.

    Raises :class:`InputError` for a zip that breaks a rule above or holds no package.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _refused(
            source,
            lazy(
                "holds {count} files, over the limit of {limit} for a zip of a package",
                count=grouped(len(infos)),
                limit=grouped(MAX_ZIP_MEMBERS),
            ),
        )
    files = [info for info in infos if not info.is_dir()]
    total = sum(info.file_size for info in files)
    if total > MAX_ZIP_BYTES:
        raise _refused(
            source,
            lazy(
                "unpacks to {size} bytes, over the limit of {limit} for a zip of a package",
                size=grouped(total),
                limit=grouped(MAX_ZIP_BYTES),
            ),
        )
    seen: set[str] = set()
    for info in infos:
        _check_name(info, source)
        folded = info.filename.rstrip("/").casefold()
        if folded in seen:
            raise _refused(
                source,
                lazy("holds {name} twice (names differ only in case)", name=repr(info.filename)),
            )
        seen.add(folded)
    root = _root(files, source)
    return [
        Member(info, info.filename[len(root) :]) for info in files if info.filename.startswith(root)
    ]


def _check_name(info: zipfile.ZipInfo, source: str) -> None:
    name = info.filename
    parts = name.rstrip("/").split("/")
    plain = (
        "\\" not in name
        and not name.startswith("/")
        and len(parts) <= _MAX_DEPTH
        and all(_SEGMENT.match(part) for part in parts)
    )
    if not plain:
        raise _refused(
            source,
            lazy(
                "holds {name}, a name that would land outside the folder it is unpacked into "
                "or that not every file system takes",
                name=repr(name),
            ),
        )
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refused(source, lazy("holds {name}, a symbolic link", name=repr(name)))
    if info.flag_bits & 0x1:
        raise _refused(source, lazy("holds {name}, which is encrypted", name=repr(name)))


def _root(files: list[zipfile.ZipInfo], source: str) -> str:
    """Where the package starts in the zip: at the top, or in its one folder."""
    names = {info.filename for info in files}
    if MANIFEST_FILE in names:
        return ""
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and f"{next(iter(tops))}/{MANIFEST_FILE}" in names:
        return f"{next(iter(tops))}/"
    raise _refused(
        source,
        lazy(
            "holds no {manifest} at its top or in its one folder, so it is not a zip of a "
            "costshare package",
            manifest=MANIFEST_FILE,
        ),
    )


def read_member(archive: zipfile.ZipFile, member: Member, source: str) -> bytes:
    """The bytes of ``member`` (at most its declared size: zipfile stops there and checks
    the CRC). Raises :class:`InputError` for a member that does not unpack."""
    try:
        with archive.open(member.info) as stream:
            data = stream.read(member.info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as error:
        raise _refused(
            source,
            lazy(
                "holds {name}, which does not unpack ({kind})",
                name=repr(member.info.filename),
                kind=type(error).__name__,
            ),
        ) from None
    if len(data) > member.info.file_size:
        raise _refused(
            source, lazy("holds {name}, larger than it says", name=repr(member.info.filename))
        )
    return data


def open_zip(path: Path, source: str) -> zipfile.ZipFile:
    """The zip at ``path``; :class:`InputError` for one that is not a readable zip."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _refused(
            source, lazy("is not a zip that can be read ({kind})", kind=type(error).__name__)
        ) from None


def _refused(source: str, problem: Text) -> InputError:
    return InputError(problem, source=source)
