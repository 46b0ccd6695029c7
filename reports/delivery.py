"""E-mail the published workbooks to their readers and tell operations of failures and late deliveries.

Configuration from the environment (none of it is ever written to a log, a record or a manifest but the
addresses):

    VC_SMTP_HOST, VC_SMTP_PORT           the mail server (no host: no mail is sent, nothing is queued)
    VC_SMTP_TLS                          none, starttls or ssl (default starttls)
    VC_SMTP_USER, VC_SMTP_PASSWORD       login, when the server wants one
    VC_MAIL_FROM                         the sender
    VC_REPORT_RECIPIENTS                 who receives the Swedish workbook (comma-separated)
    VC_REPORT_RECIPIENTS_EN              who receives the English one (the English workbook is built when set)
    VC_OPERATIONS_RECIPIENTS             who hears of failed runs and late or missing deliveries
    VC_SMTP_CA_FILE                      a CA bundle to verify the server with (default: the system's)

Every message goes through an outbox in the data directory (`delivery/outbox/<key>.json`): it is queued once
per key (a published revision and its list of readers; a late delivery; a failed run), sent, and marked sent.
An unchanged rerun queues nothing new, so it sends nothing. A send that fails stays pending with its error and
is tried again by the next run; publishing never depends on it. A pending report superseded by a newer
revision of the same quarter and language is not sent (the newer one is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from reports.labels import label, revision_note_text, source_text

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TLS_MODES = ("none", "starttls", "ssl")
TIMEOUT_S = 30


class DeliveryConfigError(ValueError):
    """The delivery settings cannot work (a bad TLS mode or port, no sender)."""


def addresses(value: str | None) -> list[str]:
    return sorted({a.strip() for a in (value or "").split(",") if a.strip()})


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    tls: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a repr, a log or a record
    ca_file: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailSettings | None:
        env = os.environ if env is None else env
        host = env.get("VC_SMTP_HOST", "").strip()
        if not host:
            return None
        tls = env.get("VC_SMTP_TLS", "starttls").strip().lower() or "starttls"
        if tls not in TLS_MODES:
            raise DeliveryConfigError(f"VC_SMTP_TLS must be one of {', '.join(TLS_MODES)}, not {tls!r}")
        default_port = {"none": 25, "starttls": 587, "ssl": 465}[tls]
        try:
            port = int(env.get("VC_SMTP_PORT", "").strip() or default_port)
        except ValueError:
            raise DeliveryConfigError(f"VC_SMTP_PORT must be a port number, not {env.get('VC_SMTP_PORT')!r}") from None
        sender = env.get("VC_MAIL_FROM", "").strip()
        if not sender:
            raise DeliveryConfigError("VC_MAIL_FROM is not set: every message needs a sender")
        return cls(
            host,
            port,
            tls,
            sender,
            env.get("VC_SMTP_USER") or None,
            env.get("VC_SMTP_PASSWORD") or None,
            env.get("VC_SMTP_CA_FILE") or None,
        )


def report_recipients(language: str, env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    return addresses(env.get("VC_REPORT_RECIPIENTS_EN" if language == "en" else "VC_REPORT_RECIPIENTS"))


def operations_recipients(env: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if env is None else env
    return addresses(env.get("VC_OPERATIONS_RECIPIENTS"))


def report_languages(primary: str, env: Mapping[str, str] | None = None) -> list[str]:
    """The languages to publish: the configured one, and each one readers are listed for."""
    wanted = {primary} | {lang for lang in ("sv", "en") if report_recipients(lang, env)}
    return sorted(wanted, key=lambda lang: (lang != primary, lang))


# ---------- the outbox


class Outbox:
    """Messages waiting to be sent or sent, one JSON record each, in `<data dir>/delivery/outbox/`."""

    def __init__(self, data_root: Path) -> None:
        self.root = data_root
        self.folder = data_root / "delivery" / "outbox"

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.json"

    def get(self, key: str) -> dict[str, object] | None:
        path = self._path(key)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def records(self) -> list[dict[str, object]]:
        if not self.folder.is_dir():
            return []
        found = [json.loads(p.read_text(encoding="utf-8")) for p in self.folder.glob("*.json")]
        return sorted(found, key=lambda r: (str(r["queued_at"]), str(r["key"])))

    def _write(self, record: dict[str, object]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(str(record["key"]))
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)

    def queue(
        self,
        key: str,
        kind: str,
        to: Sequence[str],
        subject: str,
        body: str,
        *,
        attachment: Path | None = None,
        group: str | None = None,
        now: dt.datetime | None = None,
    ) -> bool:
        """Queue a message once per key; returns whether it is new. `group` names what a newer message
        supersedes (a quarter and language's workbook)."""
        if self.get(key) is not None:
            return False
        record: dict[str, object] = {
            "key": key,
            "kind": kind,
            "group": group,
            "to": list(to),
            "subject": subject,
            "body": body,
            "attachment": None,
            "status": "pending",
            "attempts": 0,
            "last_error": None,
            "queued_at": (now or _now()).isoformat(),
            "sent_at": None,
        }
        if attachment is not None:
            record["attachment"] = {
                "path": str(attachment.resolve().relative_to(self.root.resolve())),
                "file_name": attachment.name,
                "sha256": hashlib.sha256(attachment.read_bytes()).hexdigest(),
            }
        if group is not None:
            for other in self.records():
                if other.get("group") == group and other["status"] == "pending":
                    other["status"] = "superseded"
                    self._write(other)
        self._write(record)
        return True

    def pending(self) -> list[dict[str, object]]:
        return [r for r in self.records() if r["status"] == "pending"]

    def flush(self, settings: MailSettings, now: dt.datetime | None = None) -> DeliveryReport:
        """Send every pending message; a failure is recorded and left pending for the next run."""
        report = DeliveryReport()
        for record in self.pending():
            record["attempts"] = int(record["attempts"]) + 1
            try:
                send(settings, self._message(settings, record))
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                record["last_error"] = _scrub(f"{type(exc).__name__}: {exc}", settings)
                report.failed.append(f"{record['subject']}: {record['last_error']}")
            else:
                record["status"] = "sent"
                record["sent_at"] = (now or _now()).isoformat()
                record["last_error"] = None
                report.sent.append(str(record["subject"]))
            self._write(record)
        return report

    def _message(self, settings: MailSettings, record: dict[str, object]) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = str(record["subject"])
        message["From"] = settings.sender
        message["To"] = ", ".join(record["to"])  # type: ignore[arg-type]
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1] or None)
        message.set_content(str(record["body"]))
        attachment = record.get("attachment")
        if attachment:
            path = self.root / str(attachment["path"])  # type: ignore[index]
            content = path.read_bytes()
            if hashlib.sha256(content).hexdigest() != attachment["sha256"]:  # type: ignore[index]
                raise ValueError(f"{path.name} changed since it was published: not sent")
            message.add_attachment(content, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=path.name)
        return message


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def send(settings: MailSettings, message: EmailMessage) -> None:
    context = ssl.create_default_context(cafile=settings.ca_file)
    if settings.tls == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    with smtp:
        if settings.tls == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)


