"""Benchmark: fuzz the submission entry points with thousands of generated files.

Files are written by the hypothesis strategies of ``tests/support/fuzzing.py`` (dialects,
encodings, the long template and the wide export, valid, ambiguous and invalid answers,
mutations of rows and columns, openpyxl workbooks and what can be done to their zip), after a
seed corpus (the tests' tricky files, LibreOffice and openpyxl round trips). Each file is
validated in-process; one file in ``--every`` (and every file whose validation raised, is
over 200 kB or took over half a second) also goes through ``observatoire validate`` and
``observatoire submit`` (``pipelines.cli.main`` in-process, output captured) and the upload
service, against the small reference of ``tests/fixtures/territories_small.csv``.

Prints the files tried, the crashes (tracebacks, exit codes outside 0/1/2), the files whose
archive differs from the bytes sent, the files accepted with a value different from the one
written (or with an answer that had to be rejected), the valid files rejected (not a
failure: a form the reader does not accept yet), the worst time and peak memory per file,
and a floor measured in the same run: reading the same bytes with the standard library alone
(csv module, or zipfile inflating every entry). A few files of each failure class are saved
with what they mean, for replay (``observatoire validate FILE``). Not a test: figures.

    .venv/bin/python benchmarks/fuzz_submissions.py --examples 10000 [--seed 0] [--every 20]
    .venv/bin/python benchmarks/fuzz_submissions.py --replay DOSSIER   # rejoue les exemples
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from domain.questionnaire import load_questionnaires  # noqa: E402
from tests.helpers import read_small_reference  # noqa: E402
from tests.support.fuzzing import (  # noqa: E402
    ACCEPTED_BAD,
    ARCHIVE,
    CHANGED,
    CRASH,
    FAILURES,
    REJECTED_VALID,
    Context,
    FuzzReport,
    fuzz,
    saved_case,
    scratch_harness,
    seed_corpus,
)


def _mb(n: int | None) -> str:
    return "?" if n is None else f"{n / 1e6:.1f} Mo"


def replay(context: Context, folder: Path) -> int:
    """Run the oracles again on each file saved in ``folder``; print what each still breaks."""
    files = sorted(p for p in folder.iterdir() if p.suffix != ".json")
    failing = 0
    with scratch_harness(context, every=1) as harness:
        for path in files:
            outcome = harness.check(saved_case(path))
            broken = [f for f in outcome.findings if f.oracle in FAILURES]
            failing += bool(broken)
            print(f"{path.name} : " + ("; ".join(sorted({f"{f.oracle} ({f.kind})" for f in broken}))
                                      or "plus aucun échec"))  # fmt: skip
    print(f"{failing} fichier(s) sur {len(files)} échouent encore")
    return 1 if failing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="fichiers générés")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--every", type=int, default=20,
        help="la ligne de commande et le dépôt en ligne sur un fichier sur N (1 : tous)",
    )  # fmt: skip
    parser.add_argument("--no-corpus", action="store_true", help="sans le corpus de départ")
    parser.add_argument("--no-libreoffice", action="store_true")
    parser.add_argument("--save", type=Path, default=None, help="dossier des exemples gardés")
    parser.add_argument(
        "--replay", type=Path, default=None, metavar="DOSSIER",
        help="rejoue les exemples gardés par une exécution précédente, puis s'arrête",
    )  # fmt: skip
    args = parser.parse_args()

    context = Context(load_questionnaires(), read_small_reference())
    if args.replay:
        return replay(context, args.replay)
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="fuzz-corpus-"))
    corpus = (
        []
        if args.no_corpus
        else seed_corpus(context, work, libreoffice=0 if args.no_libreoffice else 3)
    )
    print(f"corpus de départ : {len(corpus)} fichiers ({time.perf_counter() - started:.1f} s)")
    step = max(1, args.examples // 20)

    def progress(report: FuzzReport) -> None:
        if report.files % step == 0:
            elapsed = time.perf_counter() - started
            print(
                f"  {report.files} fichiers, {elapsed:.0f} s ; fichiers qui plantent "
                f"{report.files_with(CRASH)}, archives différentes {report.files_with(ARCHIVE)}, "
                f"valeurs changées {report.files_with(CHANGED)}, acceptés à tort "
                f"{report.files_with(ACCEPTED_BAD)}",
                flush=True,
            )

    with scratch_harness(context, every=args.every) as harness:
        report = fuzz(harness, args.examples, seed=args.seed, corpus=corpus, progress=progress)
        full_runs, reused = harness.full_runs, harness.reused
    elapsed = time.perf_counter() - started
    crashed = report.files_with(CRASH)
    print()
    print(f"fichiers essayés : {report.files} ({', '.join(f'{f} {n}' for f, n in report.families.most_common())}), "
          f"dont {report.distinct} distincts, {report.accepted} acceptés ; durée {elapsed:.0f} s")  # fmt: skip
    print(f"passés aussi par la ligne de commande et le dépôt en ligne : {full_runs} "
          f"(un sur {args.every}, plus les fichiers suspects) ; relus de mémoire : {reused}")  # fmt: skip
    print(f"fichiers qui plantent (trace ou code hors 0/1/2) : {crashed}")
    print(f"fichiers dont l'archive diffère des octets envoyés : {report.files_with(ARCHIVE)}")
    print(
        f"fichiers acceptés avec une valeur différente de celle écrite : {report.files_with(CHANGED)}"
    )
    print(
        f"fichiers acceptés alors qu'ils devaient être rejetés : {report.files_with(ACCEPTED_BAD)}"
    )
    print(f"fichiers valides rejetés (pas un échec) : {report.files_with(REJECTED_VALID)}")
    print()
    print(report.summary())
    print()
    slow, hungry, floor = report.slowest, report.slowest_all, report.worst_floor
    print(f"pire temps de validation d'un fichier : {slow.seconds:.2f} s ({slow.case.describe()})")
    if hungry is not None:
        print(f"pire temps par toutes les entrées : {hungry.all_entry_points_seconds:.2f} s "
              f"({hungry.case.describe()})")  # fmt: skip
    if report.hungriest is not None:
        print(f"pic mémoire (tracemalloc, observatoire validate) : {_mb(report.hungriest.peak_bytes)} "
              f"({report.hungriest.case.describe()})")  # fmt: skip
    print(f"plancher (csv / zipfile seuls) : pire {floor.floor_seconds:.2f} s "
          f"({floor.case.describe()}), total {report.total_floor_seconds:.1f} s "
          f"contre {report.total_seconds:.1f} s de validation")  # fmt: skip
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"mémoire résidente maximale du processus : {max_rss:.0f} Mo")
    if any(report.failures().values()):
        folder = args.save or Path(tempfile.mkdtemp(prefix="fuzz-exemples-"))
        saved = report.save_examples(folder)
        print(f"exemples gardés pour rejouer : {len(saved)} dans {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
