"""``observatoire realisations …``: ops propose, list, show and review achievement sheets and
comments from the command line (messages in French, no SQL: the contribution service does
the work)."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from datetime import UTC
from pathlib import Path

import pandas as pd

from domain.submissions.archive import PARIS

EXIT_DONE, EXIT_REJECTED, EXIT_REFUSED = 0, 1, 2


def _plain(text: str) -> str:
    """``"À revoir"`` → ``"a revoir"``: statuses typed with or without accents."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower().replace("-", " "))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _status_argument(statuses: tuple[str, ...]):
    """An argparse type accepting one of ``statuses``, accents and case optional."""

    def parse(text: str) -> str:
        for status in statuses:
            if _plain(status) == _plain(text):
                return status
        raise argparse.ArgumentTypeError(
            f"Statut inconnu : « {text} » (possibles : {', '.join(statuses)})."
        )

    return parse


def _when(moment: object) -> str:
    """A naive UTC time in Paris time, as pages print it: ``"30/11/2026 09:05"``."""
    if moment is None or pd.isna(moment):
        return ""
    return f"{pd.Timestamp(moment).tz_localize(UTC).tz_convert(PARIS):%d/%m/%Y %H:%M}"


def _exit_code(status: str) -> int:
    from domain.achievements.service import ALREADY_RECORDED, RECORDED
    from schemas.vocabulary import REJECTED, SHEET_PROPOSED

    if status in (SHEET_PROPOSED, RECORDED, ALREADY_RECORDED):
        return EXIT_DONE
    return EXIT_REJECTED if status == REJECTED else EXIT_REFUSED


def _print_outcome(name: str | None, outcome) -> int:
    """Print an outcome (its message, then its report) and return its exit code."""
    print(f"{name} : {outcome.message}" if name else outcome.message)
    for issue in outcome.issues:
        where = f"ligne {issue.line}" if issue.line is not None else ""
        if issue.column:
            where = f"{where}, champ {issue.column}" if where else f"champ {issue.column}"
        print(f"  [{issue.severity}] {where or 'fichier'} : {issue.message}")
    return _exit_code(outcome.status)


def command_list(args: argparse.Namespace) -> int:
    """List the sheets of the store, with their status."""
    from domain.achievements.service import sheets_overview

    sheets = sheets_overview(args.statut)
    what = f" « {args.statut} »" if args.statut else ""
    print(f"{len(sheets)} fiche(s){what}.")
    for sheet in sheets.to_dict("records"):
        print(
            f"  {sheet['achievement_id']} — version {sheet['version']}, {sheet['status']}, "
            f"reçue le {_when(sheet['received_at'])} : {sheet.get('titre', '')}"
        )
    return EXIT_DONE


def command_show(args: argparse.Namespace) -> int:
    """Show one sheet: its current content, every version, every decision, its feedback
    and comments."""
    from domain.achievements.ledger import current_comments, current_sheets
    from domain.achievements.service import sheet_history

    history = sheet_history(args.id)
    sheets = current_sheets(history)
    if sheets.empty:
        print(f"Fiche inconnue : « {args.id} ».", file=sys.stderr)
        return EXIT_REFUSED
    sheet = sheets.iloc[0]
    print(f"{sheet['achievement_id']} : {sheet.get('titre', '')}")
    status = f"Statut : {sheet['status']} (version {sheet['version']})"
    if sheet["decision_author"]:
        status += f", décidé par {sheet['decision_author']} le {_when(sheet['decided_at'])}"
    print(status + (f" : {sheet['decision_message']}" if sheet["decision_message"] else ""))
    print(f"Axes : {', '.join(sheet.get('axes') or [])}")
    print("Versions :")
    for version in history.versions.to_dict("records"):
        print(
            f"  {version['version']}. reçue le {_when(version['received_at'])} "
            f"({version['channel']}, {version['author']}) : {version['file_name']}, "
            f"empreinte {version['sha256'][:12]}…"
        )
    print("Décisions :" if len(history.reviews) else "Décisions : aucune")
    for review in history.reviews.to_dict("records"):
        message = f" : {review['message']}" if review["message"] else ""
        print(
            f"  {_when(review['decided_at'])} — version {review['version']} "
            f"« {review['status']} » par {review['author']}{message}"
        )
    kinds = history.feedback["kind"].value_counts()
    print(f"Soutiens : {kinds.get('soutien', 0)} ; adaptations : {kinds.get('adaptation', 0)}")
    comments = current_comments(history)
    print("Commentaires :" if len(comments) else "Commentaires : aucun")
    for comment in comments.to_dict("records"):
        print(
            f"  {comment['comment_id']} ({comment['status']}), {comment['territory']} le "
            f"{_when(comment['recorded_at'])} : {comment['text']}"
        )
    return EXIT_DONE


