"""Sensors: new files in the inbox start an ingestion; territories' contributions (sheet
files, decisions, supports, comments) start their publication; a failed run raises an
alert."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.achievements import achievements_inbox
from assets.partitions import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    millesime_partitions,
    partition_keys_for,
    range_tags,
)
from assets.resources import ContributionStore, SubmissionStorage
from domain.achievements.ledger import ledger_version
from domain.submissions.inbox import waiting_files
from domain.submissions.reading import read_submission_rows
from pipelines.alerts import deliver_alert, new_alert
from pipelines.jobs import achievements_publication_job, full_refresh_job, ingestion_job
from pipelines.run_recovery import host_tags, recover_dead_runs


def files_after_cursor(files: list[Path], cursor: str | None) -> list[Path]:
    """Files not yet seen: after the (mtime, name) position the cursor remembers."""
    position = tuple(json.loads(cursor)) if cursor else (0.0, "")
    return [p for p in files if (p.stat().st_mtime, p.name) > position]


def declared_millesimes(path: Path) -> set[int]:
    """The millésimes a received file declares (empty when it cannot be read)."""
    try:
        reading = read_submission_rows(path.read_bytes())
    except Exception:  # noqa: BLE001 - a broken file is the validation's business, not ours
        return set()
    if not reading.readable or reading.rows is None or "millesime" not in reading.rows:
        return set()
    years = pd.to_numeric(reading.rows["millesime"], errors="coerce").dropna()
    return {int(year) for year in years}


def millesimes_to_rescore(files: list[Path]) -> list[str]:
    """Partition keys of the millésimes the files declare; the latest one when none is known
    (an unreadable file is still archived, reported and published by that run)."""
    keys = partition_keys_for(m for path in files for m in declared_millesimes(path))
    return keys or [millesime_partitions.get_partition_keys()[-1]]


def cursor_after(files: list[Path]) -> str:
    last = max(files, key=lambda p: (p.stat().st_mtime, p.name))
    return json.dumps([last.stat().st_mtime, last.name])


#: Seconds between two looks at the inbox: the daemon's sensor loop runs every 5 seconds at
#: best, and a look at an empty inbox costs a directory listing, so the sensor is evaluated at
#: every loop (it was 30 s: a file waited 15 s on average before its run was even requested).
#: One second under the loop's period: a tick recorded a little after its loop began would
#: otherwise make the next loop, 5 s later, find "under 5 s" and skip to the one after
#: (seen under `make run`: ticks 10 s apart, the file waiting 9 s for its run).
INBOX_SENSOR_INTERVAL_SECONDS = 4


@dg.sensor(
    job=ingestion_job,
    minimum_interval_seconds=INBOX_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Lance l'ingestion dès qu'un fichier arrive dans le dossier d'arrivée.",
)
def incoming_files_sensor(context: dg.SensorEvaluationContext, storage: SubmissionStorage):
    """Request one ingestion run for the files that arrived since the last evaluation,
    over the millésimes they declare."""
    new = files_after_cursor(waiting_files(Path(storage.incoming_dir)), context.cursor)
    if not new:
        return dg.SkipReason("Aucun nouveau fichier dans le dossier d'arrivée.")
    key = hashlib.sha256(
        "\n".join(f"{p.name}:{p.stat().st_size}" for p in new).encode()
    ).hexdigest()
    keys = millesimes_to_rescore(new)
    context.update_cursor(cursor_after(new))
    return dg.RunRequest(
        run_key=key[:32],
        tags={
            "observatoire/nouveaux_fichiers": str(len(new)),
            "observatoire/millesimes": ",".join(keys),
            **range_tags(keys),
            **host_tags(),
        },
    )


def contributions_state(version: int, files: list[Path]) -> dict[str, object]:
    """What the contributions sensor remembers: the store's version and the sheet files
    waiting in the inbox's ``realisations`` folder (name, size)."""
    return {
        "ledger_version": version,
        "files": sorted(f"{p.name}:{p.stat().st_size}" for p in files),
    }


def contributions_changed(
    state: dict[str, object], cursor: str | None, published_version: int | None
) -> bool:
    """Whether the store was written to, or a sheet file arrived, since what the sensor
    last saw (its cursor) and since the store's version the last run published
    (``published_version``, from the instance). With neither (a new instance), only waiting
    files count: the store is taken as published (``observatoire refresh`` publishes it, and
    every night's refresh)."""
    seen = json.loads(cursor) if cursor else {}
    if not seen and published_version is None:
        return bool(state["files"])
    baseline = max(seen.get("ledger_version", 0), published_version or 0)
    new_files = set(state["files"]) - set(seen.get("files", []))
    return state["ledger_version"] > baseline or bool(new_files)


def published_ledger_version(instance: dg.DagsterInstance) -> int | None:
    """The store's version the last materialization of the achievements read, if any."""
    event = instance.get_latest_materialization_event(dg.AssetKey("core_achievements"))
    if event is None or event.asset_materialization is None:
        return None
    value = event.asset_materialization.metadata.get("ledger_version")
    return int(value.value) if value is not None else None


