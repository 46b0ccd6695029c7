"""Fetch a public source into its landing folder over HTTPS: the `connector:` block of a source.yaml.

    connector:
      url: https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip
      extract: eurofxref-hist.csv      # take this member out of a zip download
      file_name: eurofxref-hist.csv    # name in landing; {date} is the fetch date
      token_env: ECB_TOKEN             # optional: a token from this environment variable, sent as a header
      allowed_hosts: [data.ecb.europa.eu]   # hosts a redirect may lead to besides the URL's own
      allow_http: false                # plain http only when the contract says so, and never with a token
      timeout_s: 60
      max_mib: 50                      # default: the contract's max_file_mib

What it promises: only https (unless allowed), no redirect to another host or to http unless allowed (and the
token is never sent to another host), a timeout on every socket operation and on the whole download, a size
cap checked against Content-Length and again while reading, a zip member's size checked before it is inflated
and again while inflating, the token never in a message or log, and an atomic write into landing (a partial
download never appears there). Bytes already in landing or in the archive are not written again, so the
sensor does not see a "new" file that is not.

    python -m sources.lib.connectors ecb_rates [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import http.client
import os
import socket
import ssl
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sources.lib.archive import sha256_of
from sources.lib.contract import Connector, SourceContract, discover_contracts
from sources.lib.landing import landing_sha256, scan
from sources.lib.paths import DataDir
from sources.lib.safety import MAX_RATIO, MIB

CHUNK = 1 << 16
USER_AGENT = "viable-cities-warehouse/0.1 (+https://viablecities.se)"


class ConnectorError(Exception):
    """A fetch that was refused or failed; the message names the source, host and rule, never the token."""

    def __init__(self, source: str, rule: str, message: str) -> None:
        super().__init__(f"source {source}: {message} [rule: {rule}]")
        self.source, self.rule, self.message = source, rule, message


@dataclass(frozen=True)
class FetchResult:
    source: str
    status: str  # fetched | unchanged
    path: Path | None
    sha256: str
    bytes: int


def _where(url: str) -> str:
    """scheme://host/path for messages: never the query string (a publisher might put a key there)."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{parts.path}"