def _scrub(text: str, settings: MailSettings) -> str:
    """An error as recorded: the password never, even where a server echoes it back."""
    return text.replace(settings.password, "***") if settings.password else text


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# ---------- the messages


def queue_report(
    outbox: Outbox,
    workbook: Path,
    manifest: Mapping[str, object],
    to: Sequence[str],
    indicators: Mapping[str, Mapping[str, object]],
    texts: Mapping[str, Mapping[str, object]] | None = None,
) -> bool:
    """The published workbook, attached, to its readers, with its revision note in their language."""
    language = str(manifest["language"])
    L = lambda key: label(key, language)  # noqa: E731
    note = {"note": manifest.get("revision_note"), "changes": manifest.get("revision_changes")}
    quarter, revision = manifest["quarter"], manifest["revision"]
    subject = f"{L('programme')}: {L('report_title_short').lower()} {quarter}, {L('revision').lower()} r{revision}"
    if manifest.get("is_demo_data"):
        subject = f"[{L('demo_footer').split(' –')[0]}] {subject}"
    lines = [
        L("mail_greeting"),
        "",
        L("mail_report").format(quarter=quarter, revision=revision, published=manifest["published_on"]),
        "",
        f"{L('revision_note')}: {revision_note_text(note, language, indicators, texts)}",
    ]
    if manifest.get("is_demo_data"):
        lines += ["", L("demo_notice")]
    lines += ["", L("mail_attachment").format(file=workbook.name, sha256=manifest["workbook_sha256"])]
    key = f"report:{workbook.name}:{manifest['workbook_sha256']}:{','.join(sorted(to))}"
    return outbox.queue(
        key, "report", to, subject, "\n".join(lines) + "\n", attachment=workbook, group=f"{quarter}:{language}"
    )