#: Statuses of a run not over yet.
IN_FLIGHT_STATUSES = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def publication_in_flight(instance: dg.DagsterInstance) -> bool:
    """Whether a run of ``publication_des_realisations`` is queued or running."""
    runs = instance.get_runs(
        filters=dg.RunsFilter(
            job_name=achievements_publication_job.name, statuses=IN_FLIGHT_STATUSES
        ),
        limit=1,
    )
    return bool(runs)


@dg.sensor(
    job=achievements_publication_job,
    minimum_interval_seconds=INBOX_SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Publie les réalisations dès qu'une fiche arrive dans le dossier "
    "d'arrivée (sous-dossier realisations) ou que le registre des contributions change "
    "(fiche, décision d'un analyste, soutien, commentaire).",
)
def contributions_sensor(
    context: dg.SensorEvaluationContext,
    storage: SubmissionStorage,
    contributions: ContributionStore,
):
    """Request one publication of the achievements when the contributions store's version
    rose above what the sensor saw and what was last published, or new sheet files wait in
    the inbox. While such a run is queued or running, nothing is asked: its own writes (the
    inbox's files recorded) are published by it, and the writes made meanwhile by the next
    run, one for all of them."""
    if publication_in_flight(context.instance):
        # Its writes and any made meanwhile are compared once it is over: one run for many.
        return dg.SkipReason("Publication des réalisations en cours.")
    waiting = waiting_files(achievements_inbox(storage))
    state = contributions_state(ledger_version(Path(contributions.path)), waiting)
    cursor = json.dumps(state, sort_keys=True)
    changed = contributions_changed(
        state, context.cursor, published_ledger_version(context.instance)
    )
    context.update_cursor(cursor)
    if not changed:
        return dg.SkipReason("Aucune contribution nouvelle.")
    return dg.RunRequest(
        run_key="realisations-" + hashlib.sha256(cursor.encode()).hexdigest()[:32],
        tags={
            "observatoire/version_contributions": str(state["ledger_version"]),
            "observatoire/nouvelles_fiches": str(len(waiting)),
            **host_tags(),
        },
    )


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Enregistre une alerte (et la transmet si c'est configuré) à chaque échec.",
)
def alert_on_run_failure(context: dg.RunFailureSensorContext):
    """Record and deliver an alert for every failed run."""
    message = context.failure_event.message or "échec sans message"
    deliver_alert(
        new_alert(f"job {context.dagster_run.job_name}", message, context.dagster_run.run_id)
    )


#: Tag of a run that repeats an interrupted one: the interrupted run's id.
RERUN_OF_TAG = "observatoire/reprise_de"
#: Tags of an interrupted run that its re-run keeps: the millésimes it covered.
RERUN_TAGS = (ASSET_PARTITION_RANGE_START_TAG, ASSET_PARTITION_RANGE_END_TAG, "dagster/partition")


#: The jobs whose interrupted runs the dead-runs sensor runs again.
RERUN_JOBS = (full_refresh_job, ingestion_job, achievements_publication_job)


@dg.sensor(
    jobs=list(RERUN_JOBS),
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marque en échec les exécutions dont le processus a disparu (arrêt forcé, "
    "manque de mémoire, redémarrage), libère leur créneau du pool duckdb_warehouse et les "
    "relance (même job, mêmes millésimes).",
)
def dead_runs_sensor(context: dg.SensorEvaluationContext):
    """Free what runs of dead processes hold, so that the runs waiting for the warehouse's
    slot proceed (see :mod:`pipelines.run_recovery`), and run their work again: files they
    archived are not scored until a run covers their millésime."""
    recovered = recover_dead_runs(context.instance)
    if not recovered:
        return dg.SkipReason("Aucune exécution interrompue.")
    context.log.info(
        "Exécution(s) interrompue(s) marquée(s) en échec, créneaux libérés : "
        + ", ".join(f"{run.job_name} ({run.run_id[:8]})" for run in recovered)
    )
    requests = []
    for dead in recovered:
        if dead.job_name not in {job.name for job in RERUN_JOBS}:
            continue  # a run started by hand from the UI: not ours to repeat
        tags = context.instance.get_run_by_id(dead.run_id).tags
        if RERUN_OF_TAG in tags:
            continue  # a re-run that died too (out of memory again?): once is enough
        requests.append(
            dg.RunRequest(
                run_key=f"reprise-{dead.run_id}",
                job_name=dead.job_name,
                tags={
                    **{name: tags[name] for name in RERUN_TAGS if name in tags},
                    RERUN_OF_TAG: dead.run_id,
                    **host_tags(),
                },
            )
        )
    return requests or dg.SkipReason("Exécution(s) interrompue(s) libérée(s), rien à relancer.")
