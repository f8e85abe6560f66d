"""The ``observatoire`` command line, for territories, ops and developers (messages in French)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from domain.settings import env_path

EXIT_ACCEPTED, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2
#: An internal error (never the file's fault), logged with the reference printed.
EXIT_INTERNAL = 3


def command_demo(args: argparse.Namespace) -> int:
    """Write the demo submissions of a scope (by default the configured one) into the
    incoming folder."""
    from domain.questionnaire import load_questionnaires
    from domain.reference import load_territory_reference
    from domain.settings import SCOPE_ENV, territory_scope
    from pipelines.demo import write_demo_submissions

    try:
        configured = territory_scope()
    except ValueError as error:  # OBSERVATOIRE_PERIMETRE names no scope
        print(f"{SCOPE_ENV} : {error}", file=sys.stderr)
        return 2
    scope = args.perimetre or configured
    out_dir = Path(args.dossier) if args.dossier else env_path("OBSERVATOIRE_INCOMING")
    territories = load_territory_reference(scope)
    questionnaires = load_questionnaires()
    written = write_demo_submissions(
        territories, questionnaires, out_dir, answer_rate=args.taux_reponse
    )
    print(
        f"{len(written)} fichiers de démonstration écrits dans {out_dir} "
        f"(périmètre « {scope.name} » : {len(territories)} territoires)"
    )
    _demo_achievements(territories, questionnaires)
    if scope != configured:
        print(
            f"Attention : le pipeline lit le périmètre « {configured.name} » ; pour accepter "
            f"ces fichiers, lancez-le avec {SCOPE_ENV}={scope.name}.",
            file=sys.stderr,
        )
    return 0


def _demo_achievements(territories, questionnaires) -> None:
    """Write the demo réalisations (sheets, decisions, supports, comments) into the
    contributions store, their files into the archive; say what was written."""
    from pipelines.demo_achievements import write_demo_achievements

    store = env_path("OBSERVATOIRE_CONTRIBUTIONS")
    summary = write_demo_achievements(
        territories, questionnaires, store, env_path("OBSERVATOIRE_ARCHIVE")
    )
    if summary.written == 0:
        print(f"Réalisations de démonstration déjà présentes dans {store} : rien à écrire.")
        return
    print(
        f"Réalisations de démonstration écrites dans {store} : {summary.versions} versions "
        f"de fiches, {summary.reviews} décisions, {summary.feedback} soutiens et adaptations, "
        f"{summary.comments} commentaires ({summary.sheets} fiches en tout)"
    )


def _scope_argument(text: str):
    """An ``--perimetre`` value, refused with the French message of :func:`parse_scope`."""
    from domain.settings import parse_scope

    try:
        return parse_scope(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _answer_rate_argument(text: str) -> float:
    """A ``--taux-reponse`` value: a share in ]0, 1]."""
    try:
        rate = float(text.replace(",", "."))
    except ValueError:
        rate = -1.0
    if not 0 < rate <= 1:
        raise argparse.ArgumentTypeError(
            f"Taux de réponse invalide : « {text} » (un nombre entre 0 exclu et 1, ex. 0,8)."
        )
    return rate


def command_refresh(args: argparse.Namespace) -> int:
    """Materialize every asset (reference → submissions → scores → publication), for every
    millésime or only those given with ``--millesime``."""
    import dagster as dg

    from assets.partitions import all_millesimes_tags, partition_keys_for, range_tags
    from pipelines.definitions import defs
    from pipelines.run_recovery import process_tags, recover_dead_runs

    tags = all_millesimes_tags()
    if args.millesime:
        keys = partition_keys_for(args.millesime)
        unknown = sorted(set(args.millesime) - {int(k) for k in keys})
        if unknown:
            print(
                f"Millésime(s) inconnu(s) : {', '.join(map(str, unknown))}. Un millésime est "
                "ouvert dans un fichier de data/questionnaire/ (clé « millesimes »).",
                file=sys.stderr,
            )
            return 2
        tags = range_tags(keys)

    instance = dg.DagsterInstance.get() if _has_dagster_home() else dg.DagsterInstance.ephemeral()
    # A run killed earlier would keep the warehouse's only slot: this one would wait forever.
    for dead in recover_dead_runs(instance):
        print(_dead_run_line(dead), file=sys.stderr)
    tags = {**tags, **process_tags()}
    job = defs.resolve_job_def("actualisation_complete")
    # Dagster's console logger prints every step at DEBUG level; keep the terminal readable.
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    result = job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=quiet, tags=tags
    )
    failed_checks = [e.check_name for e in result.get_asset_check_evaluations() if not e.passed]
    if failed_checks:
        print(
            "Contrôle(s) bloquant(s) en échec : " + ", ".join(failed_checks) + ". La copie "
            "publiée n'a pas été remplacée ; le tableau de bord garde la dernière version "
            "valide. Détails dans l'interface Dagster.",
            file=sys.stderr,
        )
        return 1
    if not result.success:
        print("L'actualisation a échoué ; détails dans l'interface Dagster.", file=sys.stderr)
        return 1
    _print_refresh_summary(env_path("OBSERVATOIRE_PUBLISHED"))
    return 0


def _has_dagster_home() -> bool:
    import os

    return bool(os.environ.get("DAGSTER_HOME"))


def _dead_run_line(dead) -> str:
    """What became of a run whose process died (a ``pipelines.run_recovery.DeadRun``)."""
    started = datetime.fromtimestamp(dead.started_at, UTC).strftime("%d/%m/%Y %H:%M")
    what = (
        f"Exécution interrompue {dead.run_id[:8]} ({dead.job_name}, démarrée le {started} UTC, "
        f"processus {dead.pid} sur {dead.host} disparu)"
    )
    if dead.recovered_at is None:
        return (
            f"{what} : elle bloque le pool duckdb_warehouse jusqu'à la prochaine actualisation "
            "ou au prochain passage du capteur dead_runs_sensor."
        )
    freed = datetime.fromtimestamp(dead.recovered_at, UTC).strftime("%d/%m/%Y %H:%M")
    return f"{what} : marquée en échec, créneau libéré le {freed} UTC."


def _print_refresh_summary(published: Path) -> None:
    from domain.publication import (
        archived_millesimes,
        editions_dir,
        publication_summary,
        read_publication,
    )

    summary = publication_summary(published)
    print("Fichiers : " + ", ".join(f"{n} {status}(s)" for status, n in summary.files))
    print("Territoires notés : " + ", ".join(f"{m} : {n}" for m, n in summary.scored))
    sheets, authors = summary.achievements
    print(f"Réalisations publiées : {sheets} (de {authors} territoire(s))")
    for file_name, line, message in summary.rejections:
        where = f"ligne {line}" if line is not None else "fichier"
        print(f"  {file_name}, {where} : {message}")
    publication = read_publication(published)
    version = f" (version {publication.version})" if publication else ""
    print(f"Copie publiée : {published}{version}")
    editions = archived_millesimes(published)
    if editions:
        print(
            f"Éditions par millésime : {', '.join(map(str, editions))} "
            f"(dans {editions_dir(published)})"
        )


def _read_received(name: str) -> bytes | None:
    """The bytes of a file given on the command line, or ``None`` after saying, in French,
    why it cannot be read (missing, a folder, too large to be read at all, no permission)."""
    from domain.submissions.dialects import MAX_FILE_BYTES

    path = Path(name)
    if not path.is_file():
        print(f"{name} : fichier introuvable.")
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        print(
            f"{name} : illisible (fichier trop volumineux, {size / 1e6:.1f} Mo pour "
            f"{MAX_FILE_BYTES / 1e6:.0f} Mo au plus ; il n'est ni lu ni déposé). Un "
            "questionnaire tient en quelques kilo-octets : vérifiez qu'il s'agit du bon "
            "fichier.".replace(".", ",", 1)
        )
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"{name} : fichier illisible ({error.strerror or error}).")
        return None


def _print_report(name: str, content: bytes, territories, questionnaires) -> int:
    """Print the validation report of one file's bytes; return its exit code (an internal
    error is logged with a reference, printed in French, and exits with 3)."""
    from domain.submissions.incidents import incident_message, record_incident
    from domain.submissions.report import bounded_report
    from domain.submissions.validation import validate_submission

    try:
        result = validate_submission(content, territories, questionnaires)
    except Exception as error:  # noqa: BLE001 - the user reads a reference, the log the trace
        reference = record_incident(error, f"contrôle de {name!r} en ligne de commande")
        print(f"{name} : {incident_message(reference)}", file=sys.stderr)
        return EXIT_INTERNAL
    status = "accepté" if result.accepted else ("rejeté" if result.readable else "illisible")
    dialect = f", {result.dialect}" if result.dialect else ""
    print(f"{name} : {status} ({len(result.answers)} réponses{dialect})")
    report = bounded_report(result.issues)
    for count in report.counts if report.omitted else []:
        print(f"  {count.label} ({count.severity}) : {count.issues}")
    for issue in report.lines:
        where = f"ligne {issue.line}" if issue.line is not None else "fichier"
        if issue.column:
            where += f", colonne {issue.column}"
        if issue.question and issue.question not in (issue.column or ""):
            where += f", question {issue.question}"
        print(f"  [{issue.severity}] {where} : {issue.message}")
    if report.omitted_sentence:
        print(f"  {report.omitted_sentence}")
    if not result.readable:
        return EXIT_UNREADABLE
    return EXIT_ACCEPTED if result.accepted else EXIT_REJECTED


def _reference_data():
    """The territories and every questionnaire version: each file is checked against the
    version of the millésime it declares."""
    from domain.questionnaire import load_questionnaires
    from domain.reference import load_territory_reference

    return load_territory_reference(), load_questionnaires()


def command_validate(args: argparse.Namespace) -> int:
    """Print the validation report of each file; exit 0 accepted, 1 rejected, 2 unreadable
    (3: an internal error, with its reference)."""
    territories, questionnaires = _reference_data()
    worst = EXIT_ACCEPTED
    for name in args.fichiers:
        content = _read_received(name)
        code = EXIT_UNREADABLE
        if content is not None:
            code = _print_report(name, content, territories, questionnaires)
        worst = max(worst, code)
    return worst


def command_template(args: argparse.Namespace) -> int:
    """Write the blank template of one territory and millésime (``--realisation``: a blank
    achievement sheet)."""
    if args.realisation:
        return command_sheet_template(args)
    if args.territoire is None or args.millesime is None:
        print(
            "Précisez --territoire et --millesime (modèle de réponse au questionnaire), ou "
            "--realisation (fiche « réalisation exemplaire »).",
            file=sys.stderr,
        )
        return 2
    if args.format not in ("csv", "xlsx"):
        print("Le modèle de réponse s'écrit en csv ou xlsx (md : --realisation).", file=sys.stderr)
        return 2
    from domain.questionnaire import load_questionnaires
    from domain.reference import load_territory_reference
    from domain.submissions.template import template_csv, template_rows, template_xlsx

    questionnaires = load_questionnaires()
    territories = load_territory_reference().set_index("code")
    if args.territoire not in territories.index:
        print(f"Territoire « {args.territoire} » inconnu. Exemples de codes : REG-93, DEP-13, "
              "EPCI-200054807, COM-75056.", file=sys.stderr)  # fmt: skip
        return 2
    questionnaire = questionnaires.for_millesime(args.millesime)
    if questionnaire is None:
        opened = ", ".join(map(str, questionnaires.open_millesimes))
        print(f"Millésime {args.millesime} non ouvert (ouverts : {opened}).", file=sys.stderr)
        return 2
    rows = template_rows(
        questionnaire, args.territoire, territories.loc[args.territoire, "kind"], args.millesime
    )
    content = template_csv(rows) if args.format == "csv" else template_xlsx(rows, questionnaire)
    output = Path(args.o or f"modele_{args.territoire}_{args.millesime}.{args.format}")
    output.write_bytes(content)
    print(
        f"Modèle écrit : {output} ({len(rows)} questions pour {territories.loc[args.territoire, 'name']})"
    )
    return 0


def command_submit(args: argparse.Namespace) -> int:
    """Archive each file as received and place it in the inbox, then print its report.

    Files are archived before they are read: whatever their content, the archived bytes
    are the bytes given. Exit codes as ``validate``.
    """
    from domain.submissions.archive import already_received_message, first_received_at
    from domain.submissions.inbox import deposit_submission

    incoming, archive = env_path("OBSERVATOIRE_INCOMING"), env_path("OBSERVATOIRE_ARCHIVE")
    territories, questionnaires = _reference_data()
    worst = EXIT_ACCEPTED
    for name in args.fichiers:
        content = _read_received(name)
        if content is None:
            worst = max(worst, EXIT_UNREADABLE)
            continue
        earlier = first_received_at(content, archive)
        archived = deposit_submission(content, Path(name).name, args.deposant, incoming, archive)
        if earlier is not None:
            print(f"{name} : {already_received_message(earlier)}")
        else:
            print(
                f"{name} : déposé (empreinte {archived.sha256[:12]}…), pris en compte à la "
                "prochaine actualisation."
            )
        worst = max(worst, _print_report(name, content, territories, questionnaires))
    return worst


def command_tokens(args: argparse.Namespace) -> int:
    """Issue or revoke the upload tokens of a territory, or the tokens of an analyst
    (``--analyste``: reviews sheets and comments)."""
    from domain.submissions.tokens import (
        create_analyst_token,
        create_token,
        revoke_analyst_tokens,
        revoke_tokens,
    )

    store = env_path("OBSERVATOIRE_TOKENS")
    if args.analyste is not None:
        if args.action == "create":
            try:
                issued = create_analyst_token(store, args.analyste)
            except ValueError as error:
                print(str(error), file=sys.stderr)
                return 2
            print(
                f"Jeton d'analyste pour « {issued.analyst} » (relecture des réalisations ; "
                "à transmettre, il ne sera plus affiché) :"
            )
            print(issued.token)
            return 0
        revoked = revoke_analyst_tokens(store, args.analyste)
        print(f"{revoked} jeton(s) d'analyste révoqué(s) pour « {args.analyste.strip()} ».")
        return 0
    if args.action == "create":
        from domain.reference import load_territory_reference

        if args.territoire not in set(load_territory_reference()["code"]):
            print(f"Territoire « {args.territoire} » inconnu.", file=sys.stderr)
            return 2
        issued = create_token(store, args.territoire)
        print(f"Jeton de dépôt pour {issued.territory} (à transmettre, il ne sera plus affiché) :")
        print(issued.token)
        return 0
    revoked = revoke_tokens(store, args.territoire)
    print(f"{revoked} jeton(s) révoqué(s) pour {args.territoire}.")
    return 0


def command_methodology(args: argparse.Namespace) -> int:
    """Check a methodology file (or a questionnaire version): exit 0 valid, 1 invalid (each
    mistake with its key path and line), 2 unreadable (missing file, YAML syntax)."""
    from domain.composite import MethodologyError, MethodologyUnreadable
    from domain.methodology_check import check_methodology_file

    try:
        print(check_methodology_file(Path(args.fichier)))
    except (MethodologyUnreadable, MethodologyError) as error:
        return _methodology_refused(error, EXIT_REJECTED)
    return EXIT_ACCEPTED


def _methodology_refused(error: ValueError, invalid_exit: int, consequence: str = "") -> int:
    """Say in French why a methodology file is refused; the exit code: ``EXIT_UNREADABLE``
    when it cannot be read as YAML, ``invalid_exit`` when it holds mistakes."""
    from domain.composite import MethodologyUnreadable

    if isinstance(error, MethodologyUnreadable):
        print(f"Méthodologie illisible : {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(f"Méthodologie invalide{consequence} : {error}", file=sys.stderr)
    return invalid_exit


def command_score(args: argparse.Namespace) -> int:
    """Compute any composite indicator from a methodology file and long values."""
    import pandas as pd

    from domain.composite import (
        MethodologyError,
        MethodologyUnreadable,
        compute,
        coverage_summary,
        load_methodology,
        unmatched_indicators,
    )

    try:
        methodology = load_methodology(Path(args.methodology))
    except (MethodologyUnreadable, MethodologyError) as error:
        # ``score`` keeps its contract: 2 for any methodology it cannot compute with.
        return _methodology_refused(error, EXIT_UNREADABLE, ", rien n'est calculé")
    try:
        values = pd.read_csv(args.values, dtype={"unit": str, "indicator": str, "value": str})
    except (OSError, ValueError) as error:
        print(f"Valeurs illisibles ({args.values}) : {error}", file=sys.stderr)
        return 2
    missing = {"unit", "indicator", "value"} - set(values.columns)
    if missing:
        print(f"Colonnes manquantes dans {args.values} : {', '.join(sorted(missing))} "
              "(attendu : unit,indicator,value).", file=sys.stderr)  # fmt: skip
        return 2
    scores = compute(values, methodology)
    scores.to_csv(args.out, index=False)
    summary = coverage_summary(scores, methodology)
    print(f"{methodology.name} : {summary.scored} unités notées sur {summary.units}, "
          f"{len(scores)} lignes écrites dans {args.out}")  # fmt: skip
    if summary.partial_units:
        nodes = ", ".join(f"{code} ({n})" for code, n in summary.partial_nodes.items())
        print(f"Couverture partielle : {summary.partial_units} unité(s) notée(s) avec des "
              f"enfants manquants, pondérés sur les enfants présents (min_coverage) — "
              f"nœuds (unités) : {nodes}")  # fmt: skip
    if summary.insufficient_nodes:
        nodes = ", ".join(f"{code} ({n})" for code, n in summary.insufficient_nodes.items())
        print(f"Données insuffisantes (nœud non noté) — nœuds (unités) : {nodes}")
    if summary.imputed_units:
        print(f"Valeurs imputées (impute) : {summary.imputed_units} unité(s)")
    ignored, absent = unmatched_indicators(values, methodology)
    if ignored:
        print(f"Valeurs ignorées, indicateurs absents de la méthodologie (code mal "
              f"orthographié ?) : {', '.join(ignored)}")  # fmt: skip
    if absent:
        print(f"Indicateurs sans aucune valeur : {', '.join(absent)}")
    return 0


def command_status(args: argparse.Namespace) -> int:
    """Last publication and runs, files waiting, failing checks, latest alerts."""
    from domain.publication import read_publication
    from domain.submissions.inbox import waiting_files
    from pipelines.alerts import format_alert, read_alerts

    healthy = True
    published = env_path("OBSERVATOIRE_PUBLISHED")
    last = read_publication(published)
    if last:
        print(
            f"Dernière publication : version {last.version}, le "
            f"{last.published_at:%d/%m/%Y %H:%M} UTC (exécution {last.run_id[:8]})"
        )
    else:
        print(f"Dernière publication : aucune copie publiée lisible ({published})")
        healthy = False
    waiting = waiting_files(env_path("OBSERVATOIRE_INCOMING"))
    print(f"Fichiers en attente d'ingestion : {len(waiting)}")
    if _has_dagster_home():
        healthy &= _print_dagster_status()
    else:
        print("Instance Dagster : DAGSTER_HOME non défini (lancez via make, ou exportez-le).")
    alerts = read_alerts(limit=5)
    print(f"Alertes récentes : {len(alerts) or 'aucune'}")
    for alert in alerts:
        print(f"  {format_alert(alert)}")
    return 0 if healthy else 1


def _print_dagster_status() -> bool:
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.run_recovery import find_dead_runs, recovered_runs

    healthy = True
    with dg.DagsterInstance.get() as instance:
        succeeded = instance.get_runs(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.SUCCESS]), limit=1
        )
        latest = instance.get_runs(limit=1)
        if succeeded:
            ended = instance.get_run_record_by_id(succeeded[0].run_id).end_time
            when = datetime.fromtimestamp(ended, UTC).strftime("%d/%m/%Y %H:%M") if ended else "?"
            print(f"Dernière actualisation réussie : {when} UTC ({succeeded[0].job_name})")
        else:
            print("Dernière actualisation réussie : aucune")
        if latest and latest[0].status == dg.DagsterRunStatus.FAILURE:
            print(f"Dernière exécution en échec : {latest[0].job_name} ({latest[0].run_id[:8]})")
            healthy = False
        blocking = find_dead_runs(instance)
        for dead in [*blocking, *recovered_runs(instance)]:
            print(_dead_run_line(dead))
        healthy &= not blocking
        failing = []
        for key in defs.resolve_asset_graph().asset_check_keys:
            record = instance.get_latest_asset_check_evaluation_record(key)
            if record is not None and record.status.value == "FAILED":
                failing.append(key.name)
    print("Contrôles en échec : " + (", ".join(sorted(failing)) if failing else "aucun"))
    return healthy and not failing


def command_serve(args: argparse.Namespace) -> int:
    """Serve the dashboard (development server; gunicorn in production). The dashboard runs
    in its own process: it reads the published snapshot and never imports the pipeline."""
    import subprocess

    command = [sys.executable, "-m", "dashboards", "--host", args.host, "--port", str(args.port)]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


# --------------------------------------------------------------------------- achievements
# Sheets of exemplary achievements: their template, their check (``realisations validate``);
# the other ``realisations`` actions are added to the same group.


def command_sheet_template(args: argparse.Namespace) -> int:
    """Write a blank achievement sheet, the territory's code written in it when given."""
    from domain.achievements.references import sheet_references
    from domain.achievements.template import sheet_template
    from schemas.achievement_sheet import load_sheet_schema

    territory = args.territoire.strip().upper() if args.territoire else None
    if territory is not None and territory not in sheet_references().territories:
        print(f"Territoire « {args.territoire} » inconnu. Exemples de codes : REG-93, DEP-13, "
              "EPCI-200054807, COM-75056.", file=sys.stderr)  # fmt: skip
        return 2
    output = Path(args.o or f"fiche_realisation_{territory or 'modele'}.{args.format}")
    output.write_bytes(sheet_template(args.format, territory))
    fields = load_sheet_schema().fields
    required = sum(spec.required for spec in fields)
    print(
        f"Modèle de fiche réalisation écrit : {output} ({len(fields)} champs, dont {required} "
        "obligatoires). Contrôlez-le rempli avec « observatoire realisations validate "
        f"{output} »."
    )
    return 0