def _read(name: str) -> bytes | None:
    """The bytes of a sheet file, or ``None`` after saying in French why they are not read."""
    from domain.submissions.service import max_upload_bytes

    path = Path(name)
    if not path.is_file():
        print(f"{name} : fichier introuvable.", file=sys.stderr)
        return None
    if path.stat().st_size > max_upload_bytes():
        print(
            f"{name} : fichier trop volumineux ({path.stat().st_size / 1e6:.1f} Mo pour "
            f"{max_upload_bytes() / 1e6:.0f} Mo au plus) ; une fiche tient en quelques "
            "kilo-octets.".replace(".", ",", 1),
            file=sys.stderr,
        )
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"{name} : fichier illisible ({error.strerror or error}).", file=sys.stderr)
        return None


def command_submit(args: argparse.Namespace) -> int:
    """Propose sheet files with a territory's token, or as ops for a territory; exit 0
    proposed, 1 rejected (report printed), 2 refused or unreadable."""
    from domain.achievements.service import (
        CHANNEL_COMMAND_LINE,
        OPS_AUTHOR,
        propose_sheet_file,
        submit_sheet_file,
    )

    worst = EXIT_DONE
    for name in args.fichiers:
        content = _read(name)
        if content is None:
            worst = max(worst, EXIT_REFUSED)
            continue
        if args.jeton:
            outcome = submit_sheet_file(content, Path(name).name, args.jeton, CHANNEL_COMMAND_LINE)
        else:
            outcome = propose_sheet_file(
                content, Path(name).name, OPS_AUTHOR, CHANNEL_COMMAND_LINE,
                territory=args.territoire,
            )  # fmt: skip
        worst = max(worst, _print_outcome(name, outcome))
    return worst


def _decide(args: argparse.Namespace, decision: str) -> int:
    from domain.achievements.service import decide_sheet

    outcome = decide_sheet(args.id, decision, args.auteur, args.message or "", version=args.version)
    return _print_outcome(None, outcome)


def command_publish(args: argparse.Namespace) -> int:
    """Publish the current version of a sheet."""
    from schemas.vocabulary import SHEET_PUBLISHED

    return _decide(args, SHEET_PUBLISHED)


def command_return(args: argparse.Namespace) -> int:
    """Return the current version of a sheet to its territory, with a message."""
    from schemas.vocabulary import SHEET_RETURNED

    return _decide(args, SHEET_RETURNED)


def command_withdraw(args: argparse.Namespace) -> int:
    """Withdraw a sheet."""
    from schemas.vocabulary import SHEET_WITHDRAWN

    return _decide(args, SHEET_WITHDRAWN)


def command_comments(args: argparse.Namespace) -> int:
    """List the comments, with their status."""
    from domain.achievements.service import comments_overview

    comments = comments_overview(args.statut)
    what = f" « {args.statut} »" if args.statut else ""
    print(f"{len(comments)} commentaire(s){what}.")
    for comment in comments.to_dict("records"):
        print(
            f"  {comment['comment_id']} ({comment['status']}) sur {comment['achievement_id']}, "
            f"{comment['territory']} le {_when(comment['recorded_at'])} : {comment['text']}"
        )
    return EXIT_DONE


