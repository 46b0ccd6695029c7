"""Delivery by e-mail against a real SMTP server started here on 127.0.0.1 (aiosmtpd's Controller): the published
workbook arrives attached, byte for byte, with its revision note in the readers' language; an unchanged rerun
sends nothing; a refused send is recorded, never unpublishes, and goes out with the next run; login and STARTTLS
work, and the password is in no record, log or manifest."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import logging
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from reports.delivery import (
    DeliveryConfigError,
    MailSettings,
    Outbox,
    latest_published,
    queue_late_sources,
    queue_report,
    queue_run_failure,
    report_languages,
)
from reports.publish import publish_report
from tests.unit.test_connectors import make_cert
from tests.unit.workbook_fixture import report_data

PASSWORD = "s3cret-Pa55word"


class Inbox:
    """An SMTP handler that keeps what it receives, and refuses recipients while `refuse` is set."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _settings(port: int, **kwargs: object) -> MailSettings:
    return MailSettings(**{"host": "127.0.0.1", "port": port, "tls": "none", "sender": "rapport@example.org", **kwargs})


def _publish(root: Path, language: str = "sv", value: float | None = None):  # type: ignore[no-untyped-def]
    data = report_data()
    if value is not None:
        data.summary[0]["value"] = value
    return data, publish_report(data, root / "reports", language, dt.date(2026, 10, 3))


def _queue(root: Path, outbox: Outbox, language: str, to: list[str]) -> bool:
    data = report_data()
    workbook, manifest = latest_published(root / "reports", "2025Q2", language)
    return queue_report(outbox, workbook, manifest, to, {str(r["indicator_id"]): r for r in data.method})


