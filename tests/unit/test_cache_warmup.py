"""The shared cache after a publication: one process computes a missing entry while the
others wait for it, and the cache is warmed once per publication."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb

from dashboards.data import connection


def test_a_missing_entry_is_computed_once_by_concurrent_requests(tmp_path, monkeypatch):
    published = tmp_path / "observatoire.duckdb"
    duckdb.connect(str(published)).close()
    monkeypatch.setenv(connection.PUBLISHED_ENV, str(published))
    monkeypatch.setenv(connection.CACHE_DIR_ENV, str(tmp_path / "cache"))
    calls, started = [], threading.Barrier(6)

    def compute() -> int:  # a slow query: the other requests arrive while it runs
        calls.append(1)
        time.sleep(0.3)
        return 42

    def request(_: int) -> int:
        started.wait()
        return connection.cached("lente", [1], compute)

    with ThreadPoolExecutor(6) as pool:
        assert list(pool.map(request, range(6))) == [42] * 6
    assert len(calls) == 1
    # Reentrant: a computation may read another entry of the same lock stripe.
    nested = connection.cached("outer", [], lambda: connection.cached("inner", [], lambda: 7))
    assert nested == 7


def test_the_publication_hooks_run_once_per_publication_across_processes(tmp_path, monkeypatch):
    published = tmp_path / "observatoire.duckdb"
    duckdb.connect(str(published)).close()
    monkeypatch.setenv(connection.PUBLISHED_ENV, str(published))
    monkeypatch.setenv(connection.CACHE_DIR_ENV, str(tmp_path / "cache"))
    runs: list[str] = []
    done = threading.Event()
    monkeypatch.setattr(connection, "_publication_hooks", [lambda: (runs.append("x"), done.set())])
    monkeypatch.setattr(connection, "_seen_versions", set())

    connection.cached("a", [], lambda: 1)
    assert done.wait(10)
    connection._seen_versions.clear()  # as another worker process would start
    connection.cached("b", [], lambda: 1)
    assert runs == ["x"]

    # A new publication (another size or mtime) is warmed again.
    with duckdb.connect(str(published)) as con:
        con.execute("create table t as select 1 as x")
    done.clear()
    connection.cached("c", [], lambda: 1)
    assert done.wait(10) and runs == ["x", "x"]