def _print_sheet_report(name: str, content: bytes, references) -> int:
    """Print the report of one sheet file; return its exit code (0 accepted, 1 rejected,
    2 unreadable, 3 an internal error, logged with the reference printed)."""
    from domain.achievements.sheet import achievement_id, read_sheet
    from domain.submissions.incidents import incident_message, record_incident
    from domain.submissions.report import bounded_report

    try:
        reading = read_sheet(
            content, Path(name).name, references.territories, references.axes, references.questions
        )
    except Exception as error:  # noqa: BLE001 - the user reads a reference, the log the trace
        reference = record_incident(error, f"contrôle de la fiche {name!r} en ligne de commande")
        print(f"{name} : {incident_message(reference)}", file=sys.stderr)
        return EXIT_INTERNAL
    report = bounded_report(reading.issues)
    if reading.accepted:
        print(f"{name} : fiche acceptée ({achievement_id(reading.sheet)})")
    else:
        status = "rejetée" if reading.readable else "illisible"
        errors = f"{report.errors} erreur{'s' if report.errors > 1 else ''}"
        print(f"{name} : fiche {status} ({errors})")
    for issue in report.lines:
        where = f"ligne {issue.line}" if issue.line is not None else "fichier"
        print(f"  [{issue.severity}] {where} : {issue.message}")
    if report.omitted_sentence:
        print(f"  {report.omitted_sentence}")
    if not reading.readable:
        return EXIT_UNREADABLE
    return EXIT_ACCEPTED if reading.accepted else EXIT_REJECTED


