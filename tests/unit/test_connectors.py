"""Connectors against a local HTTPS server on 127.0.0.1 with a self-signed certificate made here (openssl).

No traffic leaves 127.0.0.1: refused URLs (plain http, other hosts) are refused before any connection is made,
and the environment's proxies are not used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import io
import shutil
import ssl
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from sources.lib.connectors import ConnectorError, fetch
from sources.lib.contract import Connector, load_contract
from sources.lib.paths import SOURCES_DIR, DataDir

ECB = load_contract(SOURCES_DIR / "ecb_rates")
SMHI = load_contract(SOURCES_DIR / "smhi_emissions")
TOKEN = "s3cr3t-t0ken-value"
ECB_CSV = (
    b"Date,USD,JPY,SEK,\n2025-05-09,1.1250,163.39,10.9115,\n2025-05-08,1.1297,163.05,10.9240,\n"
    b"2025-05-07,1.1343,162.22,N/A,\n"
)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    seen_headers: ClassVar[list[dict[str, str]]] = []

    def do_GET(self) -> None:
        type(self).seen_headers.append(dict(self.headers))
        path = self.path
        if path == "/slow":
            time.sleep(3)
        if path in ("/drip", "/drip-headers"):
            self._drip(headers_too=path == "/drip-headers")
            return
        if path == "/private" and self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._send(401, {}, b"no")
            return
        status, headers, body = self.routes.get(path, (404, {}, b"not found"))
        self._send(status, headers, body)

    def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.wfile.write(body)

    def _drip(self, headers_too: bool) -> None:
        """One byte every half second, for ever (until the client goes away): every read gets an answer well
        within its timeout, so only a deadline on the whole download ends it."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            if headers_too:
                head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nX-Pad: " + b"x" * 100000
            else:
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.flush()
                head = b"y" * 100000
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.5)

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass


def make_cert(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and localhost), made with openssl; skips without openssl."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a certificate for the local HTTPS server")
    key, crt = folder / "key.pem", folder / "cert.pem"
    args = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(crt), "-days", "1"]
    subprocess.run(
        ["openssl", *args, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True,
        capture_output=True,
    )
    return crt, key


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_cert(tmp_path_factory.mktemp("tls"))


def _serve(tls: tuple[Path, Path] | None) -> tuple[http.server.ThreadingHTTPServer, threading.Thread]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(tls[0]), str(tls[1]))
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def https(cert: tuple[Path, Path]) -> Iterator[str]:
    server, _ = _serve(cert)
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def plain_http() -> Iterator[str]:
    server, _ = _serve(None)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def client(cert: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(cert[0]))


@pytest.fixture(autouse=True)
def routes(https: str) -> Iterator[None]:
    _Handler.routes = {
        "/eurofxref-hist.zip": (200, {"Content-Type": "application/zip"}, _zip({"eurofxref-hist.csv": ECB_CSV})),
        "/lansrapport.xlsx": (200, {}, b"PK\x03\x04 workbook bytes"),
        "/private": (200, {}, b"PK\x03\x04 private workbook"),
        "/moved-here": (302, {"Location": "/lansrapport.xlsx"}, b""),
        "/moved-private": (302, {"Location": "/private"}, b""),
        "/moved-away": (302, {"Location": "https://example.org/lansrapport.xlsx"}, b""),
        "/moved-to-localhost": (302, {"Location": https.replace("127.0.0.1", "localhost") + "/lansrapport.xlsx"}, b""),
        "/moved-to-http": (302, {"Location": https.replace("https", "http") + "/lansrapport.xlsx"}, b""),
        "/big": (200, {}, b"x" * (3 * 1024 * 1024)),
        "/lies-about-length": (200, {"Content-Length": str(10 * 1024 * 1024 * 1024)}, b"x"),
        "/two-members.zip": (200, {}, _zip({"a/eurofxref-hist.csv": b"x", "b/eurofxref-hist.csv": b"y"})),
        "/bomb.zip": (200, {}, _zip({"eurofxref-hist.csv": b"0" * (3 * 1024 * 1024)})),
        "/not-a-zip": (200, {}, b"<html>maintenance</html>"),
        "/slow": (200, {}, b"late"),
        "/gone": (404, {}, b"not found"),
        "/contentassets/0a1b2c/be0101_tabhel2024.xlsx": (200, {}, _scb_workbook()),
    }
    _Handler.seen_headers = []
    yield


def _contract(base, url: str, **changes: object):  # type: ignore[no-untyped-def]
    connector = dataclasses.replace(base.connector, url=url, **changes)
    return dataclasses.replace(base, connector=connector)


def _smhi(url: str, **changes: object):  # type: ignore[no-untyped-def]
    return _contract(SMHI, url, **changes)