def test_the_published_workbook_arrives_attached_byte_for_byte(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    _, published = _publish(tmp_path)
    outbox = Outbox(tmp_path)
    assert _queue(tmp_path, outbox, "sv", ["utvarderare@example.org", "styrgrupp@example.org"])
    report = outbox.flush(_settings(port))
    assert report.failed == [] and len(report.sent) == 1
    [message] = inbox.messages
    [(sender, recipients)] = inbox.envelopes
    assert sender == "rapport@example.org" and sorted(recipients) == [
        "styrgrupp@example.org",
        "utvarderare@example.org",
    ]
    assert (
        message["Subject"]
        == "[DEMODATA] Viable Cities – Klimatneutrala städer 2030: kvartalsrapport 2025Q2, revision r1"
    )
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Revisionsnot: första publiceringen" in body and "DEMODATA:" in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == published.file_name
    assert attachment.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert attachment.get_content() == published.path.read_bytes()  # byte-identical to the published workbook


def test_an_unchanged_rerun_sends_nothing_and_a_new_revision_is_sent(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    outbox = Outbox(tmp_path)
    readers = ["utvarderare@example.org"]
    _publish(tmp_path)
    _queue(tmp_path, outbox, "sv", readers)
    outbox.flush(_settings(port))
    _, again = _publish(tmp_path)  # the same inputs: unchanged, nothing new published
    assert again.status == "unchanged"
    assert not _queue(tmp_path, outbox, "sv", readers)
    assert outbox.flush(_settings(port)).sent == []
    assert len(inbox.messages) == 1
    _, revised = _publish(tmp_path, value=44.0)
    assert revised.revision == 2
    assert _queue(tmp_path, outbox, "sv", readers)
    outbox.flush(_settings(port))
    assert len(inbox.messages) == 2
    body = inbox.messages[-1].get_body(preferencelist=("plain",)).get_content()
    assert "Reviderade värden: Kommuner med Klimatkontrakt 2030: 43 (2025Q2) → 44 (2025Q2)" in body


def test_a_refused_send_is_recorded_never_unpublishes_and_goes_out_with_the_next_run(
    tmp_path: Path, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _, published = _publish(tmp_path)
    outbox = Outbox(tmp_path)
    _queue(tmp_path, outbox, "sv", ["utvarderare@example.org"])
    inbox.refuse = True
    first = outbox.flush(_settings(port))
    assert first.sent == [] and len(first.failed) == 1 and "550" in first.failed[0]
    [record] = outbox.records()
    assert record["status"] == "pending" and record["attempts"] == 1 and "mailbox unavailable" in record["last_error"]
    assert published.path.exists()  # still published
    assert inbox.messages == []
    # the next run: the workbook is unchanged, nothing new is queued, and the pending message is sent
    inbox.refuse = False
    _publish(tmp_path)
    assert not _queue(tmp_path, outbox, "sv", ["utvarderare@example.org"])
    second = outbox.flush(_settings(port))
    assert len(second.sent) == 1 and len(inbox.messages) == 1
    [record] = outbox.records()
    assert record["status"] == "sent" and record["attempts"] == 2 and record["last_error"] is None
    [attachment] = list(inbox.messages[0].iter_attachments())
    assert attachment.get_content() == published.path.read_bytes()


def test_a_server_that_is_down_leaves_the_message_pending(tmp_path: Path) -> None:
    _publish(tmp_path)
    outbox = Outbox(tmp_path)
    _queue(tmp_path, outbox, "sv", ["utvarderare@example.org"])
    report = outbox.flush(_settings(_free_port()))  # nothing listens there
    assert len(report.failed) == 1 and "ConnectionRefusedError" in report.failed[0]
    assert outbox.pending()


def test_english_readers_get_the_english_workbook_and_note(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    env = {"VC_REPORT_RECIPIENTS": "a@example.org", "VC_REPORT_RECIPIENTS_EN": "b@example.org, c@example.org"}
    assert report_languages("sv", env) == ["sv", "en"]
    assert report_languages("sv", {}) == ["sv"]
    _, english = _publish(tmp_path, "en")
    outbox = Outbox(tmp_path)
    _queue(tmp_path, outbox, "en", ["b@example.org", "c@example.org"])
    outbox.flush(_settings(port))
    [message] = inbox.messages
    assert message["Subject"].endswith("quarterly report 2025Q2, revision r1")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Revision note: first publication" in body and "here is Viable Cities' quarterly report" in body
    assert next(iter(message.iter_attachments())).get_filename() == english.file_name


def test_login_over_starttls_and_no_password_in_any_record_or_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    (tmp_path / "tls").mkdir()
    crt, key = make_cert(tmp_path / "tls")
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(str(crt), str(key))

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=server_tls, require_starttls=True,
        authenticator=authenticator, auth_required=True,
    )  # fmt: skip
    controller.start()
    try:
        _publish(tmp_path)
        outbox = Outbox(tmp_path)
        _queue(tmp_path, outbox, "sv", ["utvarderare@example.org"])
        wrong = _settings(port, tls="starttls", user="rapport", password="not-" + PASSWORD, ca_file=str(crt))
        failed = outbox.flush(wrong)
        assert len(failed.failed) == 1 and "SMTPAuthenticationError" in failed.failed[0]
        right = _settings(port, tls="starttls", user="rapport", password=PASSWORD, ca_file=str(crt))
        assert PASSWORD not in repr(right)
        assert len(outbox.flush(right).sent) == 1 and len(inbox.messages) == 1
    finally:
        controller.stop()
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".xlsx", ".log"):
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in caplog.text


def test_late_and_missing_deliveries_go_to_operations_once(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    data = report_data()
    outbox = Outbox(tmp_path)
    assert queue_late_sources(outbox, data.freshness, data.source_texts, ["drift@example.org"]) == 1  # SMHI missing
    outbox.flush(_settings(port))
    assert queue_late_sources(outbox, data.freshness, data.source_texts, ["drift@example.org"]) == 0  # told once
    [message] = inbox.messages
    assert message["Subject"] == "Viable Cities warehouse: no delivery of smhi_emissions"


def test_settings_come_from_the_environment_and_say_what_is_wrong() -> None:
    assert MailSettings.from_env({}) is None  # no host: mail is off
    settings = MailSettings.from_env(
        {"VC_SMTP_HOST": "smtp.example.org", "VC_SMTP_TLS": "ssl", "VC_MAIL_FROM": "a@example.org"}
    )
    assert (settings.port, settings.tls) == (465, "ssl")
    with pytest.raises(DeliveryConfigError, match="VC_SMTP_TLS must be one of none, starttls, ssl"):
        MailSettings.from_env({"VC_SMTP_HOST": "h", "VC_SMTP_TLS": "tls", "VC_MAIL_FROM": "a@example.org"})
    with pytest.raises(DeliveryConfigError, match="VC_MAIL_FROM"):
        MailSettings.from_env({"VC_SMTP_HOST": "h"})


def test_an_outbox_record_is_readable_json_without_secrets(tmp_path: Path) -> None:
    _publish(tmp_path)
    outbox = Outbox(tmp_path)
    _queue(tmp_path, outbox, "sv", ["utvarderare@example.org"])
    [path] = list((tmp_path / "delivery" / "outbox").glob("*.json"))
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["attachment"]["path"] == "reports/2025Q2/vc-indicators-2025Q2-sv-r1.xlsx"  # inside the data dir
    assert set(record) >= {"to", "subject", "body", "status", "attempts", "last_error", "queued_at"}


def test_a_failed_run_goes_to_operations_once(tmp_path: Path, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    outbox = Outbox(tmp_path)
    assert queue_run_failure(
        outbox, "0123456789abcdef", "quarterly_pipeline", "dbt build failed", ["drift@example.org"]
    )
    assert not queue_run_failure(outbox, "0123456789abcdef", "quarterly_pipeline", "again", ["drift@example.org"])
    outbox.flush(_settings(port))
    [message] = inbox.messages
    assert message["Subject"] == "Viable Cities warehouse: run 01234567 of quarterly_pipeline failed"
    assert "dbt build failed" in message.get_body(preferencelist=("plain",)).get_content()
