"""The StatBank fetch's HTTP: one POST, bounded in bytes and in total time, errors in one line.

:func:`post` sends a JSON body and returns the answer's bytes and the URL that gave them.
Everything a server could do to hang costshare, fill its memory or send it elsewhere is
bounded here (issue #24, item 5):

* **Total time.** One :class:`Deadline` covers a whole fetch (both calls, every redirect):
  :data:`TOTAL_SECONDS`. Every read from the socket waits at most the time left (and at
  most :data:`READ_SECONDS`), so a server that sends a byte every few seconds, in its
  headers or its body, fails when the deadline passes, not when it stops. Connecting and
  the TLS handshake wait at most the time left too (each is one timed call); the name
  look-up is the operating system's and is not bounded here.
* **Bytes.** An answer is at most :data:`MAX_RESPONSE_BYTES`: a ``Content-Length`` above
  it is refused before the body is read, and a body without one is read in pieces and
  refused at the limit, so an endless body stops there. An error answer's body is read
  only up to :data:`MAX_ERROR_BYTES` (StatBank's message is quoted from it), a redirect's
  not at all. http.client bounds the header lines (64 KiB each, 100 headers).
* **Redirects** are followed only to the same host as the API URL (the same host name and
  port, or from ``http`` to ``https`` on the same host name), at most
  :data:`MAX_REDIRECTS` times, re-sending the same POST (StatBank's API is read with
  POST; a redirect that turned it into a GET would lose the question). The URL that
  answered is returned, and the fetch records it in the provenance.
* **Errors.** Only ``http://`` and ``https://`` URLs are used (no ``file:``, no ``ftp:``).
  Every OS, TLS, HTTP-protocol and URL error is one :class:`InputError` line; none is a
  traceback.

Proxies configured for the machine (``https_proxy``, the Windows settings) are used as
urllib uses them; a proxy's own CONNECT answer is bounded per read, not in total.
"""

from __future__ import annotations

import http.client
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from costshare.base.codes import is_number_code
from costshare.base.errors import InputError
from costshare.base.i18n import grouped, lazy

TOTAL_SECONDS = 120.0  # a whole fetch: StatBank answers both calls in a few seconds
READ_SECONDS = 60.0  # one read from the socket, within what is left of the total
MAX_RESPONSE_BYTES = 10_000_000  # every age of every area is some 300 kB
MAX_ERROR_BYTES = 65_536  # of an error answer, for StatBank's message
MAX_REDIRECTS = 4
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 65_536


class Deadline:
    """The end of a fetch's time, and the timeout of the next wait on its socket."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = TOTAL_SECONDS if seconds is None else seconds
        self._end = time.monotonic() + self.seconds

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self._end

    def wait(self) -> float:
        """The seconds the next read may wait; raises :class:`TimeoutError` when none are left."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the fetch's time is up")
        return min(left, READ_SECONDS)


@dataclass(frozen=True)
class Answer:
    """The bytes of a successful answer and the URL that gave them (after redirects)."""

    url: str
    body: bytes


def check_url(url: str) -> None:
    """Refuse an API URL that is not ``http://`` or ``https://`` with a host."""
    try:
        parts = urllib.parse.urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise InputError(
            lazy(
                "--api-url {url} is not an http:// or https:// address; give the StatBank API's "
                "address, e.g. https://api.statbank.dk/v1",
                url=repr(url),
            )
        )


