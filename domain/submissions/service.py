"""The submission service: a file uploaded by a territory is received, checked, archived and
deposited in the inbox: token, size, table, territory, report with the questionnaire version
of its millésime, deposit.

Plain functions with no Dash and no Dagster in them: the upload page
(``dashboards/pages/depot.py``) only wires them to its upload component, and the rules are
tested without a browser.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from domain.questionnaire import Questionnaires, load_questionnaires
from domain.settings import env_path
from domain.submissions.archive import already_received_message, archive_bytes, first_received_at
from domain.submissions.inbox import deposit_submission
from domain.submissions.incidents import incident_message, record_incident
from domain.submissions.report import ValidationIssue
from domain.submissions.tokens import territory_of_token
from domain.submissions.validation import validate_submission
from schemas.vocabulary import ACCEPTED, ERROR, REFUSED, REJECTED

__all__ = [
    "UploadOutcome",
    "decode_upload",
    "incident_message",
    "max_request_bytes",
    "max_upload_bytes",
    "receive_upload",
    "record_incident",
]

#: Largest file accepted by the upload page, in bytes (env ``OBSERVATOIRE_MAX_UPLOAD_BYTES``).
DEFAULT_MAX_UPLOAD_BYTES = 10_000_000


#: Room for what an upload's request carries around the file: the token, the file name,
#: the data URL's prefix and the JSON of the callback.
REQUEST_ENVELOPE_BYTES = 100_000


def max_upload_bytes() -> int:
    return int(os.environ.get("OBSERVATOIRE_MAX_UPLOAD_BYTES") or DEFAULT_MAX_UPLOAD_BYTES)


def max_request_bytes() -> int:
    """Largest request body the dashboard's server reads: the largest file, in base64 (as the
    upload component sends it), and the request's envelope. Larger bodies are refused from
    their declared length, before being read."""
    return -(-max_upload_bytes() // 3) * 4 + REQUEST_ENVELOPE_BYTES


@dataclass(frozen=True)
class UploadOutcome:
    """What the territory sees after an upload."""

    #: "acceptée", "rejetée" (deposited in quarantine with its report) or REFUSED (not kept).
    status: str
    message: str
    issues: list[ValidationIssue] = field(default_factory=list)
    territory: str | None = None
    #: When the same bytes were first received (UTC, naive), if they were sent before.
    already_received: datetime | None = None


def decode_upload(contents: str) -> bytes:
    """Bytes of a ``dcc.Upload`` value (``data:<type>;base64,<data>``)."""
    _, _, encoded = contents.partition(",")
    return base64.b64decode(encoded, validate=True)


def receive_upload(
    token: str | None,
    file_name: str | None,
    contents: str | None,
    territories: pd.DataFrame,
    questionnaires: Questionnaires | None = None,
) -> UploadOutcome:
    """Check and deposit a file uploaded with a territory's token.

    The token must be valid and the file must hold answers for the token's territory only.
    A readable file is deposited (accepted, or rejected and kept in quarantine with its
    report); a refused file (bad token, too big, not a table, another territory) is not
    deposited, but an unreadable one received with a valid token is archived as received.
    Bytes already received are said so, with the date of their first receipt. The file is
    validated with the questionnaire version of the millésime it declares, as the pipeline
    will (``questionnaires`` defaults to the versions of data/questionnaire). An internal
    error is logged with a reference shown to the user.
    """
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return UploadOutcome(
            REFUSED,
            "Jeton de dépôt inconnu ou révoqué. Vérifiez-le ou demandez-en un nouveau à "
            "l'équipe de l'observatoire.",
        )
    if not contents:
        return UploadOutcome(
            REFUSED,
            "Aucun fichier reçu : choisissez un fichier (CSV ou Excel .xlsx de "
            f"{max_upload_bytes() / 1e6:.0f} Mo au plus ; un fichier plus gros n'est pas "
            "retenu par le formulaire).",
            territory=territory,
        )
    try:
        content = decode_upload(contents)
    except (binascii.Error, ValueError):
        return UploadOutcome(
            REFUSED, "Le fichier n'a pas pu être transmis : réessayez.", territory=territory
        )
    limit = max_upload_bytes()
    if len(content) > limit:
        return UploadOutcome(
            REFUSED,
            f"Fichier trop volumineux ({len(content) / 1e6:.1f} Mo) : la limite est de "
            f"{limit / 1e6:.0f} Mo. Un questionnaire tient en quelques kilo-octets : "
            "vérifiez qu'il s'agit du bon fichier.".replace(".", ",", 1),
            territory=territory,
        )
    name = Path(file_name or "fichier").name
    archive = env_path("OBSERVATOIRE_ARCHIVE")
    submitter = f"jeton {territory}"
    try:
        earlier = first_received_at(content, archive)
        questionnaires = questionnaires or load_questionnaires()
        result = validate_submission(content, territories[["code", "kind"]], questionnaires)
    except Exception as error:  # noqa: BLE001 - an input error is a report, never an exception
        reference = record_incident(error, f"dépôt de {name!r} pour {territory}")
        with contextlib.suppress(OSError):
            archive_bytes(content, name, archive, submitter)  # kept for the investigation
        return UploadOutcome(REFUSED, incident_message(reference), territory=territory)
    if not result.readable:
        archive_bytes(content, name, archive, submitter)  # kept as received, never deposited
        return UploadOutcome(REFUSED, result.issues[0].message, result.issues, territory)
    others = sorted({t for t, _ in result.declared} - {territory})
    if others:
        return UploadOutcome(
            REFUSED,
            f"Ce fichier contient des réponses pour {', '.join(others)} : avec le jeton de "
            f"{territory}, vous ne pouvez déposer que pour {territory}.",
            territory=territory,
        )
    deposit_submission(content, name, submitter, env_path("OBSERVATOIRE_INCOMING"), archive)
    if earlier is not None:
        return UploadOutcome(
            ACCEPTED if result.accepted else REJECTED,
            already_received_message(earlier),
            result.issues,
            territory,
            already_received=earlier,
        )
    if result.accepted:
        warnings = sum(1 for issue in result.issues if issue.severity != ERROR)
        return UploadOutcome(
            ACCEPTED,
            f"Fichier accepté ({len(result.answers)} réponses"
            + (f", {warnings} avertissement(s)" if warnings else "")
            + "). Il sera pris en compte à la prochaine actualisation des scores.",
            result.issues,
            territory,
        )
    errors = sum(1 for issue in result.issues if issue.severity == ERROR)
    return UploadOutcome(
        REJECTED,
        f"Fichier rejeté : {errors} erreur(s) à corriger (détail ci-dessous). Il est conservé ; "
        "déposez la version corrigée, elle le remplacera.",
        result.issues,
        territory,
    )