def _fetch(contract, data_dir: Path, client: ssl.SSLContext, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return fetch(contract, DataDir(data_dir), env=env or {}, ssl_context=client, use_env_proxy=False)


def test_ecb_zip_is_fetched_unzipped_and_parsed(https: str, data_dir: Path, client: ssl.SSLContext) -> None:
    import datetime as dt

    contract = _contract(ECB, f"{https}/eurofxref-hist.zip")
    result = fetch(
        contract, DataDir(data_dir), today=dt.date(2025, 5, 9), env={}, ssl_context=client, use_env_proxy=False
    )
    assert result.status == "fetched"
    assert result.path == data_dir / "landing" / "ecb_rates" / "eurofxref-hist_2025-05-09.csv"
    assert result.path.read_bytes() == ECB_CSV
    # no partial or temporary files are left in landing
    assert sorted(p.name for p in result.path.parent.iterdir()) == ["eurofxref-hist_2025-05-09.csv"]
    table = ECB.parser().parse(result.path, result.path.name, ECB)
    sek = [v for c, v in zip(table.raw("currency"), table.raw("units_per_eur"), strict=True) if c == "SEK"]
    assert sek == ["10.9115", "10.9240"]  # N/A gives no row

    again = _fetch(contract, data_dir, client)
    assert again.status == "unchanged" and again.path is None


def test_same_host_redirect_is_followed_and_keeps_the_token(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    contract = _smhi(f"{https}/moved-private", token_env="SMHI_TOKEN")
    result = _fetch(contract, data_dir, client, env={"SMHI_TOKEN": TOKEN})
    assert result.path is not None and result.path.read_bytes() == b"PK\x03\x04 private workbook"
    assert [h.get("Authorization") for h in _Handler.seen_headers] == [f"Bearer {TOKEN}", f"Bearer {TOKEN}"]


@pytest.mark.parametrize(
    ("path", "changes", "rule"),
    [
        ("/moved-away", {}, "redirect_host"),  # another host: refused before connecting to it
        ("/moved-to-http", {}, "plain_http"),  # https -> http downgrade
        ("/big", {"max_mib": 1}, "too_large"),  # counted while reading
        ("/lies-about-length", {}, "too_large"),  # refused on the announced Content-Length
        ("/gone", {}, "http_status"),
        ("/slow", {"timeout_s": 0.5}, "unreachable"),  # the socket timeout (reported as a timeout)
        ("/private", {}, "http_status"),  # 401 without the token
    ],
)
def test_refusals_name_the_rule(https: str, data_dir: Path, client, path: str, changes: dict, rule: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectorError) as exc:
        _fetch(_smhi(f"{https}{path}", **changes), data_dir, client)
    assert exc.value.rule == rule
    landing = data_dir / "landing" / "smhi_emissions"
    assert [p.name for p in landing.iterdir()] == []  # nothing half-written in landing


def test_timeout_message_says_timed_out(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectorError) as exc:
        _fetch(_smhi(f"{https}/slow", timeout_s=0.5), data_dir, client)
    assert "timed out" in str(exc.value).lower() or "timeout" in str(exc.value).lower()


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_the_whole_download_deadline_holds_against_a_server_that_drips(
    https: str, data_dir: Path, client, path: str
) -> None:  # type: ignore[no-untyped-def]
    """A byte every half second keeps each read alive (the per-read timeout is 1 s); the whole download may take
    five times that, 5 s, and is cut there."""
    started = time.monotonic()
    with pytest.raises(ConnectorError) as exc:
        _fetch(_smhi(f"{https}{path}", timeout_s=1.0), data_dir, client)
    took = time.monotonic() - started
    assert exc.value.rule == "timeout" and "longer than allowed (5 s)" in str(exc.value)
    assert 4.5 <= took < 15, took
    assert [p.name for p in (data_dir / "landing" / "smhi_emissions").iterdir()] == []


@pytest.mark.parametrize(
    ("path", "changes", "rule"),
    [
        ("/two-members.zip", {}, "zip_member"),
        ("/bomb.zip", {"max_mib": 1}, "zip_bomb"),  # 3 MiB inflated from a few KiB
        ("/not-a-zip", {}, "not_a_zip"),
    ],
)
def test_zip_refusals(https: str, data_dir: Path, client, path: str, changes: dict, rule: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectorError) as exc:
        _fetch(_contract(ECB, f"{https}{path}", **changes), data_dir, client)
    assert exc.value.rule == rule


def test_token_is_never_in_an_error_and_never_sent_elsewhere(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    env = {"SMHI_TOKEN": TOKEN}
    for path in ["/gone", "/moved-away"]:
        with pytest.raises(ConnectorError) as exc:
            _fetch(_smhi(f"{https}{path}?key=abc", token_env="SMHI_TOKEN"), data_dir, client, env=env)
        assert TOKEN not in str(exc.value) and TOKEN not in repr(exc.value.args)
        assert "key=abc" not in str(exc.value)  # query strings stay out of messages too


def test_an_allowed_other_host_gets_no_token(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    # "localhost" is another host name for the same local server: allowed by the contract, but not trusted
    # with the token
    contract = _smhi(f"{https}/moved-to-localhost", token_env="T", allowed_hosts=("localhost",))
    result = _fetch(contract, data_dir, client, env={"T": TOKEN})
    assert result.status == "fetched"
    assert [h.get("Authorization") for h in _Handler.seen_headers] == [f"Bearer {TOKEN}", None]
    assert _Handler.seen_headers[1]["Host"].startswith("localhost:")


def test_plain_http_only_when_the_contract_allows_it(plain_http: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConnectorError) as exc:
        _fetch(_smhi(f"{plain_http}/lansrapport.xlsx"), data_dir, client)
    assert exc.value.rule == "plain_http"
    assert _Handler.seen_headers == []  # refused before connecting
    # with the explicit allow flag it is fetched, but never with a token
    result = _fetch(_smhi(f"{plain_http}/lansrapport.xlsx", allow_http=True), data_dir, client)
    assert result.status == "fetched"
    with pytest.raises(ConnectorError) as exc:
        _fetch(
            _smhi(f"{plain_http}/lansrapport.xlsx", allow_http=True, token_env="T"), data_dir, client, env={"T": TOKEN}
        )
    assert exc.value.rule == "plain_http" and TOKEN not in str(exc.value)


def test_a_self_signed_certificate_is_not_trusted_by_default(https: str, data_dir: Path) -> None:
    with pytest.raises(ConnectorError) as exc:
        fetch(_smhi(f"{https}/lansrapport.xlsx"), DataDir(data_dir), env={}, use_env_proxy=False)
    assert exc.value.rule == "unreachable" and "CERTIFICATE_VERIFY_FAILED" in str(exc.value)


def test_contracts_with_connectors() -> None:
    from sources.lib.contract import discover_contracts

    with_connector = {c.name: c.connector for c in discover_contracts() if c.connector}
    assert sorted(with_connector) == [
        "cordis_organizations",
        "cordis_projects",
        "ecb_rates",
        "scb_population",
        "smhi_emissions",
    ]
    assert all(
        isinstance(c, Connector) and (c.url or "https://").startswith("https://") for c in with_connector.values()
    )
    assert with_connector["scb_population"].url_env == "VC_SCB_POPULATION_URL"
    assert with_connector["ecb_rates"].extract == "eurofxref-hist.csv"


def _scb_workbook() -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Totalt"
    ws.append(["Folkmängd i riket, län och kommuner 31 december och befolkningsförändringar 2024. Totalt"])
    ws.append([])
    ws.append(["Kommun", "Kommunnamn", "Folkmängd"])
    ws.append(["Län", "Länsnamn", " "])
    ws.append([None, "Riket", 10_587_710])
    ws.append(["01", "Stockholm", 2_473_307])
    ws.append(["0180", "Stockholm", 995_574])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_scb_link_from_the_environment_is_fetched_to_its_own_name(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    from sources.lib.cells import RawTable

    scb = load_contract(SOURCES_DIR / "scb_population")
    contract = _contract(scb, "", allowed_hosts=("127.0.0.1",))
    link = f"{https}/contentassets/0a1b2c/be0101_tabhel2024.xlsx"
    result = _fetch(contract, data_dir, client, env={"VC_SCB_POPULATION_URL": link})
    assert result.status == "fetched" and result.path.name == "be0101_tabhel2024.xlsx"
    table: RawTable = contract.parser().parse(result.path, result.path.name, contract)
    rows = dict(zip(table.raw("region_code"), table.raw("population"), strict=True))
    assert rows == {"00": 10_587_710, "01": 2_473_307, "0180": 995_574}


def test_scb_link_must_be_set_and_point_to_an_allowed_host(https: str, data_dir: Path, client) -> None:  # type: ignore[no-untyped-def]
    scb = load_contract(SOURCES_DIR / "scb_population")
    with pytest.raises(ConnectorError) as missing:
        _fetch(scb, data_dir, client, env={})
    assert missing.value.rule == "no_url" and "VC_SCB_POPULATION_URL" in str(missing.value)
    with pytest.raises(ConnectorError) as elsewhere:
        _fetch(
            scb, data_dir, client, env={"VC_SCB_POPULATION_URL": f"{https}/contentassets/0a1b2c/be0101_tabhel2024.xlsx"}
        )
    assert elsewhere.value.rule == "host_not_allowed"
