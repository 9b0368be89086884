"""Fetching one URL over HTTP(S) with the standard library, refusing anything surprising.

Only http and https are fetched, and only when the user asked for a URL or a refresh. Every
failure becomes a `FetchError` whose message is one line starting with the URL, so a batch
can report it and carry on. Limits protect the reader from hostile or broken servers: a
connect timeout, a per-read timeout (a server that stops sending), an overall deadline (a
server that drips bytes forever), a size cap enforced while streaming (Content-Length may
lie or be absent), a content-type check before the body is read, and at most a few redirects,
each of which must stay on http(s).

The transport is `urllib.request` (so proxy environment variables keep working) with its
connection classes wrapped to apply separate connect and read timeouts.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from reader import __version__

MB = 1024 * 1024
USER_AGENT = f"mali-reader/{__version__} (terminal news reader)"


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line and starts with the URL."""


@dataclass(frozen=True)
class FetchOptions:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 120.0
    max_bytes: int = 20 * MB
    max_redirects: int = 5


@dataclass
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str  # lower-case media type without parameters, "" when absent
    charset: str  # from the Content-Type parameters, "" when absent
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_http_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme.lower() in ("http", "https")


def looks_like_url(text: str) -> bool:
    """`scheme://...` (any scheme), so that ftp:// or file:// get a clear refusal, not 'no such file'."""
    parts = urlsplit(text.strip())
    return bool(parts.scheme) and len(parts.scheme) > 1 and text.strip().lower().startswith(parts.scheme.lower() + "://")


def check_url(url: str) -> str:
    """The URL stripped, or FetchError when it is not an http(s) URL with a host."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{url}: the URL has no host name")
    return url


# --- transport -----------------------------------------------------------------------


class _Deadline:
    """One total deadline per request, redirects and slow headers included.

    urllib's timeouts are per socket operation, so a server that sends its headers one byte
    at a time never times out; a timer shuts the request's sockets down when time is up.
    """

    def __init__(self, seconds: float):
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.01, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class _ReadTimeoutMixin:
    read_timeout: float | None = None
    deadline: _Deadline | None = None

    def connect(self):  # noqa: D102 - connect with the connect timeout, then read with the read timeout
        if self.deadline is not None:
            self.timeout = min(self.timeout or self.deadline.remaining(), self.deadline.remaining())
        super().connect()  # type: ignore[misc]
        self.sock.settimeout(self.read_timeout)  # type: ignore[attr-defined]
        if self.deadline is not None:
            self.deadline.watch(self.sock)  # type: ignore[attr-defined]


class _HTTPConnection(_ReadTimeoutMixin, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_ReadTimeoutMixin, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, read_timeout: float, deadline: _Deadline | None = None):
        super().__init__()
        self.read_timeout = read_timeout
        self.deadline = deadline

    def _connection(self, host, **kwargs):
        conn = _HTTPConnection(host, **kwargs)
        conn.read_timeout, conn.deadline = self.read_timeout, self.deadline
        return conn

    def http_open(self, req):
        return self.do_open(self._connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, read_timeout: float, deadline: _Deadline | None = None):
        super().__init__(context=ssl.create_default_context())
        self.read_timeout = read_timeout
        self.deadline = deadline

    def _connection(self, host, **kwargs):
        conn = _HTTPSConnection(host, **kwargs)
        conn.read_timeout, conn.deadline = self.read_timeout, self.deadline
        return conn

    def https_open(self, req):
        return self.do_open(self._connection, req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most `limit` redirects, never to a non-http(s) URL, never in a loop."""

    def __init__(self, limit: int, origin: str):
        super().__init__()
        self.limit = limit
        self.origin = origin

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        fp.close()
        if not location:
            raise FetchError(f"{self.origin}: HTTP {code} redirect without a Location header")
        new_url = urljoin(req.full_url, location.strip())
        chain = getattr(req, "chain", [req.full_url])
        if urlsplit(new_url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{self.origin}: redirected to a non-http(s) URL ({new_url[:200]}); refused")
        if new_url in chain:
            raise FetchError(f"{self.origin}: redirect loop ({len(chain)} hops back to {new_url[:200]})")
        if len(chain) > self.limit:
            raise FetchError(f"{self.origin}: too many redirects (more than {self.limit})")
        new = self.redirect_request(req, fp, code, msg, headers, new_url)
        if new is None:
            raise FetchError(f"{self.origin}: HTTP {code} redirect that cannot be followed")
        new.chain = [*chain, new_url]
        return self.parent.open(new, timeout=req.timeout)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(options: FetchOptions, origin: str, deadline: _Deadline | None = None) -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(),
                    _HTTPHandler(options.read_timeout, deadline), _HTTPSHandler(options.read_timeout, deadline),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor(),
                    _Redirects(options.max_redirects, origin)):
        opener.add_handler(handler)
    return opener


# --- fetching -------------------------------------------------------------------------


