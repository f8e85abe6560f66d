"""Helpers shared by the tests that are not fixtures: runs of the asset graph, the small
territory reference, a dashboard server in a subprocess, test submissions."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pytest
from dagster_duckdb import DuckDBResource

from assets.partitions import all_millesimes_tags
from assets.resources import ContributionStore, PublicationTarget, SubmissionStorage
from dashboards import ids
from pipelines.definitions import all_assets, all_checks
from pipelines.demo import write_demo_submissions
from pipelines.demo_achievements import write_demo_achievements
from schemas.reference import TerritorySchema

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"

#: Millésimes of the demo used by the tests (two, to show an evolution).
TEST_MILLESIMES = (2025, 2026)

#: What a run of new files rebuilds (the ingestion job): the reference stays as it is.
INGESTION_GROUPS = ("submissions", "scoring", "achievements", "publication")


@dataclass(frozen=True)
class PipelineRun:
    """Where one real materialization of every asset left its files."""

    result: dg.ExecuteInProcessResult
    warehouse: Path
    published: Path
    incoming: Path
    archive: Path
    territories: pd.DataFrame
    demo_files: list[Path]


def demo_subset(territories: pd.DataFrame) -> pd.DataFrame:
    """Every région, département and métropole, plus a few agglomérations, CU and communes."""
    keep = territories["kind"].isin(["REG", "DEP", "ME"])
    for kind in ("CA", "CU", "COM"):
        keep |= territories.index.isin(territories.loc[territories["kind"] == kind].index[:6])
    return territories.loc[keep]


def observatory_resources(root: Path) -> dict[str, dg.ConfigurableResource]:
    """The resources of the Definitions, pointed at the warehouse and folders under ``root``."""
    return {
        "warehouse": DuckDBResource(database=str(root / "warehouse.duckdb")),
        "storage": SubmissionStorage(
            incoming_dir=str(root / "incoming"), archive_dir=str(root / "archive")
        ),
        "publication": PublicationTarget(
            published_path=str(root / "published" / "observatoire.duckdb")
        ),
        "contributions": ContributionStore(path=str(root / "contributions.sqlite")),
    }


def materialize_everything(
    root: Path, raise_on_error: bool = True, **resources
) -> dg.ExecuteInProcessResult:
    """Materialize the whole asset graph, every millésime in one run, against the warehouse
    and folders under ``root``."""
    return dg.materialize(
        [*all_assets, *all_checks],
        resources={**observatory_resources(root), **resources},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=raise_on_error,
        tags=all_millesimes_tags(),
    )


def run_demo(root: Path, territories: pd.DataFrame, questionnaire) -> PipelineRun:
    """Write the demo submissions of ``territories`` for the test millésimes into
    ``root/incoming`` and the demo réalisations into ``root/contributions.sqlite`` (their
    files in ``root/archive``), then materialize every asset against the warehouse under
    ``root``."""
    demo_files = write_demo_submissions(
        territories, questionnaire, root / "incoming", millesimes=TEST_MILLESIMES
    )
    write_demo_achievements(
        territories, questionnaire, root / "contributions.sqlite", root / "archive"
    )
    return PipelineRun(
        result=materialize_everything(root),
        warehouse=root / "warehouse.duckdb",
        published=root / "published" / "observatoire.duckdb",
        incoming=root / "incoming",
        archive=root / "archive",
        territories=territories,
        demo_files=demo_files,
    )


def materialize_groups(
    root: Path, *groups: str, raise_on_error: bool = True, tags: dict[str, str] | None = None
) -> dg.ExecuteInProcessResult:
    """Materialize the assets of ``groups``, with their checks, in a warehouse under ``root``
    (the other assets are read as they are)."""
    return dg.materialize(
        [*all_assets, *all_checks],
        selection=dg.AssetSelection.groups(*groups),
        resources=observatory_resources(root),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=raise_on_error,
        tags=tags,
    )


def materialize_reference(root: Path) -> dg.ExecuteInProcessResult:
    """Materialize the reference and the questionnaire (group ``reference``) in a warehouse
    under ``root``."""
    return materialize_groups(root, "reference")


def materialize_new_files(root: Path, raise_on_error: bool = True) -> dg.ExecuteInProcessResult:
    """What a run of new files materializes (the ingestion job, over every millésime):
    submissions, scores and publication, with their blocking checks, on a warehouse under
    ``root`` that already holds the reference and the questionnaire."""
    return materialize_groups(
        root, *INGESTION_GROUPS, raise_on_error=raise_on_error, tags=all_millesimes_tags()
    )


def publish_achievements(
    root: Path, tags: dict[str, str] | None = None, instance: dg.DagsterInstance | None = None
) -> dg.ExecuteInProcessResult:
    """Run the job ``publication_des_realisations`` (what the contributions sensor starts:
    sheet files of the inbox recorded, the achievements' tables rebuilt from the store,
    published) in this process, on the warehouse, store and folders under ``root``."""
    from pipelines.jobs import achievements_publication_job

    job = dg.Definitions(
        assets=all_assets,
        asset_checks=all_checks,
        jobs=[achievements_publication_job],
        resources=observatory_resources(root),
    ).resolve_job_def(achievements_publication_job.name)
    quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    return job.execute_in_process(
        instance=instance or dg.DagsterInstance.ephemeral(), tags=tags or {}, run_config=quiet
    )


# --- A small territory reference ----------------------------------------------------------

#: The unit tests' reference: a subset of the real one, written by :func:`small_reference`.
SMALL_REFERENCE = FIXTURES / "territories_small.csv"


def small_reference(territories: pd.DataFrame) -> pd.DataFrame:
    """Provence-Alpes-Côte d'Azur and Corse with their départements, Hauts-de-France with
    the Nord only; the EPCI of the Bouches-du-Rhône and of Corse-du-Sud, the communautés
    urbaines of the Nord; the large communes of those EPCI. Every kind of territory is
    there, and every parent of a territory."""
    regions = {"REG-93", "REG-94", "REG-32"}
    epci_departements = {"DEP-13", "DEP-2A"}
    kind = territories["kind"]
    keep = kind.eq("REG") & territories["code"].isin(regions)
    keep |= kind.eq("DEP") & territories["region"].isin(regions - {"REG-32"})
    keep |= territories["code"].eq("DEP-59")
    epci = kind.isin(["ME", "CU", "CA"]) & (
        territories["departement"].isin(epci_departements)
        | (kind.eq("CU") & territories["departement"].eq("DEP-59"))
    )
    keep |= epci
    keep |= kind.eq("COM") & territories["epci"].isin(territories.loc[epci, "code"])
    return territories.loc[keep].reset_index(drop=True)


def read_small_reference() -> pd.DataFrame:
    """The small reference of ``tests/fixtures/territories_small.csv``, typed as the real one."""
    frame = pd.read_csv(SMALL_REFERENCE, dtype=str, keep_default_na=False)
    frame = frame.astype(object).where(frame != "", None)
    frame["population"] = pd.array(
        [None if p is None else int(p) for p in frame["population"]], dtype="Int64"
    )
    for column in ("longitude", "latitude"):
        frame[column] = frame[column].astype(float)
    return TerritorySchema.validate(frame)


# --- The dashboard in a subprocess ----------------------------------------------------------


def observatory_settings(root: Path) -> dict[str, str]:
    """The environment that points the observatory at the data directory ``root``
    (warehouse, published copy, inbox, archive, alerts, contributions store)."""
    return {
        "OBSERVATOIRE_WAREHOUSE": str(root / "warehouse.duckdb"),
        "OBSERVATOIRE_PUBLISHED": str(root / "published" / "observatoire.duckdb"),
        "OBSERVATOIRE_INCOMING": str(root / "incoming"),
        "OBSERVATOIRE_ARCHIVE": str(root / "archive"),
        "OBSERVATOIRE_ALERTS": str(root / "alerts.jsonl"),
        "OBSERVATOIRE_CONTRIBUTIONS": str(root / "contributions.sqlite"),
    }


def publication_run(published: Path) -> str:
    """The id of the run that wrote the published copy ``published``."""
    with duckdb.connect(str(published), read_only=True) as con:
        return con.execute("SELECT run_id FROM publication").fetchone()[0]


def rankings_rows_body(request: dict, millesime: int, kinds: list[str] | None = None) -> dict:
    """The body the browser posts to ``/_dash-update-component`` for one ``getRowsRequest``
    of the rankings grid (no region, no band, ``kinds`` or every kind)."""
    return {
        "output": f"..{ids.RANKINGS_GRID}.getRowsResponse...{ids.RANKINGS_COUNT}.children..."
        f"{ids.RANKINGS_STATUS}.children..",
        "outputs": [
            {"id": ids.RANKINGS_GRID, "property": "getRowsResponse"},
            {"id": ids.RANKINGS_COUNT, "property": "children"},
            {"id": ids.RANKINGS_STATUS, "property": "children"},
        ],
        "inputs": [{"id": ids.RANKINGS_GRID, "property": "getRowsRequest", "value": request}],
        "state": [
            {"id": ids.RANKINGS_MILLESIME, "property": "value", "value": millesime},
            {"id": ids.RANKINGS_KINDS, "property": "value", "value": list(kinds or [])},
            {"id": ids.RANKINGS_REGION, "property": "value", "value": None},
            {"id": ids.RANKINGS_BAND, "property": "value", "value": None},
        ],
        "changedPropIds": [f"{ids.RANKINGS_GRID}.getRowsRequest"],
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_daemon(settings: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen]:
    """A real ``dagster-daemon`` over the project's definitions, in its own process group,
    its output in ``log_path``; stopped with its whole group, the code server it started
    included (which can outlive the daemon, deaf to SIGTERM)."""
    with log_path.open("wb") as log:
        daemon = subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster-daemon"), "run", "-m", "pipelines.definitions"],
            cwd=REPO_ROOT, env={**os.environ, **settings}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield daemon
        finally:
            if daemon.poll() is None:
                os.killpg(daemon.pid, signal.SIGTERM)
            daemon.wait(timeout=60)
            with suppress(ProcessLookupError):
                os.killpg(daemon.pid, signal.SIGKILL)


@contextmanager
def serve_dashboard(
    environment: dict[str, str],
    workdir: Path,
    *,
    first_request: bool = True,
    gunicorn_workers: int | None = None,
) -> Iterator[str]:
    """Run ``python -m dashboards`` with ``environment`` added; yield its base URL.

    With ``gunicorn_workers``, the server is gunicorn as in production (``gunicorn.conf.py``)
    with that many processes. Ready when ``/`` answers 200, or, with ``first_request=False``,
    as soon as the port accepts connections (no request made: Dash has not set itself up
    yet). The server's output goes to ``workdir/server.log``, shown if it stops or never
    answers.
    """
    port = _free_port()
    env = {**os.environ, **environment}
    log_path = workdir / "server.log"
    command = [sys.executable, "-m", "dashboards", "--port", str(port)]
    if gunicorn_workers:
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py",
            "--workers", str(gunicorn_workers), "--bind", f"127.0.0.1:{port}",
            "dashboards.app:server",
        ]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"Le tableau de bord s'est arrêté :\n{log_path.read_text()}")
            try:
                if not first_request:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    break
                with urllib.request.urlopen(base_url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Le tableau de bord ne répond pas :\n{log_path.read_text()}")
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Submissions ----------------------------------------------------------------------------


def best_answers(questionnaire, territory: str, kind: str) -> list[list[str]]:
    """A submission with every answer at its best: its index must be 100."""
    rows = []
    for q in questionnaire.questions_for_kind(kind).to_dict("records"):
        answer = {
            "oui_non": "oui",
            "echelle": "4",
            "pourcentage": "100" if q["higher_is_better"] else "0",
            "nombre": "1000000",
            "choix_multiple": "|".join(code for code, _ in q["options"]),
        }[q["answer_type"]]
        rows.append([territory, "2026", q["code"], answer, "Déposé depuis le tableau de bord"])
    return rows


# --- Dash component trees ------------------------------------------------------------------


def _texts(component) -> str:
    """All the text of a Dash component tree, concatenated."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(_texts(child) for child in component)
    return _texts(getattr(component, "children", None))