def command_sheet_validate(args: argparse.Namespace) -> int:
    """Print the French report of each sheet file, without depositing it; exit with the
    worst code (0 accepted, 1 rejected, 2 unreadable, 3 internal error)."""
    from domain.achievements.references import sheet_references

    references = sheet_references()
    worst = EXIT_ACCEPTED
    for name in args.fichiers:
        content = _read_received(name)
        code = EXIT_UNREADABLE
        if content is not None:
            code = _print_sheet_report(name, content, references)
        worst = max(worst, code)
    return worst


def add_achievement_commands(commands) -> argparse._SubParsersAction:
    """The ``realisations`` group and its ``validate`` action; returns the group's actions,
    to which the other actions are added."""
    achievements = commands.add_parser(
        "realisations",
        help="fiches « réalisations exemplaires » : contrôle, dépôt, liste, relecture",
        description="Réalisations exemplaires : contrôler et proposer des fiches, les "
        "lister, les relire (publier, renvoyer « à revoir », retirer) et relire les "
        "commentaires. Chaque décision est enregistrée avec son auteur et son heure.",
    )
    actions = achievements.add_subparsers(dest="action", required=True, metavar="ACTION")
    validate = actions.add_parser(
        "validate",
        help="contrôle des fiches sans les déposer (0 acceptée, 1 rejetée, 2 illisible)",
        description="Contrôle des fiches réalisation (CSV, xlsx ou Markdown, comme le modèle "
        "d'observatoire template --realisation) et affiche le rapport de chacune : chaque "
        "erreur nomme le champ et la correction à faire.",
    )
    validate.add_argument("fichiers", nargs="+", metavar="FICHIER")
    validate.set_defaults(handler=command_sheet_validate)
    return actions


