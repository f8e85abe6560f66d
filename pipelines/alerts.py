"""Alerts for ops: recorded in a file, and posted to a webhook or sent by e-mail when set up.

Configuration by environment variables (none is needed for the demo):

- ``OBSERVATOIRE_ALERTS``: JSON-lines file where every alert is appended (``var/alerts.jsonl``);
- ``OBSERVATOIRE_ALERT_WEBHOOK``: URL receiving each alert as a JSON POST;
- ``OBSERVATOIRE_SMTP_HOST`` (``OBSERVATOIRE_SMTP_PORT``, default 25), ``OBSERVATOIRE_ALERT_FROM``
  and ``OBSERVATOIRE_ALERT_TO`` (comma-separated): e-mail delivery.
"""

from __future__ import annotations

import json
import os
import smtplib
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

from domain.settings import env_path


@dataclass(frozen=True)
class Alert:
    """Something ops must look at today."""

    raised_at: str
    source: str
    run_id: str | None
    message: str


def new_alert(source: str, message: str, run_id: str | None = None) -> Alert:
    return Alert(datetime.now(UTC).isoformat(timespec="seconds"), source, run_id, message)


def record_alert(alert: Alert, path: Path | None = None) -> Path:
    """Append the alert to the alerts file; returns its path."""
    path = path or env_path("OBSERVATOIRE_ALERTS")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(alert), ensure_ascii=False) + "\n")
    return path


def read_alerts(path: Path | None = None, limit: int = 20) -> list[Alert]:
    """The latest alerts, newest last."""
    path = path or env_path("OBSERVATOIRE_ALERTS")
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    return [Alert(**json.loads(line)) for line in lines if line.strip()]


def post_webhook(alert: Alert, url: str, timeout: float = 10) -> int:
    """POST the alert as JSON; returns the HTTP status."""
    request = urllib.request.Request(
        url,
        data=json.dumps(
            {"text": format_alert(alert), **asdict(alert)}, ensure_ascii=False
        ).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


def send_email(alert: Alert, host: str, port: int, sender: str, recipients: list[str]) -> None:
    message = EmailMessage()
    message["Subject"] = f"[Observatoire] {alert.source} : alerte"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message.set_content(format_alert(alert))
    with smtplib.SMTP(host, port, timeout=10) as smtp:
        smtp.send_message(message)


def format_alert(alert: Alert) -> str:
    run = f" (exécution {alert.run_id})" if alert.run_id else ""
    return f"{alert.raised_at} — {alert.source}{run} : {alert.message}"


def deliver_alert(alert: Alert) -> list[str]:
    """Record the alert and deliver it by every configured channel; returns what was done.

    A channel that fails is reported in the alerts file rather than raised: an alert about
    an alert must not hide the first one.
    """
    done = [f"enregistrée dans {record_alert(alert)}"]
    webhook = os.environ.get("OBSERVATOIRE_ALERT_WEBHOOK")
    if webhook:
        try:
            done.append(f"webhook : HTTP {post_webhook(alert, webhook)}")
        except OSError as error:
            record_alert(new_alert("alertes", f"Webhook injoignable ({error})", alert.run_id))
            done.append("webhook : échec")
    host = os.environ.get("OBSERVATOIRE_SMTP_HOST")
    recipients = [
        r.strip() for r in os.environ.get("OBSERVATOIRE_ALERT_TO", "").split(",") if r.strip()
    ]
    if host and recipients:
        try:
            send_email(
                alert,
                host,
                int(os.environ.get("OBSERVATOIRE_SMTP_PORT") or 25),
                os.environ.get("OBSERVATOIRE_ALERT_FROM") or "observatoire@localhost",
                recipients,
            )
            done.append(f"courriel : {len(recipients)} destinataire(s)")
        except (OSError, smtplib.SMTPException) as error:
            record_alert(
                new_alert("alertes", f"Envoi du courriel impossible ({error})", alert.run_id)
            )
            done.append("courriel : échec")
    return done