def _decide_comment(args: argparse.Namespace, decision: str) -> int:
    from domain.achievements.service import decide_comment

    return _print_outcome(None, decide_comment(args.id, decision, args.auteur))


def command_publish_comment(args: argparse.Namespace) -> int:
    """Publish a comment."""
    from schemas.vocabulary import COMMENT_PUBLISHED

    return _decide_comment(args, COMMENT_PUBLISHED)


def command_withdraw_comment(args: argparse.Namespace) -> int:
    """Withdraw a comment."""
    from schemas.vocabulary import COMMENT_WITHDRAWN

    return _decide_comment(args, COMMENT_WITHDRAWN)


def add_realisations_actions(actions: argparse._SubParsersAction) -> None:
    """Add the ledger's actions (list, show, submit, publish, return, withdraw, comments,
    publish-comment, withdraw-comment) to the ``realisations`` group's ``actions``."""
    from schemas.vocabulary import COMMENT_STATUSES, SHEET_STATUSES

    listing = actions.add_parser("list", help="liste les fiches et leur statut")
    listing.add_argument(
        "--statut", type=_status_argument(SHEET_STATUSES), help=", ".join(SHEET_STATUSES)
    )
    listing.set_defaults(handler=command_list)

    show = actions.add_parser("show", help="une fiche : versions, décisions, commentaires")
    show.add_argument(
        "id", metavar="ID", help="CODE_TERRITOIRE/identifiant, ex. DEP-13/tiers-lieux"
    )
    show.set_defaults(handler=command_show)

    submit = actions.add_parser(
        "submit", help="propose des fiches (0 proposée, 1 rejetée, 2 refusée)"
    )
    submit.add_argument("fichiers", nargs="+", metavar="FICHIER")
    who = submit.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--jeton",
        help="jeton de dépôt du territoire (--jeton=JETON si le jeton commence par « - »)",
    )
    who.add_argument(
        "--territoire",
        metavar="CODE",
        help="pour l'exploitation : territoire des fiches, sans jeton (auteur enregistré : "
        "« exploitation (ligne de commande) »)",
    )
    submit.set_defaults(handler=command_submit)

    for name, handler, help_text, message_help in (
        ("publish", command_publish, "publie la version courante d'une fiche", None),
        ("return", command_return, "renvoie une fiche « à revoir » avec un message",
         "ce que le territoire doit corriger (obligatoire)"),
        ("withdraw", command_withdraw, "retire une fiche", "raison (facultative)"),
    ):  # fmt: skip
        decide = actions.add_parser(name, help=help_text)
        decide.add_argument("id", metavar="ID")
        decide.add_argument("--auteur", required=True, metavar="NOM", help="qui décide")
        if message_help:
            decide.add_argument(
                "--message", required=name == "return", default="", help=message_help
            )
        else:
            decide.set_defaults(message="")
        decide.add_argument(
            "--version", type=int, help="version relue (refusé si une autre est arrivée depuis)"
        )
        decide.set_defaults(handler=handler)

    comments = actions.add_parser("comments", help="liste les commentaires et leur statut")
    comments.add_argument(
        "--statut", type=_status_argument(COMMENT_STATUSES), help=", ".join(COMMENT_STATUSES)
    )
    comments.set_defaults(handler=command_comments)

    for name, handler, help_text in (
        ("publish-comment", command_publish_comment, "publie un commentaire"),
        ("withdraw-comment", command_withdraw_comment, "retire un commentaire"),
    ):
        decide = actions.add_parser(name, help=help_text)
        decide.add_argument("id", metavar="ID", help="identifiant, ex. com-3")
        decide.add_argument("--auteur", required=True, metavar="NOM", help="qui décide")
        decide.set_defaults(handler=handler)