def build_parser() -> argparse.ArgumentParser:
    from pipelines.cli_realisations import add_realisations_actions

    parser = argparse.ArgumentParser(
        prog="observatoire",
        description="Observatoire de la maturité numérique des territoires.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    demo = commands.add_parser("demo", help="écrit les fichiers de démonstration")
    demo.add_argument("--dossier", help="dossier de sortie (défaut : dossier d'arrivée)")
    demo.add_argument(
        "--perimetre",
        type=_scope_argument,
        metavar="{defaut,epci,communes-10000,toutes,communes-N}",
        help="territoires qui répondent (défaut : OBSERVATOIRE_PERIMETRE, sinon « defaut »)",
    )
    demo.add_argument(
        "--taux-reponse",
        type=_answer_rate_argument,
        default=1.0,
        help="part des territoires qui répondent à chaque millésime (défaut : 1, tous)",
    )
    demo.set_defaults(handler=command_demo)

    refresh = commands.add_parser("refresh", help="ingère, calcule et publie tout")
    refresh.add_argument(
        "--millesime",
        type=int,
        action="append",
        help="ne recalculer que ce millésime (option répétable ; défaut : tous)",
    )
    refresh.set_defaults(handler=command_refresh)

    validate = commands.add_parser("validate", help="contrôle des fichiers sans les déposer")
    validate.add_argument("fichiers", nargs="+", metavar="FICHIER")
    validate.set_defaults(handler=command_validate)

    template = commands.add_parser(
        "template", help="écrit le modèle vierge d'un territoire ou d'une fiche réalisation"
    )
    template.add_argument("--territoire", help="code, par exemple DEP-13")
    template.add_argument("--millesime", type=int, help="millésime du modèle de réponse")
    template.add_argument(
        "--realisation",
        action="store_true",
        help="fiche « réalisation exemplaire » vierge (--territoire facultatif)",
    )
    template.add_argument(
        "--format", choices=["csv", "xlsx", "md"], default="csv", help="md : --realisation"
    )
    template.add_argument("-o", metavar="FICHIER", help="fichier de sortie")
    template.set_defaults(handler=command_template)

    add_realisations_actions(add_achievement_commands(commands))

    submit = commands.add_parser("submit", help="archive et dépose des fichiers")
    submit.add_argument("fichiers", nargs="+", metavar="FICHIER")
    submit.add_argument("--deposant", default="ligne de commande", help="qui dépose")
    submit.set_defaults(handler=command_submit)

    tokens = commands.add_parser(
        "tokens", help="jetons de dépôt des territoires et jetons des analystes"
    )
    tokens.add_argument("action", choices=["create", "revoke"])
    holder = tokens.add_mutually_exclusive_group(required=True)
    holder.add_argument("--territoire", help="code du territoire (jeton de dépôt)")
    holder.add_argument(
        "--analyste",
        metavar="NOM",
        help="nom ou service de l'analyste (jeton de relecture des réalisations)",
    )
    tokens.set_defaults(handler=command_tokens)

    score = commands.add_parser("score", help="calcule un indicateur composite quelconque")
    score.add_argument("--methodology", required=True, metavar="FICHIER.yaml")
    score.add_argument(
        "--values", required=True, metavar="FICHIER.csv", help="unit,indicator,value"
    )
    score.add_argument("--out", required=True, metavar="FICHIER.csv")
    score.set_defaults(handler=command_score)

    methodology = commands.add_parser(
        "methodologie", help="contrôle un fichier de méthodologie ou de questionnaire"
    )
    methodology_actions = methodology.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = methodology_actions.add_parser(
        "verifier",
        help="vérifie un fichier YAML (0 valide, 1 erreurs, 2 illisible)",
        description="Vérifie un fichier de méthodologie (data/methodologies/) ou de "
        "questionnaire (data/questionnaire/) sans rien calculer : clés inconnues, types, "
        "bornes, poids d'enfants absents ; chaque erreur avec son chemin de clés et sa ligne.",
    )
    check.add_argument("fichier", metavar="FICHIER.yaml")
    check.set_defaults(handler=command_methodology)

    status = commands.add_parser(
        "status", help="état : publication, fichiers en attente, contrôles, alertes"
    )
    status.set_defaults(handler=command_status)

    serve = commands.add_parser("serve", help="sert le tableau de bord")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8050)
    serve.set_defaults(handler=command_serve)

    return parser


def _log_incidents_to_file() -> None:
    """Internal errors go, with their trace, to ``OBSERVATOIRE_INCIDENTS``; the terminal
    shows only their reference."""
    import logging

    from domain.submissions.incidents import logger

    for handler in [h for h in logger.handlers if getattr(h, "observatoire_cli", False)]:
        logger.removeHandler(handler)
        handler.close()
    path = env_path("OBSERVATOIRE_INCIDENTS")
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.observatoire_cli = True
    logger.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _log_incidents_to_file()
    from domain.questionnaire import QuestionnaireError

    try:
        return args.handler(args)
    except QuestionnaireError as error:  # every command reads the questionnaire versions
        print(f"{error}\n(contrôle : observatoire methodologie verifier FICHIER)", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