def _component(tree, component_id: str):
    """The component of ``tree`` with id ``component_id`` (depth-first), or None."""
    if getattr(tree, "id", None) == component_id:
        return tree
    children = getattr(tree, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = _component(child, component_id)
            if found is not None:
                return found
    return None


def _rows(table) -> int:
    """Rows of the body of a data table (``html.Table``: caption, head, body)."""
    return len(table.children[2].children)


# --- Achievement sheets ---------------------------------------------------------------------


def example_sheet(territory: str, identifier: str, axes: list[str], **fields) -> dict:
    """A complete, valid achievement sheet dict of ``territory`` on ``axes`` (written in
    2025), as the sheet reader returns it; ``fields`` override any field."""
    return {
        "code_territoire": territory,
        "identifiant": identifier,
        "titre": f"Réalisation d'essai {identifier}",
        "axes": list(axes),
        "questions": [],
        "contexte": "Un besoin partagé par les services et les habitants.",
        "realisation": "Un projet mené en régie,\npuis ouvert aux partenaires.",
        "partenaires_publics": ["Région"],
        "partenaires_academiques": ["Université"],
        "partenaires_prives": [],
        "partenaires_associatifs": ["Association de médiation"],
        "budget_euros": 80000.0,
        "financements": [{"financeur": "Région", "part": 50.0, "montant_euros": 40000.0}],
        "date_debut": "2024-09",
        "date_fin": "2025-06",
        "annee": 2025,
        "resultats": "Trois services ouverts, 1 200 usagers la première année.",
        "retours_experience": "Associer les agents dès le début.",
        "transferabilite": "Adaptable par une collectivité de même taille.",
        "territoires_cibles": ["DEP", "CA"],
        "cout_adaptation_euros": 20000.0,
        "liens": ["https://exemple.fr/projet"],
        "contact_fonction": "Direction du numérique",
        "licence": "Licence Ouverte 2.0",
        **fields,
    }
