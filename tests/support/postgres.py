"""A real PostgreSQL server for a test: Debian's ``postgresql`` binaries, a cluster created in
a temporary folder, listening on a free port of 127.0.0.1, stopped and removed afterwards.

PostgreSQL refuses to run as root: as root (CI), ``initdb`` and ``pg_ctl`` run as the
``postgres`` user the Debian package creates (``runuser``); as anyone else, as themselves.
Without the binaries the test is skipped with the command that installs them (and fails
on CI, where ``make test`` installs them).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

#: Where Debian installs the server's binaries, one folder per major version.
DEBIAN_POSTGRESQL = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class PostgresServer:
    """How to reach the test's server (password authentication, as in production)."""

    host: str
    port: int
    user: str
    password: str
    database: str

    def environment(self) -> dict[str, str]:
        """The ``DAGSTER_PG_*`` variables ``pipelines/dagster.production.yaml`` reads."""
        return {
            "DAGSTER_PG_HOST": self.host,
            "DAGSTER_PG_PORT": str(self.port),
            "DAGSTER_PG_USER": self.user,
            "DAGSTER_PG_PASSWORD": self.password,
            "DAGSTER_PG_DB": self.database,
        }

    def dsn(self) -> str:
        return (
            f"host={self.host} port={self.port} user={self.user} "
            f"password={self.password} dbname={self.database}"
        )


def postgres_binaries() -> Path | None:
    """The ``bin`` folder of the newest PostgreSQL Debian installed, or None."""
    found = sorted(
        (p.parent for p in DEBIAN_POSTGRESQL.glob("*/bin/initdb")),
        key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _skip_or_fail(reason: str) -> None:
    message = f"{reason} : test de l'instance PostgreSQL ignoré (« make test-packages » en root, ou « apt-get install postgresql »)."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server(database: str = "dagster") -> Iterator[PostgresServer]:
    """Start a PostgreSQL server of its own (cluster in a temporary folder, free port,
    ``database`` created); yield how to reach it; stop it and remove its folder."""
    binaries = postgres_binaries()
    if binaries is None:
        _skip_or_fail(f"PostgreSQL absent ({DEBIAN_POSTGRESQL}/*/bin/initdb)")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            _skip_or_fail("Pas d'utilisateur « postgres » pour lancer le serveur hors root")
        as_user = ["runuser", "-u", "postgres", "--"]

    server = PostgresServer(
        host="127.0.0.1", port=_free_port(), user="observatoire",
        password="mot-de-passe-de-test", database=database,
    )  # fmt: skip
    # Not under pytest's tmp_path: its parents are readable by their owner only.
    root = Path(tempfile.mkdtemp(prefix="observatoire-postgres-"))
    data = root / "data"
    password_file = root / "password"
    password_file.write_text(server.password + "\n")
    if owner is not None:
        os.chown(root, owner.pw_uid, owner.pw_gid)
        os.chown(password_file, owner.pw_uid, owner.pw_gid)

    def run(*command: str) -> None:
        """Run a PostgreSQL command as the cluster's owner; fail with its output and log."""
        done = subprocess.run(
            [*as_user, *command], capture_output=True, text=True, cwd=root, check=False
        )
        if done.returncode != 0:
            log = root / "server.log"
            pytest.fail(
                f"{' '.join(command)} : {done.stdout}{done.stderr}"
                + (log.read_text() if log.exists() else "")
            )

    started = False
    try:
        run(
            str(binaries / "initdb"), "--pgdata", str(data), "--username", server.user,
            "--pwfile", str(password_file), "--auth", "scram-sha-256", "--encoding", "UTF8",
            "--locale", "C", "--no-sync",
        )  # fmt: skip
        # A throwaway cluster: no durability, fewer writes.
        options = (
            f"-c listen_addresses={server.host} -p {server.port} -k {root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        # --wait: pg_ctl returns once the server accepts connections.
        run(str(binaries / "pg_ctl"), "--pgdata", str(data), "--log", str(root / "server.log"),
            "--options", options, "--wait", "start")  # fmt: skip
        started = True
        import psycopg2

        con = psycopg2.connect(server.dsn().replace(f"dbname={database}", "dbname=postgres"))
        con.autocommit = True  # CREATE DATABASE runs outside a transaction
        try:
            con.cursor().execute(f'CREATE DATABASE "{database}"')
        finally:
            con.close()
        yield server
    finally:
        if started:
            run(str(binaries / "pg_ctl"), "--pgdata", str(data), "--mode", "fast", "--wait", "stop")
        shutil.rmtree(root, ignore_errors=True)