def _describe(url: str, exc: BaseException, options: FetchOptions) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{url}: no answer within {options.connect_timeout:g} s (connect timeout); try again later"
    if isinstance(reason, socket.gaierror):
        return f"{url}: cannot resolve the host name {urlsplit(url).hostname!r}; check the URL or the network"
    if isinstance(reason, ConnectionRefusedError):
        return f"{url}: connection refused; check the URL or try again later"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"{url}: TLS certificate not trusted ({reason.verify_message or reason})"
    if isinstance(reason, ssl.SSLError):
        return f"{url}: TLS error ({reason.reason or reason})"
    if isinstance(reason, OSError):
        return f"{url}: network error ({reason.strerror or reason})"
    text = " ".join(str(reason).split())
    return f"{url}: cannot fetch ({text[:200]})"


def _media_type(headers: Message) -> tuple[str, str]:
    raw = headers.get("Content-Type") or ""
    if not raw.strip():
        return "", ""
    msg = Message()
    msg["Content-Type"] = raw
    return msg.get_content_type().lower(), (msg.get_param("charset") or "").strip().lower()


def fetch(url: str, *, options: FetchOptions | None = None, accept: Iterable[str] | None = None,
          headers: dict[str, str] | None = None) -> Response:
    """GET `url` within the limits of `options`; raise FetchError with a one-line reason.

    `accept` lists the media types worth downloading (checked before the body is read); a
    response without a Content-Type is accepted and left to the caller to sniff. A 304 answer
    to a conditional request (`headers` with If-None-Match / If-Modified-Since) returns a
    Response with status 304 and an empty body.
    """
    options = options or FetchOptions()
    url = check_url(url)
    allowed = {a.lower() for a in accept} if accept is not None else None
    request = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": ", ".join(sorted(allowed)) + ", */*;q=0.1" if allowed else "*/*",
        "Accept-Encoding": "identity",
        **(headers or {}),
    })
    request.chain = [url]
    started = time.monotonic()
    deadline = _Deadline(options.total_timeout)
    try:
        return _fetch(url, request, options, allowed, started, deadline)
    except FetchError:
        if deadline.expired:
            raise FetchError(f"{url}: download took longer than {options.total_timeout:g} s; "
                             "the server is too slow, try again later") from None
        raise
    finally:
        deadline.cancel()


def _fetch(url, request, options, allowed, started, deadline) -> Response:
    try:
        resp = _opener(options, url, deadline).open(request, timeout=options.connect_timeout)
    except FetchError:
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return Response(url, exc.url or url, 304, "", "", b"", _lower(exc.headers))
        reason = " ".join(str(exc.reason or "").split())[:80]
        hint = "; check the URL" if exc.code in (404, 410) else ""
        raise FetchError(f"{url}: HTTP {exc.code} {reason}{hint}".rstrip()) from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"{url}: the server sent no answer within {options.read_timeout:g} s "
                         "(read timeout); try again later") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchError(_describe(url, exc, options)) from None
    with resp:
        media, charset = _media_type(resp.headers)
        if allowed is not None and media and media not in allowed:
            raise FetchError(f"{url}: unsupported content type {media!r}; expected a web page, a feed or text")
        length = resp.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > options.max_bytes:
            raise FetchError(f"{url}: too large ({int(length) / MB:.1f} MB; the limit is "
                             f"{_size(options.max_bytes)})")
        body = _read_capped(resp, url, options, started, deadline)
        return Response(url, resp.geturl(), resp.status, media, charset, body, _lower(resp.headers))


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _size(n: int) -> str:
    return f"{n / MB:g} MB" if n >= MB else f"{n} bytes"


def _read_capped(resp, url: str, options: FetchOptions, started: float, deadline: _Deadline | None = None) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        if time.monotonic() - started > options.total_timeout or (deadline is not None and deadline.expired):
            raise FetchError(f"{url}: download took longer than {options.total_timeout:g} s; "
                             "the server is too slow, try again later")
        try:
            chunk = resp.read1(64 * 1024)
        except (TimeoutError, socket.timeout):
            raise FetchError(f"{url}: the server stopped sending for {options.read_timeout:g} s "
                             "(read timeout); try again later") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{url}: the download was cut off ({type(exc).__name__}); try again") from None
        if not chunk:
            if deadline is not None and deadline.expired:  # the socket was shut, not finished
                raise FetchError(f"{url}: download took longer than {options.total_timeout:g} s; "
                                 "the server is too slow, try again later")
            return b"".join(chunks)
        total += len(chunk)
        if total > options.max_bytes:
            raise FetchError(f"{url}: larger than the {_size(options.max_bytes)} limit; not imported")
        chunks.append(chunk)


_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "at_medium", "at_campaign", "xtor")


def canonical_url(url: str) -> str:
    """A form of an http(s) URL for deduplication: lower-case scheme and host, no default port,
    no fragment, no tracking parameters. "" for anything that is not http(s)."""
    from urllib.parse import parse_qsl, urlencode, urlunsplit

    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            return ""
        host = parts.hostname.lower()
        port = parts.port
    except ValueError:
        return ""
    if ":" in host:
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING_PARAMS)]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))
