"""Time to validate every file of the demo (514 territories × 3 millésimes, 1,546 files)
against the time DuckDB takes to read the same files (the floor, measured in the same run).

The files are written and archived once in a temporary folder, then validated three ways:
all of them with nothing known (what a first run does), all of them again with every
validation kept from the first pass (what a run without a new file does), and one new file
beside the others kept (what the inbox sensor's run for one file does). Not a test: figures,
no thresholds.

    .venv/bin/python benchmarks/validation_many_files.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))


def main() -> None:
    import duckdb

    from domain.questionnaire import load_questionnaires
    from domain.reference import load_territory_reference
    from domain.submissions.archive import archive_file
    from domain.submissions.validation import validate_received_files
    from pipelines.demo import write_demo_submissions

    questionnaires = load_questionnaires()
    territories = load_territory_reference()
    with tempfile.TemporaryDirectory(prefix="validation-bench-") as folder:
        root = Path(folder)
        paths = write_demo_submissions(territories, questionnaires, root / "incoming")
        files = [archive_file(path, root / "archive") for path in paths]
        csv_files = [f.archive_path for f in files if f.archive_path.endswith(".csv")]
        print(f"{len(files)} fichiers, {len(territories)} territoires")

        started, cpu = time.perf_counter(), time.process_time()
        answers = duckdb.sql(
            "SELECT code_territoire, count(*) AS n FROM read_csv(?, all_varchar = true, "
            "union_by_name = true, filename = true, ignore_errors = true) GROUP BY ALL",
            params=[csv_files],
        ).fetchall()
        floor, floor_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"plancher DuckDB (read_csv + GROUP BY, {len(answers)} groupes) : {floor:6.2f} s "
            f"({floor_cpu:.2f} s de processeur, tous cœurs)"
        )

        columns = territories[["code", "kind"]]
        started, cpu = time.perf_counter(), time.process_time()
        first = validate_received_files(files, columns, questionnaires)
        full, full_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"validation de tous les fichiers : {full:6.2f} s ({full / floor:.1f}× le plancher), "
            f"{full_cpu:6.2f} s de processeur, {len(first.answers)} réponses, "
            f"{len(first.issues)} lignes de rapport"
        )
        known = getattr(first, "known", None)
        if known is None:  # before validations were kept: nothing more to measure
            return
        started = time.perf_counter()
        again = validate_received_files(files, columns, questionnaires, known=known)
        reused = time.perf_counter() - started
        print(
            f"second passage, rien de nouveau : {reused:6.2f} s "
            f"({again.files_validated} validé(s), {again.files_reused} réutilisé(s))"
        )
        started = time.perf_counter()
        partial = again.known.without(files[0].sha256)
        one = validate_received_files(files, columns, questionnaires, known=partial)
        single = time.perf_counter() - started
        print(
            f"un fichier nouveau : {single:6.2f} s "
            f"({one.files_validated} validé(s), {one.files_reused} réutilisé(s))"
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
