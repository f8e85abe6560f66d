"""The national map's weight and build time, at the published scope and at ~35,000 communes.

Prints, for the published file (the page's default view, warm cache):
- the time to build the map (``vue_nationale.map_figure``) and, apart, its table twin (built
  when a visitor opens it), beside the floor: reading the map's data from the warm cache
  (``data.measure``);
- the size of the figure as sent (Plotly JSON) and of each level's GeoJSON (insets in);
then, for a synthetic layer of ``--communes`` communes (every one scored or not at random):
- the figure's size and build time with every commune as a point (what an unbounded map
  would send) and with the bound (:data:`~dashboards.figures.maps.MAX_LAYER_POINTS`: one disc
  per département beyond it).
Not a test: figures, no thresholds.

    .venv/bin/python benchmarks/national_map.py [--published var/published/observatoire.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.support.synthetic_scope import synthetic_communes  # noqa: E402


def _median_seconds(action: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _figure_bytes(figure: Any) -> int:
    return len(json.dumps(figure.to_plotly_json(), default=str).encode())


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", default="var/published/observatoire.duckdb")
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    os.environ["OBSERVATOIRE_PUBLISHED"] = str(Path(arguments.published).resolve())
    os.environ["OBSERVATOIRE_CACHE_DIR"] = tempfile.mkdtemp(prefix="map-bench-cache-")
    os.environ["OBSERVATOIRE_WARM_CACHE"] = "0"

    from dashboards import data, figures
    from dashboards.app import app
    from dashboards.pages import vue_nationale

    with app.server.test_request_context("/"):
        view = vue_nationale.MapView(max(data.millesimes()))
        figure = vue_nationale.map_figure(view)  # fills the cache
        build = _median_seconds(lambda: vue_nationale.map_figure(view), arguments.repeat)
        table = _median_seconds(
            lambda: vue_nationale.map_table(view, *vue_nationale.map_frames(view)),
            arguments.repeat,
        )
        floor = _median_seconds(lambda: data.measure(view.millesime, view.axis), arguments.repeat)
        territories = len(data.territories())
        print(f"Published scope: {territories} territories ({arguments.published})")
        print(f"  map built in {build * 1000:.0f} ms (median of {arguments.repeat})")
        print(f"  its table twin, when opened, in {table * 1000:.0f} ms")
        print(f"  floor, the map's data read from the warm cache: {floor * 1000:.1f} ms")
        print(f"  figure JSON: {_figure_bytes(figure) / 1000:.1f} kB")
        for level in data.MAP_LEVELS:
            size = len(json.dumps(data.map_geojson(level)).encode())
            print(
                f"  GeoJSON {level} (insets in, served once per publication): {size / 1000:.0f} kB"
            )

        levels = data.maturity_levels()
    communes = synthetic_communes(arguments.communes, departements=95)
    names = {f"DEP-{number:02d}": f"Département {number}" for number in range(1, 96)}
    outlines = communes.iloc[0:0]
    print(f"Synthetic layer of {arguments.communes} communes (layer 'communes' alone):")
    for label, markers in (
        ("every commune a point", communes.assign(aggregated=False)),
        (
            f"bounded ({figures.MAX_LAYER_POINTS} points, else one disc per département)",
            None,
        ),
    ):

        def build_map(markers: pd.DataFrame | None = markers) -> Any:
            drawn = figures.bounded_markers(communes, names) if markers is None else markers
            return figures.territory_map(
                outlines, drawn, "/carte/DEP.geojson", levels, layers=["communes"]
            )

        seconds = _median_seconds(build_map, arguments.repeat)
        figure = build_map()
        points = sum(
            len(trace.lon or [])
            for trace in figure.data
            if trace.type == "scattergeo" and trace.mode == "markers"
        )
        print(
            f"  {label}: {points} marker paths (halo included), "
            f"figure {_figure_bytes(figure) / 1e6:.2f} MB, built in {seconds * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