def queue_late_sources(
    outbox: Outbox,
    freshness: Sequence[Mapping[str, object]],
    texts: Mapping[str, Mapping[str, object]],
    to: Sequence[str],
) -> int:
    """One message per late or missing delivery (per source and the delivery it waits after): operations hears
    of it once, not at every run. Returns how many were queued."""
    queued = 0
    for f in freshness:
        status = str(f["freshness_status"])
        if status == "on_time":
            continue
        source = str(f["source_name"])
        latest = f.get("latest_delivery_at")
        due = f.get("next_due_on")
        title = source_text(texts, source, "title", "en")
        if status == "missing":
            subject = f"Viable Cities warehouse: no delivery of {source}"
            body = f"{title} ({source}) has no accepted delivery in the data directory.\n"
        else:
            subject = f"Viable Cities warehouse: delivery of {source} is late"
            body = (
                f"{title} ({source}): the newest accepted delivery is of {_when(latest)}; the next one was due by "
                f"{_when(due)} (the contract's cadence: {texts.get(source, {}).get('cadence', '?')}).\n"
            )
        body += "Drop the file in landing/<source>/ of the data directory, or fetch it with its connector.\n"
        queued += outbox.queue(f"late:{source}:{status}:{_when(latest)}", "operations", to, subject, body)
    return queued


def queue_run_failure(outbox: Outbox, run_id: str, job: str, error: str, to: Sequence[str]) -> bool:
    subject = f"Viable Cities warehouse: run {run_id[:8]} of {job} failed"
    body = f"The run {run_id} of {job} failed; nothing new was published.\n\n{error.strip()}\n"
    return outbox.queue(f"run-failure:{run_id}", "operations", to, subject, body)


def mail_run_failure(root: Path, run_id: str, job: str, error: str) -> list[str] | None:
    """Tell operations that a run failed (once per run), from whichever process saw it fail: `make run` itself,
    or the daemon's run-failure sensor. None when no mail is configured; else the messages left pending."""
    mail, readers = MailSettings.from_env(), operations_recipients()
    if mail is None or not readers:
        return None
    outbox = Outbox(root)
    queue_run_failure(outbox, run_id, job, error, readers)
    return outbox.flush(mail).failed


def _when(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value) if value is not None else "never"


def latest_published(reports_root: Path, quarter: str, language: str) -> tuple[Path, dict[str, object]] | None:
    """The newest published revision of a quarter's workbook in a language, with its manifest."""
    folder = reports_root / quarter
    best: tuple[int, Path] | None = None
    for manifest_path in folder.glob(f"vc-indicators-{quarter}-{language}-r*.xlsx.manifest.json"):
        workbook = manifest_path.with_name(manifest_path.name.removesuffix(".manifest.json"))
        if not workbook.exists():
            continue
        revision = int(json.loads(manifest_path.read_text(encoding="utf-8"))["revision"])
        if best is None or revision > best[0]:
            best = (revision, workbook)
    if best is None:
        return None
    manifest = json.loads(best[1].with_name(best[1].name + ".manifest.json").read_text(encoding="utf-8"))
    return best[1], manifest