def _check_url(source: str, conn: Connector, url: str, origin_host: str | None, has_token: bool) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise ConnectorError(source, "scheme", f"{_where(url)}: only https URLs are fetched")
    if parts.scheme == "http" and (not conn.allow_http or has_token):
        why = "a token is never sent over plain http" if has_token else "the contract does not allow plain http"
        raise ConnectorError(source, "plain_http", f"{_where(url)}: refused, {why}")
    if parts.username or parts.password:
        raise ConnectorError(source, "credentials_in_url", "credentials in the URL are refused; use token_env")
    if origin_host is not None and parts.hostname != origin_host and parts.hostname not in conn.allowed_hosts:
        raise ConnectorError(
            source,
            "redirect_host",
            f"redirected from {origin_host} to {parts.hostname}, which the contract does not allow "
            "(connector.allowed_hosts)",
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def __init__(self, source: str, conn: Connector, origin_host: str, token_header: str | None) -> None:
        self.source, self.conn, self.origin_host, self.token_header = source, conn, origin_host, token_header

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        newurl = urllib.parse.urljoin(req.full_url, newurl)
        _check_url(self.source, self.conn, newurl, self.origin_host, self.token_header is not None)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        # The token is an unredirected header: urllib drops it on every redirect. It goes along again only to
        # the URL's own host; an allowed other host never gets it.
        same_host = urllib.parse.urlsplit(newurl).hostname == self.origin_host
        if new is not None and self.token_header and same_host:
            value = req.get_header(self.token_header.capitalize())
            if value:
                new.add_unredirected_header(self.token_header, value)
        return new


class _Deadline:
    """The whole download's time limit, held against a server that keeps every single read alive by sending a
    byte at a time (the per-operation timeout never fires then): when it passes, the sockets of the download's
    connections are shut down from a timer thread, which ends whatever read is waiting on them."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed: nothing waits on it
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the raw socket's, also under TLS

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)


def _connection_class(base: type[http.client.HTTPConnection], deadline: _Deadline) -> type[http.client.HTTPConnection]:
    class Connection(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)  # the response reads this socket even after the connection lets it go

    return Connection


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, context: ssl.SSLContext, deadline: _Deadline) -> None:
        super().__init__(context=context)
        self._class = _connection_class(http.client.HTTPSConnection, deadline)

    def https_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(self._class, req, context=self._context)  # type: ignore[attr-defined]


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._class = _connection_class(http.client.HTTPConnection, deadline)

    def http_open(self, req):  # type: ignore[no-untyped-def]
        return self.do_open(self._class, req)


def _download(
    source: str,
    conn: Connector,
    cap: int,
    target: Path,
    *,
    env: Mapping[str, str],
    ssl_context: ssl.SSLContext | None,
    use_env_proxy: bool,
) -> None:
    token = env.get(conn.token_env) if conn.token_env else None
    origin = urllib.parse.urlsplit(conn.url).hostname or ""
    _check_url(source, conn, conn.url, None, token is not None)
    deadline = _Deadline(conn.timeout_s * 5)  # the whole download, beside the per-operation timeout
    handlers: list[urllib.request.BaseHandler] = [
        _HTTPSHandler(ssl_context or ssl.create_default_context(), deadline),
        _HTTPHandler(deadline),
        _Redirects(source, conn, origin, conn.token_header if token else None),
    ]
    if not use_env_proxy:
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(conn.url, headers={"User-Agent": USER_AGENT})
    if token:
        request.add_unredirected_header(conn.token_header, f"{conn.token_prefix}{token}")
    where = _where(conn.url)
    late = ConnectorError(source, "timeout", f"{where}: the download took longer than allowed ({deadline.seconds:g} s)")
    with deadline:
        try:
            response = opener.open(request, timeout=conn.timeout_s)
        except ConnectorError:
            raise
        except urllib.error.HTTPError as exc:
            raise ConnectorError(source, "http_status", f"{where}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException) as exc:
            if deadline.expired:
                raise late from None
            reason = getattr(exc, "reason", exc)
            raise ConnectorError(source, "unreachable", f"{where}: {type(reason).__name__}: {reason}") from None
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > cap:
                raise ConnectorError(
                    source,
                    "too_large",
                    f"{where}: {int(length) / MIB:.1f} MiB announced; the cap is {cap / MIB:g} MiB",
                )
            total = 0
            with target.open("wb") as out:
                while True:
                    try:
                        chunk = response.read(CHUNK)
                    except (TimeoutError, OSError, http.client.HTTPException) as exc:
                        if deadline.expired:
                            raise late from None
                        raise ConnectorError(
                            source, "timeout", f"{where}: reading failed: {type(exc).__name__}"
                        ) from None
                    if deadline.expired:  # a shut-down socket may also read as the end of the body
                        raise late
                    if not chunk:
                        break
                    total += len(chunk)
                    if total > cap:
                        raise ConnectorError(source, "too_large", f"{where}: more than the cap of {cap / MIB:g} MiB")
                    out.write(chunk)


def _extract(source: str, archive_path: Path, member: str, cap: int, target: Path) -> None:
    """Take one member out of a downloaded zip, checking its declared and its real size."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile:
        raise ConnectorError(source, "not_a_zip", f"expected a zip holding {member}, got something else") from None
    with archive:
        matches = [i for i in archive.infolist() if Path(i.filename).name == member and not i.is_dir()]
        if len(matches) != 1:
            names = [i.filename for i in archive.infolist()][:20]
            raise ConnectorError(
                source, "zip_member", f"expected exactly one {member} in the zip, found {len(matches)} ({names})"
            )
        info = matches[0]
        if info.flag_bits & 0x1:
            raise ConnectorError(source, "zip_member", f"{member} is encrypted")
        ratio_bomb = info.file_size > 10 * MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > cap or ratio_bomb:
            raise ConnectorError(
                source, "zip_bomb", f"{member} inflates from {info.compress_size} to {info.file_size} bytes"
            )
        total = 0
        with archive.open(info) as src, target.open("wb") as out:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                total += len(chunk)
                if total > cap:  # the directory may lie: count what really comes out
                    raise ConnectorError(source, "zip_bomb", f"{member} inflates beyond the cap of {cap / MIB:g} MiB")
                out.write(chunk)


def _resolved_url(source: str, conn: Connector, env: Mapping[str, str]) -> Connector:
    """The URL from the environment where the contract says so; only to the hosts the contract allows."""
    if not conn.url_env:
        return conn
    url = env.get(conn.url_env) or conn.url
    if not url:
        raise ConnectorError(source, "no_url", f"set {conn.url_env} to the address of the file to fetch")
    host = urllib.parse.urlsplit(url).hostname or ""
    allowed = {*conn.allowed_hosts, urllib.parse.urlsplit(conn.url).hostname or ""} - {""}
    if host not in allowed:
        raise ConnectorError(
            source, "host_not_allowed", f"{conn.url_env} points to {host!r}; allowed: {sorted(allowed)}"
        )
    return dataclasses.replace(conn, url=url)


def fetch(
    contract: SourceContract,
    data: DataDir,
    *,
    today: dt.date | None = None,
    env: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    use_env_proxy: bool = True,
) -> FetchResult:
    """Download the source's file into landing; `unchanged` when these bytes were delivered before."""
    conn = contract.connector
    if conn is None:
        raise ConnectorError(contract.name, "no_connector", "the contract has no connector block")
    environment = os.environ if env is None else env
    conn = _resolved_url(contract.name, conn, environment)
    cap = int((conn.max_mib or contract.max_file_mib) * MIB)
    url_name = Path(urllib.parse.urlsplit(conn.url).path).name
    name = Path(conn.file_name.format(date=(today or dt.date.today()).isoformat(), url_name=url_name)).name
    if not name or name.startswith("."):
        raise ConnectorError(contract.name, "file_name", f"connector.file_name {conn.file_name!r} is not a file name")
    landing = data.landing(contract.name)
    landing.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=landing, prefix=".fetch-") as tmp:  # dot folder: ingest and sensor skip it
        download = Path(tmp) / "download"
        _download(
            contract.name,
            conn,
            cap,
            download,
            env=environment,
            ssl_context=ssl_context,
            use_env_proxy=use_env_proxy,
        )
        result = download
        if conn.extract:
            result = Path(tmp) / "member"
            _extract(contract.name, download, conn.extract, cap, result)
        if result.stat().st_size == 0:
            raise ConnectorError(contract.name, "empty_file", f"{_where(conn.url)} returned no bytes")
        sha = sha256_of(result)
        size = result.stat().st_size
        known = (data.archive(contract.name) / sha).exists() or any(
            f.size == size and landing_sha256(f) == sha
            for f in scan(contract, data)[0]  # plain files only
        )
        if known:
            return FetchResult(contract.name, "unchanged", None, sha, size)
        target = landing / name
        os.replace(result, target)
        return FetchResult(contract.name, "fetched", target, sha, size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", nargs="+", help="source name(s) with a connector block")
    parser.add_argument("--data-dir", type=Path, default=None, help="data directory (default: $VC_DATA_DIR)")
    args = parser.parse_args(argv)
    data = DataDir(args.data_dir.resolve()) if args.data_dir else DataDir.current()
    contracts = {c.name: c for c in discover_contracts()}
    status = 0
    for name in args.source:
        if name not in contracts:
            print(f"{name}: no such source", file=sys.stderr)
            status = 2
            continue
        try:
            result = fetch(contracts[name], data)
        except ConnectorError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
            continue
        print(f"{name}: {result.status} {result.path or ''} ({result.bytes} bytes, sha256 {result.sha256[:12]})")
    return status


if __name__ == "__main__":
    sys.exit(main())
