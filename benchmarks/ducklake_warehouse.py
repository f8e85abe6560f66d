"""The warehouse in DuckLake (catalog in a DuckDB file or in PostgreSQL, data as Parquet
files) against the DuckDB file it is today: time to write every table, time to read them
back, latency of a short query, bytes on disk. The DuckDB file is the floor, measured in
the same run.

DuckLake's extension cannot be downloaded at run time, and the PyPI packages that ship it
are built for one DuckDB each (``duckdb-extension-ducklake==1.5.5`` requires
``duckdb==1.5.5``; none exists for the project's ``duckdb==2.0.0``). This script therefore
runs in a scratch environment, never in the project's ``.venv``::

    # 1. The tables, as Parquet, with the project's DuckDB (its file format is 2.0's):
    .venv/bin/python -c "import duckdb; duckdb.connect('var/warehouse.duckdb', read_only=True)\
.execute(\\"EXPORT DATABASE '/tmp/lake-source' (FORMAT parquet)\\")"
    # 2. A scratch environment with DuckDB 1.5.5 and the extension packages:
    python3.11 -m venv /tmp/lake-venv
    /tmp/lake-venv/bin/pip install duckdb==1.5.5 duckdb-extension-ducklake==1.5.5 \\
        duckdb-extension-postgres-scanner==1.5.5 psycopg2-binary==2.9.13 pytest
    # 3. The measure (PostgreSQL catalog: Debian's postgresql, started in a temporary folder):
    /tmp/lake-venv/bin/python benchmarks/ducklake_warehouse.py /tmp/lake-source

The extensions are installed from the packages' files into a temporary extension folder
(``INSTALL '<file>'``), nothing is fetched. Figures: docs/deploiement.md, « Entrepôt au-delà
d'une machine ».
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: (package, extension) of the PyPI packages that ship the extensions.
EXTENSION_PACKAGES = (
    ("duckdb_extension_ducklake", "ducklake"),
    ("duckdb_extension_postgres_scanner", "postgres_scanner"),
)


def connect(extension_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with DuckLake and postgres loaded from the packages' files."""
    con = duckdb.connect(
        config={"extension_directory": str(extension_dir), "autoinstall_known_extensions": False}
    )
    for package, name in EXTENSION_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None:
            sys.exit(f"Paquet {package} absent : voir la docstring de ce script.")
        (binary,) = Path(spec.origin).parent.glob("extensions/*/*.duckdb_extension")
        con.execute(f"INSTALL '{binary}'")
        con.execute(f"LOAD {name}")
    return con


def tables_of(source: Path) -> dict[str, Path]:
    """The tables of an ``EXPORT DATABASE`` folder: one Parquet file each."""
    return {path.stem: path for path in sorted(source.glob("*.parquet"))}


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(
    con: duckdb.DuckDBPyConnection,
    attach: Callable[[int], str],
    size: Callable[[int], int],
    tables: dict[str, Path],
    repeats: int,
) -> dict[str, float]:
    """Write every table into a new database ``lake`` (``attach(i)`` for repeat ``i``), read
    them back, time a short query: the median of ``repeats`` for each; bytes on disk of the
    first."""
    largest = max(tables, key=lambda name: tables[name].stat().st_size)
    writes, reads, shorts = [], [], []
    for repeat in range(repeats):
        con.execute(attach(repeat))

        def write() -> None:
            con.execute("BEGIN")
            for name, path in tables.items():
                con.execute(f"CREATE TABLE lake.\"{name}\" AS FROM read_parquet('{path}')")
            con.execute("COMMIT")

        writes.append(timed(write))
        reads.append(timed(lambda: [con.execute(f'FROM lake."{name}"').df() for name in tables]))
        shorts.append(
            statistics.median(
                timed(lambda: con.execute(f'SELECT count(*) FROM lake."{largest}"').fetchone())
                for _ in range(50)
            )
        )
        con.execute("DETACH lake")
    return {
        "write": statistics.median(writes),
        "read": statistics.median(reads),
        "short": statistics.median(shorts),
        "bytes": size(0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="dossier d'un EXPORT DATABASE (FORMAT parquet)")
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    tables = tables_of(args.source)
    if not tables:
        sys.exit(f"Aucun fichier Parquet dans {args.source}.")
    work = Path(tempfile.mkdtemp(prefix="ducklake-bench-"))
    con = connect(work / "extensions")
    rows = sum(con.execute(f"SELECT count(*) FROM '{p}'").fetchone()[0] for p in tables.values())
    print(f"DuckDB {duckdb.__version__} ; {len(tables)} tables, {rows:,} lignes ".replace(",", " ")
          + f"({folder_bytes(args.source) / 1e6:.1f} Mo de Parquet en entrée)")  # fmt: skip
    print(f"{'cible':<34} {'écriture':>9} {'lecture':>9} {'requête courte':>15} {'sur disque':>11}")

    def report(label: str, figures: dict[str, float]) -> None:
        print(
            f"{label:<34} {figures['write']:>8.2f}s {figures['read']:>8.2f}s"
            f" {figures['short'] * 1000:>12.2f} ms {figures['bytes'] / 1e6:>8.1f} Mo"
        )

    repeats = args.repetitions
    try:
        figures = measure(
            con,
            lambda i: f"ATTACH '{work / f'warehouse-{i}.duckdb'}' AS lake",
            lambda i: (work / f"warehouse-{i}.duckdb").stat().st_size,
            tables,
            repeats,
        )
        report("fichier DuckDB (plancher)", figures)

        def lake(i: int) -> tuple[Path, Path]:
            return work / f"catalog-{i}.ducklake", work / f"lake-data-{i}"

        figures = measure(
            con,
            lambda i: f"ATTACH 'ducklake:{lake(i)[0]}' AS lake (DATA_PATH '{lake(i)[1]}/')",
            lambda i: lake(i)[0].stat().st_size + folder_bytes(lake(i)[1]),
            tables,
            repeats,
        )
        report("DuckLake, catalogue DuckDB", figures)

        import psycopg2

        from tests.support.postgres import postgres_server

        with postgres_server(database="ducklake") as server:
            pg = psycopg2.connect(server.dsn())
            pg.autocommit = True
            for i in range(repeats):
                pg.cursor().execute(f"CREATE DATABASE lake_{i}")
            pg.cursor().execute("CREATE DATABASE lake_empty")

            def catalog_bytes(i: int) -> int:
                cursor = pg.cursor()
                cursor.execute("SELECT pg_database_size(%s)", (f"lake_{i}",))
                return cursor.fetchone()[0]

            def dsn(i: int) -> str:
                return server.dsn().replace(f"dbname={server.database}", f"dbname=lake_{i}")

            figures = measure(
                con,
                lambda i: (
                    f"ATTACH 'ducklake:postgres:{dsn(i)}' AS lake"
                    f" (DATA_PATH '{work / f'lake-data-pg-{i}'}/')"
                ),
                lambda i: catalog_bytes(i) + folder_bytes(work / f"lake-data-pg-{i}"),
                tables,
                repeats,
            )
            report("DuckLake, catalogue PostgreSQL", figures)
            cursor = pg.cursor()
            cursor.execute("SELECT pg_database_size('lake_empty')")
            print(
                f"  (dont catalogue PostgreSQL : {catalog_bytes(0) / 1e6:.1f} Mo,"
                f" dont {cursor.fetchone()[0] / 1e6:.1f} Mo pour une base vide)"
            )
            pg.close()
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
