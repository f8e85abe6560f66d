"""The contribution service: what pages and the command line call to propose a sheet,
support or comment a published one, and review sheets and comments.

Every token is checked here, never by the caller: a territory's upload token writes only as
its own territory (a sheet of another territory is refused, a support or a comment is always
recorded for the token's territory), an analyst's token alone decides. The bytes of every
sheet, from a file or from the form, are archived first (byte for byte, under their
SHA-256), then read and recorded in the contributions store
(:mod:`domain.achievements.ledger`) as a new version or as a rejection with its French
report. Plain functions, no Dash and no Dagster: the pages only wire them.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from domain.achievements.ledger import (
    LedgerError,
    current_comments,
    current_sheets,
    ledger_frames,
    public_sheet,
    record_comment,
    record_comment_review,
    record_feedback,
    record_rejected_sheet,
    record_review,
    record_sheet_version,
    sheet_frames,
)
from domain.achievements.references import SheetReferences
from domain.achievements.references import sheet_references as published_sheet_references
from domain.achievements.sheet import read_sheet, render_sheet_markdown, sheet_from_form
from domain.settings import env_path
from domain.submissions.archive import archive_bytes, archive_file, in_paris_time
from domain.submissions.dialects import MAX_FILE_BYTES
from domain.submissions.inbox import read_sidecar, remove_from_inbox, waiting_files
from domain.submissions.incidents import incident_message, record_incident
from domain.submissions.report import INTERNAL_ERROR_RULE, ValidationIssue
from domain.submissions.service import max_upload_bytes
from domain.submissions.tokens import analyst_of_token, territory_of_token
from schemas.vocabulary import (
    COMMENT_DECISIONS,
    COMMENT_PROPOSED,
    COMMENT_PUBLISHED,
    ERROR,
    FEEDBACK_KINDS,
    REFUSED,
    REJECTED,
    SHEET_DECISIONS,
    SHEET_PROPOSED,
    SHEET_PUBLISHED,
    SHEET_RETURNED,
    SHEET_WITHDRAWN,
    SUPPORT,
)

#: Statuses of an outcome besides the sheet's "proposée", "rejetée" and "refusée": a
#: support, comment or decision written, or already there (nothing written again).
RECORDED = "enregistré"
ALREADY_RECORDED = "déjà enregistré"

#: How a sheet reached the store.
CHANNEL_UPLOAD = "dépôt"
CHANNEL_FORM = "formulaire"
CHANNEL_INBOX = "boîte de dépôt"
CHANNEL_COMMAND_LINE = "ligne de commande"
#: Author of what ops write from the command line without a token.
OPS_AUTHOR = "exploitation (ligne de commande)"

#: Subfolder of the inbox (``OBSERVATOIRE_INCOMING``) where sheet files wait.
SHEETS_INBOX = "realisations"

#: Longest comment accepted, in characters.
MAX_COMMENT_CHARS = 2000

_TOKEN_SUBMITTER = re.compile(r"jeton (\S+)")

__all__ = [
    "ALREADY_RECORDED",
    "RECORDED",
    "ContributionOutcome",
    "SheetReferences",
    "comment_sheet",
    "comments_overview",
    "decide_comment",
    "decide_sheet",
    "deposit_sheet",
    "propose_sheet_file",
    "receive_waiting_sheets",
    "review_comment",
    "review_queue",
    "review_sheet",
    "sheet_history",
    "sheet_references",
    "sheets_inbox",
    "sheets_overview",
    "submit_sheet_file",
    "submit_sheet_form",
    "support_sheet",
    "territory_sheets",
]


@dataclass(frozen=True)
class ContributionOutcome:
    """What the territory (or the analyst) sees after a contribution."""

    #: "proposée" (a sheet version recorded), "rejetée" (a sheet with errors, kept with its
    #: report), "refusée" (not written: token, rights, state), "enregistré" (a support, a
    #: comment or a decision written) or "déjà enregistré" (nothing new to write).
    status: str
    message: str
    issues: list[ValidationIssue] = field(default_factory=list)
    achievement_id: str | None = None
    version: int | None = None


# --- References, read cheaply -----------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _questionnaires(_files: tuple[tuple[str, int], ...], directory: str):
    from domain.questionnaire import load_questionnaires

    return load_questionnaires(Path(directory))


def sheet_references() -> SheetReferences:
    """What :func:`domain.achievements.references.sheet_references` gives (the territories
    of the published copy, else of the reference; the axes and questions of every
    questionnaire version), the questionnaire versions read again only when their files
    change."""
    directory = env_path("OBSERVATOIRE_QUESTIONNAIRES")
    files = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.yaml")))
    return published_sheet_references(_questionnaires(files, str(directory)))


# --- Sheets ------------------------------------------------------------------------------


def _file_issue(message: str, rule: str = "fichier", column: str | None = None) -> ValidationIssue:
    return ValidationIssue(None, column, None, None, ERROR, message, rule)


def _rejected(
    issues: list[ValidationIssue], sha256: str, name: str, territory: str | None, channel: str,
    author: str, received_at: datetime | None, store: Path, status: str, message: str,
) -> ContributionOutcome:  # fmt: skip
    record_rejected_sheet(store, sha256, name, territory, issues, channel, author, received_at)
    return ContributionOutcome(status, message, issues)


def propose_sheet_file(
    content: bytes,
    file_name: str,
    author: str,
    channel: str,
    *,
    territory: str | None = None,
    received_at: datetime | None = None,
    references: SheetReferences | None = None,
    archive_dir: Path | None = None,
    store: Path | None = None,
) -> ContributionOutcome:
    """Archive a sheet file's bytes, read them and record a new version of the sheet, or a
    rejection with its French report (the bytes stay archived either way).

    ``territory`` is the only territory ``author`` may write for (the token's): a sheet of
    another territory is refused (and the attempt recorded). No token is checked here:
    callers are :func:`submit_sheet_file` (a territory's token), the command line of ops and
    the inbox.
    """
    name = Path(file_name or "fiche").name
    archive_dir = archive_dir or env_path("OBSERVATOIRE_ARCHIVE")
    store = store or env_path("OBSERVATOIRE_CONTRIBUTIONS")
    archived = archive_bytes(content, name, archive_dir, author, received_at)
    rejected = functools.partial(
        _rejected, sha256=archived.sha256, name=name, territory=territory, channel=channel,
        author=author, received_at=archived.received_at, store=store,
    )  # fmt: skip
    try:
        refs = references or sheet_references()
        reading = read_sheet(content, name, refs.territories, refs.axes, refs.questions)
    except Exception as error:  # noqa: BLE001 - an input error is a report, never an exception
        reference = record_incident(error, f"fiche {name!r} ({channel}, {author})")
        message = incident_message(reference)
        return rejected(
            [_file_issue(message, INTERNAL_ERROR_RULE)], status=REFUSED, message=message
        )
    if not reading.accepted or reading.sheet is None:
        errors = sum(1 for issue in reading.issues if issue.severity == ERROR)
        return rejected(
            reading.issues,
            status=REJECTED,
            message=f"Fiche rejetée : {errors} erreur(s) à corriger (détail ci-dessous). Le "
            "fichier reçu est conservé ; déposez la version corrigée.",
        )
    sheet = reading.sheet
    if territory is not None and sheet["code_territoire"] != territory:
        message = (
            f"Cette fiche est celle de {sheet['code_territoire']} (champ « code_territoire ») : "
            f"avec le jeton de {territory}, vous ne pouvez proposer que les fiches de "
            f"{territory}."
        )
        return rejected(
            [_file_issue(message, column="code_territoire")], status=REFUSED, message=message
        )
    return _recorded_version(
        sheet, archived.sha256, name, channel, author, archived.received_at, store,
        reading.issues,
    )  # fmt: skip


def _recorded_version(
    sheet: Mapping[str, object], sha256: str, name: str, channel: str, author: str,
    received_at: datetime, store: Path, issues: list[ValidationIssue],
) -> ContributionOutcome:  # fmt: skip
    version = record_sheet_version(store, sheet, sha256, name, channel, author, received_at)
    if not version.created:
        return ContributionOutcome(
            ALREADY_RECORDED,
            f"Fiche déjà reçue à l'identique {in_paris_time(version.received_at)} (version "
            f"{version.version}) : rien de nouveau n'est enregistré.",
            issues,
            version.achievement_id,
            version.version,
        )
    return ContributionOutcome(
        SHEET_PROPOSED,
        f"Fiche reçue (version {version.version}) : elle sera publiée après relecture par "
        "l'équipe de l'observatoire"
        + (", et remplacera alors la version précédente." if version.version > 1 else "."),
        issues,
        version.achievement_id,
        version.version,
    )


def _territory_refused() -> ContributionOutcome:
    return ContributionOutcome(
        REFUSED,
        "Jeton de dépôt inconnu ou révoqué. Vérifiez-le ou demandez-en un nouveau à "
        "l'équipe de l'observatoire.",
    )


def submit_sheet_file(
    content: bytes,
    file_name: str,
    token: str,
    channel: str = CHANNEL_UPLOAD,
    *,
    references: SheetReferences | None = None,
) -> ContributionOutcome:
    """Propose a sheet file (CSV, xlsx or Markdown template) with a territory's token: the
    sheet must be the token's territory's. Bytes larger than an upload are refused unread."""
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return _territory_refused()
    limit = max_upload_bytes()
    if len(content) > limit:
        return ContributionOutcome(
            REFUSED,
            f"Fichier trop volumineux ({len(content) / 1e6:.1f} Mo) : la limite est de "
            f"{limit / 1e6:.0f} Mo. Une fiche tient en quelques kilo-octets.".replace(".", ",", 1),
        )
    return propose_sheet_file(
        content, file_name, f"jeton {territory}", channel, territory=territory,
        references=references,
    )  # fmt: skip


def submit_sheet_form(
    fields: Mapping[str, str],
    token: str,
    *,
    references: SheetReferences | None = None,
) -> ContributionOutcome:
    """Propose the sheet typed in the form with a territory's token: checked with the rules
    of a file, then written as its canonical Markdown file, archived and recorded. A form
    with errors is neither archived nor recorded (its text stays in the form)."""
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return _territory_refused()
    named = str(fields.get("code_territoire") or "").strip()
    if named and named != territory:
        return ContributionOutcome(
            REFUSED,
            f"Cette fiche est celle de {named} : avec le jeton de {territory}, vous ne pouvez "
            f"proposer que les fiches de {territory}.",
        )
    refs = references or sheet_references()
    reading = sheet_from_form(
        {**fields, "code_territoire": territory}, refs.territories, refs.axes, refs.questions
    )
    if not reading.accepted or reading.sheet is None:
        errors = sum(1 for issue in reading.issues if issue.severity == ERROR)
        return ContributionOutcome(
            REJECTED,
            f"Fiche non enregistrée : {errors} erreur(s) à corriger dans le formulaire "
            "(détail ci-dessous).",
            reading.issues,
        )
    content = render_sheet_markdown(reading.sheet).encode("utf-8")
    name = f"{territory}_{reading.sheet['identifiant']}.md"
    author = f"jeton {territory}"
    archived = archive_bytes(content, name, env_path("OBSERVATOIRE_ARCHIVE"), author)
    return _recorded_version(
        reading.sheet, archived.sha256, name, CHANNEL_FORM, author, archived.received_at,
        env_path("OBSERVATOIRE_CONTRIBUTIONS"), reading.issues,
    )  # fmt: skip


# --- The inbox ---------------------------------------------------------------------------


def sheets_inbox(incoming_dir: Path) -> Path:
    """The inbox's subfolder for sheet files (``<OBSERVATOIRE_INCOMING>/realisations``)."""
    return incoming_dir if incoming_dir.name == SHEETS_INBOX else incoming_dir / SHEETS_INBOX


def deposit_sheet(
    content: bytes, file_name: str, submitter: str, incoming_dir: Path, archive_dir: Path
):
    """Archive a sheet file and place it in the sheets' inbox with the house's JSON sidecar
    (``submitter`` is its author; ``"jeton <code>"`` limits it to that territory)."""
    from domain.submissions.inbox import deposit_submission

    return deposit_submission(
        content, file_name, submitter, sheets_inbox(incoming_dir), archive_dir
    )


#: Author of a sheet file copied by hand into the inbox (no sidecar): the observatory's
#: operators, as for survey files copied into ``var/incoming``.
HAND_COPIED_AUTHOR = "dossier d'arrivée (exploitation)"


def receive_waiting_sheets(
    incoming_dir: Path,
    archive_dir: Path,
    store: Path,
    *,
    references: SheetReferences | None = None,
) -> list[ContributionOutcome]:
    """Record every sheet file waiting in the inbox (``incoming_dir``, the inbox or its
    ``realisations/`` subfolder), oldest first, then remove it from the inbox.

    Each file is archived, then read and recorded as a version or a rejection. A file with
    no sidecar was copied by hand by whoever runs the observatory: it is recorded with that
    author, :data:`HAND_COPIED_AUTHOR` (like a survey file copied into the inbox), and like
    every proposal waits for an analyst's review. A file too large to be read is archived
    and recorded as rejected, never lost. A sidecar's submitter ``"jeton <code>"`` writes
    only for that territory.
    """
    outcomes = []
    refs = references
    for path in waiting_files(sheets_inbox(incoming_dir)):
        metadata = read_sidecar(path)
        name = metadata.get("file_name") or path.name
        received_at = metadata.get("received_at")
        author = (metadata.get("submitter") or "").strip() or HAND_COPIED_AUTHOR
        if path.stat().st_size > MAX_FILE_BYTES:
            archived = archive_file(path, archive_dir, author, name, received_at)
            message = (
                f"{name} : fichier trop volumineux pour être lu ({archived.size_bytes / 1e6:.1f}"
                " Mo) ; il est archivé, pas enregistré comme fiche."
            )
            outcome = _rejected(
                [_file_issue(message)], archived.sha256, name, None, CHANNEL_INBOX,
                author, archived.received_at, store, REJECTED, message,
            )  # fmt: skip
        else:
            refs = refs or sheet_references()
            token_territory = _TOKEN_SUBMITTER.fullmatch(author.strip())
            outcome = propose_sheet_file(
                path.read_bytes(), name, author, CHANNEL_INBOX,
                territory=token_territory.group(1) if token_territory else None,
                received_at=received_at, references=refs, archive_dir=archive_dir, store=store,
            )  # fmt: skip
        remove_from_inbox(path)
        outcomes.append(outcome)
    return outcomes


# --- Feedback ----------------------------------------------------------------------------


def _published_sheet(store: Path, achievement_id: str) -> dict[str, object] | None:
    """The public version of the sheet (:func:`~domain.achievements.ledger.public_sheet`),
    ``None`` when it has none: only such sheets take supports and comments."""
    return public_sheet(store, achievement_id)


def _not_published(achievement_id: str) -> ContributionOutcome:
    return ContributionOutcome(
        REFUSED,
        f"La fiche « {achievement_id} » n'est pas publiée : seules les fiches publiées "
        "reçoivent soutiens et commentaires.",
        achievement_id=achievement_id,
    )


def support_sheet(token: str, achievement_id: str, kind: str) -> ContributionOutcome:
    """Record, for the token's territory, that it supports (``"soutien"``) or adapts
    (``"adaptation"``) a published sheet of another territory; once per territory."""
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return _territory_refused()
    if kind not in FEEDBACK_KINDS:
        return ContributionOutcome(REFUSED, f"Retour inconnu : « {kind} ».")
    store = env_path("OBSERVATOIRE_CONTRIBUTIONS")
    sheet = _published_sheet(store, achievement_id)
    if sheet is None:
        return _not_published(achievement_id)
    if sheet["territory"] == territory:
        return ContributionOutcome(
            REFUSED,
            "Cette fiche est celle de votre territoire : seuls les autres territoires peuvent "
            "la soutenir ou dire qu'ils l'adaptent.",
            achievement_id=achievement_id,
        )
    what = "soutien" if kind == SUPPORT else "adaptation"
    try:
        written = record_feedback(store, achievement_id, territory, kind)
    except LedgerError as error:
        return ContributionOutcome(REFUSED, str(error), achievement_id=achievement_id)
    if not written:
        return ContributionOutcome(
            ALREADY_RECORDED,
            f"Déjà enregistré : {territory} a déjà signalé son {what} à cette réalisation.",
            achievement_id=achievement_id,
        )
    sentence = (
        f"Soutien de {territory} enregistré."
        if kind == SUPPORT
        else f"C'est noté : {territory} adapte cette réalisation."
    )
    return ContributionOutcome(
        RECORDED,
        f"{sentence} Le compteur de la fiche sera mis à jour à la prochaine publication.",
        achievement_id=achievement_id,
    )


def comment_sheet(token: str, achievement_id: str, text: str) -> ContributionOutcome:
    """Record a comment of the token's territory on a published sheet; it is shown once an
    analyst publishes it."""
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return _territory_refused()
    text = (text or "").strip()
    if not text:
        return ContributionOutcome(REFUSED, "Commentaire vide : écrivez votre commentaire.")
    if len(text) > MAX_COMMENT_CHARS:
        return ContributionOutcome(
            REFUSED,
            f"Commentaire trop long ({len(text)} caractères pour {MAX_COMMENT_CHARS} au plus) : "
            "raccourcissez-le.",
        )
    store = env_path("OBSERVATOIRE_CONTRIBUTIONS")
    if _published_sheet(store, achievement_id) is None:
        return _not_published(achievement_id)
    comment_id = record_comment(store, achievement_id, territory, text)
    return ContributionOutcome(
        RECORDED,
        f"Commentaire de {territory} enregistré ({comment_id}) : il sera visible après "
        "relecture par l'équipe de l'observatoire.",
        achievement_id=achievement_id,
    )


# --- Reviews -----------------------------------------------------------------------------


def _analyst_refused() -> ContributionOutcome:
    return ContributionOutcome(
        REFUSED,
        "Jeton d'analyste inconnu ou révoqué : seuls les analystes de l'observatoire décident "
        "de la publication.",
    )


DECISION_SENTENCES = {
    SHEET_PUBLISHED: "publiée : elle paraîtra sur les pages à la prochaine publication.",
    SHEET_RETURNED: "renvoyée à son territoire avec votre message.",
    SHEET_WITHDRAWN: "retirée : elle ne paraîtra plus sur les pages après la prochaine "
    "publication.",
}


def decide_sheet(
    achievement_id: str,
    decision: str,
    author: str,
    message: str = "",
    *,
    version: int | None = None,
) -> ContributionOutcome:
    """Record ``author``'s decision on the current version of a sheet (``version``, when
    given, must still be the current one). No token is checked here: callers are
    :func:`review_sheet` (an analyst's token) and the command line of ops."""
    if decision not in SHEET_DECISIONS:
        return ContributionOutcome(
            REFUSED,
            f"Décision inconnue : « {decision} » (possibles : {', '.join(SHEET_DECISIONS)}).",
        )
    message = (message or "").strip()
    if decision == SHEET_RETURNED and not message:
        return ContributionOutcome(
            REFUSED,
            "Pour renvoyer une fiche « à revoir », écrivez au territoire ce qu'il doit "
            "corriger ou compléter.",
            achievement_id=achievement_id,
        )
    store = env_path("OBSERVATOIRE_CONTRIBUTIONS")
    history = sheet_frames(store, achievement_id)
    sheets = current_sheets(history)
    if sheets.empty:
        return ContributionOutcome(REFUSED, f"Fiche inconnue : « {achievement_id} ».")
    current = sheets.iloc[0]
    if version is not None and int(version) != int(current["version"]):
        return ContributionOutcome(
            REFUSED,
            f"La fiche a changé : la version {current['version']} a été reçue depuis la "
            f"version {version} que vous avez relue. Relisez-la avant de décider.",
            achievement_id=achievement_id,
            version=int(current["version"]),
        )
    number = int(current["version"])
    if current["status"] == decision and current["decision_message"] == message:
        return ContributionOutcome(
            ALREADY_RECORDED,
            f"Décision déjà enregistrée : la fiche {achievement_id} (version {number}) est "
            f"déjà « {decision} ».",
            achievement_id=achievement_id,
            version=number,
        )
    record_review(store, achievement_id, number, decision, author, message)
    return ContributionOutcome(
        RECORDED,
        f"Fiche {achievement_id} (version {number}) {DECISION_SENTENCES[decision]}",
        achievement_id=achievement_id,
        version=number,
    )


def review_sheet(
    analyst_token: str,
    achievement_id: str,
    decision: str,
    message: str = "",
    *,
    version: int | None = None,
) -> ContributionOutcome:
    """An analyst publishes, returns (``"à revoir"``, with a message) or withdraws the
    current version of a sheet; recorded with the analyst's name and the time."""
    analyst = analyst_of_token(env_path("OBSERVATOIRE_TOKENS"), analyst_token or "")
    if analyst is None:
        return _analyst_refused()
    return decide_sheet(achievement_id, decision, analyst, message, version=version)


def decide_comment(comment_id: str, decision: str, author: str) -> ContributionOutcome:
    """Record ``author``'s decision on a comment: published or withdrawn (no token checked:
    callers are :func:`review_comment` and the command line of ops)."""
    if decision not in COMMENT_DECISIONS:
        return ContributionOutcome(
            REFUSED,
            f"Décision inconnue : « {decision} » (possibles : {', '.join(COMMENT_DECISIONS)}).",
        )
    store = env_path("OBSERVATOIRE_CONTRIBUTIONS")
    comments = current_comments(ledger_frames(store)).set_index("comment_id")
    if comment_id not in comments.index:
        return ContributionOutcome(REFUSED, f"Commentaire inconnu : « {comment_id} ».")
    comment = comments.loc[comment_id]
    if comment["status"] == decision:
        return ContributionOutcome(
            ALREADY_RECORDED,
            f"Décision déjà enregistrée : le commentaire {comment_id} est déjà « {decision} ».",
            achievement_id=comment["achievement_id"],
        )
    record_comment_review(store, comment_id, decision, author)
    sentence = (
        "publié : il paraîtra sous la fiche à la prochaine publication."
        if decision == COMMENT_PUBLISHED
        else "retiré."
    )
    return ContributionOutcome(
        RECORDED,
        f"Commentaire {comment_id} {sentence}",
        achievement_id=comment["achievement_id"],
    )


def review_comment(analyst_token: str, comment_id: str, decision: str) -> ContributionOutcome:
    """An analyst publishes or withdraws a comment; recorded with the analyst's name."""
    analyst = analyst_of_token(env_path("OBSERVATOIRE_TOKENS"), analyst_token or "")
    if analyst is None:
        return _analyst_refused()
    return decide_comment(comment_id, decision, analyst)


#: Columns of :func:`review_queue`'s frame.
QUEUE_COLUMNS = [
    "item", "achievement_id", "comment_id", "version", "territory", "title", "received_at",
    "channel", "author", "decision_status", "decision_message", "decision_author",
    "decided_at", "sheet", "text", "recorded_at",
]  # fmt: skip


def review_queue(analyst_token: str) -> pd.DataFrame | None:
    """What waits for an analyst: the proposed sheets (``item`` "fiche": the current
    version, its ``sheet`` dict, the last decision on an earlier version if any), then the
    proposed comments (``item`` "commentaire"), oldest first; ``None`` when the token is
    not an analyst's."""
    if analyst_of_token(env_path("OBSERVATOIRE_TOKENS"), analyst_token or "") is None:
        return None
    frames = ledger_frames(env_path("OBSERVATOIRE_CONTRIBUTIONS"))
    sheets = current_sheets(frames)
    sheets = sheets.loc[sheets["status"] == SHEET_PROPOSED].sort_values("received_at")
    last = frames.reviews.drop_duplicates("achievement_id", keep="last").set_index("achievement_id")
    rows = []
    for sheet in sheets.to_dict("records"):
        earlier = (
            last.loc[sheet["achievement_id"]] if sheet["achievement_id"] in last.index else None
        )
        rows.append(
            {
                "item": "fiche",
                "achievement_id": sheet["achievement_id"],
                "version": sheet["version"],
                "territory": sheet["territory"],
                "title": sheet.get("titre"),
                "received_at": sheet["received_at"],
                "channel": sheet["channel"],
                "author": sheet["author"],
                "decision_status": None if earlier is None else earlier["status"],
                "decision_message": None if earlier is None else earlier["message"],
                "decision_author": None if earlier is None else earlier["author"],
                "decided_at": None if earlier is None else earlier["decided_at"],
                "sheet": frames_sheet(sheet),
            }
        )
    comments = current_comments(frames)
    comments = comments.loc[comments["status"] == COMMENT_PROPOSED]
    for comment in comments.to_dict("records"):
        rows.append(
            {
                "item": "commentaire",
                "achievement_id": comment["achievement_id"],
                "comment_id": comment["comment_id"],
                "territory": comment["territory"],
                "text": comment["text"],
                "recorded_at": comment["recorded_at"],
            }
        )
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def frames_sheet(row: Mapping[str, object]) -> dict[str, object]:
    """The sheet dict of a row of :func:`~domain.achievements.ledger.current_sheets`."""
    return json.loads(str(row["sheet_json"]))


def territory_sheets(token: str) -> pd.DataFrame | None:
    """The sheets of the token's territory, whatever their status (one row each: current
    version, ``status``, and the last decision's ``decision_message``, ``decision_author``,
    ``decided_at``: what an analyst asked to change), so that a territory sees where its
    sheets stand; ``None`` when the token is unknown or revoked."""
    territory = territory_of_token(env_path("OBSERVATOIRE_TOKENS"), token or "")
    if territory is None:
        return None
    sheets = current_sheets(ledger_frames(env_path("OBSERVATOIRE_CONTRIBUTIONS")))
    return sheets.loc[sheets["territory"] == territory].reset_index(drop=True)


# --- Reading the store, for ops ----------------------------------------------------------


def sheets_overview(status: str | None = None) -> pd.DataFrame:
    """The sheets of the store (one row each, current version and status), optionally only
    those of ``status``; ordered by territory and identifier."""
    sheets = current_sheets(ledger_frames(env_path("OBSERVATOIRE_CONTRIBUTIONS")))
    return sheets if status is None else sheets.loc[sheets["status"] == status]


def comments_overview(status: str | None = None) -> pd.DataFrame:
    """Every comment with its status, optionally only those of ``status``."""
    comments = current_comments(ledger_frames(env_path("OBSERVATOIRE_CONTRIBUTIONS")))
    return comments if status is None else comments.loc[comments["status"] == status]


def sheet_history(achievement_id: str):
    """The whole history of one sheet (:class:`~domain.achievements.ledger.LedgerFrames`):
    its versions, decisions, feedback and comments."""
    return sheet_frames(env_path("OBSERVATOIRE_CONTRIBUTIONS"), achievement_id)