def post(url: str, body: dict[str, Any], deadline: Deadline, origin: str) -> Answer:
    """POST ``body`` as JSON to ``url``; redirects are followed within ``origin``'s host.

    Raises :class:`InputError` (one line) for anything but a 2xx answer within the limits.
    """
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    opener = _opener(deadline)
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        request = urllib.request.Request(
            current,
            data=data,
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with opener.open(request, timeout=deadline.wait()) as response:
                status = response.status
                if status in _REDIRECTS:
                    current = _redirect_target(
                        url, current, response.headers.get("Location"), origin
                    )
                    continue
                if not 200 <= status < 300:
                    detail = _api_message(_read(response, MAX_ERROR_BYTES, current, cut=True))
                    raise InputError(
                        lazy(
                            "StatBank answered {url} with HTTP {code}{detail}; nothing was stored",
                            url=current,
                            code=status,
                            detail=detail,
                        )
                    )
                return Answer(current, _read(response, MAX_RESPONSE_BYTES, current))
        except InputError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise _failure(current, error, deadline) from None
    raise InputError(
        lazy(
            "StatBank at {url} redirected more than {limit} times; nothing was stored",
            url=url,
            limit=MAX_REDIRECTS,
        )
    )


def _failure(url: str, error: Exception, deadline: Deadline) -> InputError:
    """The one line for an error of the connection, the protocol or the URL."""
    if deadline.passed:
        return InputError(
            lazy(
                "StatBank at {url} did not answer in full within {seconds} seconds; "
                "nothing was stored, try again later",
                url=url,
                seconds=round(deadline.seconds),
            )
        )
    if isinstance(error, http.client.HTTPException):
        # "BadStatusLine: garbage", "IncompleteRead(4 bytes read, 46 more expected)"
        said, kind = str(error).strip()[:200], type(error).__name__
        reason = said if said.startswith(kind) else f"{kind}: {said}" if said else kind
        return InputError(
            lazy(
                "StatBank at {url} sent a broken HTTP answer ({reason}); nothing was stored",
                url=url,
                reason=reason,
            )
        )
    cause = getattr(error, "reason", None) or getattr(error, "strerror", None) or error
    return InputError(
        lazy(
            "cannot reach StatBank at {url} ({reason}); check the connection or --api-url",
            url=url,
            reason=str(cause)[:200],
        )
    )


def _redirect_target(start: str, current: str, location: str | None, origin: str) -> str:
    """The URL a redirect points to, if it stays on ``origin``'s host."""
    target = urllib.parse.urljoin(current, location or "")
    if location is None or not same_host(origin, target):
        raise InputError(
            lazy(
                "StatBank at {url} redirected to {target}, which is not on the host of the API "
                "URL; costshare follows redirects only within that host, nothing was stored",
                url=current,
                target=repr(location or ""),
            )
        )
    return target


def same_host(origin: str, target: str) -> bool:
    """Whether ``target`` is on ``origin``'s host: the same host name and port, or the
    same host name reached by ``https`` instead of ``http`` (on the default ports).

    >>> same_host("http://api.statbank.dk/v1", "https://api.statbank.dk/v1/data")
    True
    >>> same_host("https://api.statbank.dk/v1", "http://api.statbank.dk/v1/data")
    False
    >>> same_host("http://127.0.0.1:8000/v1", "http://localhost:8000/v1")
    False
    """
    try:
        start, end = urllib.parse.urlsplit(origin), urllib.parse.urlsplit(target)
        ports = (_port(start), _port(end))
    except ValueError:
        return False
    if end.scheme not in ("http", "https") or not end.hostname:
        return False
    if (start.hostname or "").casefold() != end.hostname.casefold():
        return False
    if start.scheme == end.scheme:
        return ports[0] == ports[1]
    return start.scheme == "http" and ports == (80, 443)  # an upgrade, never a downgrade


def _port(parts: urllib.parse.SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _read(response: Any, limit: int, url: str, *, cut: bool = False) -> bytes:
    """The body, at most ``limit`` bytes: beyond it refused, or with ``cut`` cut off."""
    length = response.headers.get("Content-Length", "")
    if not cut and is_number_code(length.strip()) and int(length) > limit:
        raise _too_large(url)
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = response.read1(_CHUNK)  # one read from the socket: the deadline is checked
        if not chunk:
            if response.length:  # read1, unlike read, does not say the body was cut short
                raise http.client.IncompleteRead(b"".join(chunks), response.length)
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    if cut:
        return b"".join(chunks)[:limit]
    raise _too_large(url)


def _too_large(url: str) -> InputError:
    return InputError(
        lazy(
            "StatBank's answer from {url} is larger than {limit} bytes; nothing was stored",
            url=url,
            limit=grouped(MAX_RESPONSE_BYTES),
        )
    )


def _api_message(raw: bytes) -> str:
    try:
        message = json.loads(raw.decode("utf-8")).get("message", "")
    except (ValueError, AttributeError, UnicodeDecodeError, RecursionError):
        return ""
    return f" ({' '.join(str(message).split())[:200]})" if message else ""


# --- the socket under a deadline -------------------------------------------------------


def _opener(deadline: Deadline) -> urllib.request.OpenerDirector:
    """urllib with the machine's proxies and deadline-bound connections, and nothing that
    follows redirects, raises on a status or opens other schemes."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        _HTTPHandler(deadline),
        _HTTPSHandler(deadline),
    ):
        opener.add_handler(handler)
    return opener


class _DeadlineReader(io.RawIOBase):
    """The socket's bytes, each wait for them bounded by what is left of the deadline."""

    def __init__(self, sock: Any, deadline: Deadline) -> None:
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # keeps the socket open while read
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.wait())
        count: int | None = self._raw.readinto(buffer)
        return count or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose reads and sends wait at most what the deadline leaves."""

    def __init__(self, sock: Any, deadline: Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, *_args: Any, **_kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def sendall(self, data: bytes, *args: Any) -> None:
        self._sock.settimeout(self._deadline.wait())  # one timed call for all of it
        self._sock.sendall(data, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineConnection:
    """Mixed into http.client's connections: connect within the deadline, then read and
    send through :class:`_DeadlineSocket`."""

    deadline: Deadline
    sock: Any
    timeout: float | None

    def connect(self) -> None:
        self.timeout = self.deadline.wait()  # the TCP connect, then the TLS handshake
        super().connect()  # type: ignore[misc]
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _HTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        deadline = self.deadline

        def connection(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            made = _HTTPConnection(*args, **kwargs)
            made.deadline = deadline
            return made

        return self.do_open(connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        deadline = self.deadline

        def connection(*args: Any, **kwargs: Any) -> http.client.HTTPSConnection:
            made = _HTTPSConnection(*args, **kwargs)
            made.deadline = deadline
            return made

        return self.do_open(connection, req, context=self._context)  # type: ignore[attr-defined]
