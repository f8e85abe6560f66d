"""The ``observatoire`` command line, for territories, ops and developers (messages in French)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

from pipelines.settings import env_path

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


def command_demo(args: argparse.Namespace) -> int:
    """Write the demo submissions into the incoming folder."""
    from assets.questionnaire import load_questionnaire
    from assets.reference import load_territory_reference
    from pipelines.demo import write_demo_submissions

    out_dir = Path(args.dossier) if args.dossier else env_path("OBSERVATOIRE_INCOMING")
    written = write_demo_submissions(load_territory_reference(), load_questionnaire(), out_dir)
    print(f"{len(written)} fichiers de démonstration écrits dans {out_dir}")
    return 0


def command_refresh(args: argparse.Namespace) -> int:
    """Materialize every asset (reference → submissions → scores → publication)."""
    import dagster as dg

    from pipelines.definitions import defs

    instance = dg.DagsterInstance.get() if _has_dagster_home() else dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("actualisation_complete")
    result = job.execute_in_process(instance=instance, raise_on_error=False)
    if not result.success:
        print("L'actualisation a échoué ; détails dans l'interface Dagster.", file=sys.stderr)
        return 1
    _print_refresh_summary(env_path("OBSERVATOIRE_PUBLISHED"))
    return 0


def _has_dagster_home() -> bool:
    import os

    return bool(os.environ.get("DAGSTER_HOME"))


def _print_refresh_summary(published: Path) -> None:
    with duckdb.connect(str(published), read_only=True) as con:
        files = con.execute(
            "SELECT status, count(*) FROM submission_files GROUP BY status ORDER BY status"
        ).fetchall()
        scored = con.execute(
            "SELECT millesime, count(*) FROM territory_scores GROUP BY millesime ORDER BY millesime"
        ).fetchall()
        rejected = con.execute(
            """SELECT f.file_name, i.line, i.message FROM validation_issues i
               JOIN submission_files f USING (sha256)
               WHERE f.status = 'rejetée' AND i.severity = 'erreur'
               ORDER BY f.file_name, i.line NULLS LAST"""
        ).fetchall()
    print("Fichiers : " + ", ".join(f"{n} {status}(s)" for status, n in files))
    print("Territoires notés : " + ", ".join(f"{m} : {n}" for m, n in scored))
    for file_name, line, message in rejected:
        where = f"ligne {line}" if line is not None else "fichier"
        print(f"  {file_name}, {where} : {message}")
    print(f"Copie publiée : {published}")


def command_validate(args: argparse.Namespace) -> int:
    """Print the validation report of each file; exit 0 accepted, 1 rejected, 2 unreadable."""
    from assets.questionnaire import load_questionnaire
    from assets.reference import load_territory_reference
    from assets.submissions import validate_submission

    territories = load_territory_reference()
    questionnaire = load_questionnaire()
    worst = EXIT_ACCEPTED
    for name in args.fichiers:
        path = Path(name)
        if not path.is_file():
            print(f"{name} : fichier introuvable.")
            worst = max(worst, EXIT_UNREADABLE)
            continue
        result = validate_submission(path.read_bytes(), territories, questionnaire)
        status = "accepté" if result.accepted else ("rejeté" if result.readable else "illisible")
        dialect = f", {result.dialect}" if result.dialect else ""
        print(f"{name} : {status} ({len(result.answers)} réponses{dialect})")
        for issue in result.issues:
            where = f"ligne {issue.line}" if issue.line is not None else "fichier"
            if issue.column:
                where += f", colonne {issue.column}"
            print(f"  [{issue.severity}] {where} : {issue.message}")
        if not result.readable:
            worst = max(worst, EXIT_UNREADABLE)
        elif not result.accepted:
            worst = max(worst, EXIT_REJECTED)
    return worst


def command_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard (development server; use gunicorn in production)."""
    from dashboards.app import create_app

    create_app().run(host=args.host, port=args.port, debug=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="observatoire",
        description="Observatoire de la maturité numérique des territoires.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    demo = commands.add_parser("demo", help="écrit les fichiers de démonstration")
    demo.add_argument("--dossier", help="dossier de sortie (défaut : dossier d'arrivée)")
    demo.set_defaults(handler=command_demo)

    refresh = commands.add_parser("refresh", help="ingère, calcule et publie tout")
    refresh.set_defaults(handler=command_refresh)

    validate = commands.add_parser("validate", help="contrôle des fichiers sans les déposer")
    validate.add_argument("fichiers", nargs="+", metavar="FICHIER")
    validate.set_defaults(handler=command_validate)

    serve = commands.add_parser("serve", help="sert le tableau de bord")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.set_defaults(handler=command_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
