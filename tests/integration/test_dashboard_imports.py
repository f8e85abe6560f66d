"""The dashboard reads only the published snapshot: it never imports Dagster nor the pipeline.

A fresh interpreter imports the app, renders every registered page and calls a few
callbacks against a real publication, then lists the modules it loaded. A page that
imported ``dagster``, ``assets`` or ``pipelines`` (even indirectly) fails this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]

#: Top-level packages the dashboard must never load: the orchestrator and the pipeline.
FORBIDDEN = ("dagster", "assets", "pipelines")

# Run in the child interpreter: every page's layout, then a few callbacks, each rendered to
# the JSON Dash would send; prints what it found as one JSON object.
SCRIPT = """
import json
import sys

import dash
import plotly.utils

from dashboards import data
from dashboards.app import app

FORBIDDEN = tuple(sys.argv[1].split(","))


def rendered(component):
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


failures = []
pages = []
with app.server.test_request_context("/"):
    for page in dash.page_registry.values():
        layout = page["layout"]
        text = rendered(layout() if callable(layout) else layout)
        pages.append(page["module"])
        if "notice-error" in text:
            failures.append(page["module"])

    modules = {page["module"].rsplit(".", 1)[-1]: sys.modules[page["module"]] for page in
               dash.page_registry.values()}
    latest = data.millesimes()[-1]
    department = data.rankings(latest).query("kind == 'DEP'")["code"].tolist()
    callbacks = {
        "vue_nationale.show_millesime": lambda: modules["vue_nationale"].show_millesime(latest),
        "fiche_territoire.show_territory": lambda: modules["fiche_territoire"].show_territory(
            department[0], latest
        ),
        "comparer.show_comparison": lambda: modules["comparer"].show_comparison(
            department[:2], latest
        ),
        "axes.show_axis": lambda: modules["axes"].show_axis("LAB", latest),
        "qualite.show_millesime": lambda: modules["qualite"].show_millesime(latest),
        "methodologie.show_version": lambda: modules["methodologie"].show_version(None),
        "telechargements.show_period": lambda: modules["telechargements"].show_period(latest),
    }
    for name, call in callbacks.items():
        if "notice-error" in rendered(call()):
            failures.append(name)

# Top-level packages only (dagster, dagster_shared, dagster_duckdb…): the message stays short.
loaded = sorted({
    name.split(".")[0] for name in sys.modules
    if name.split(".")[0] in FORBIDDEN or name.split(".")[0].startswith("dagster")
})
print(json.dumps({"pages": pages, "callbacks": list(callbacks), "failures": failures,
                  "forbidden": loaded}))
"""


def test_the_dashboard_imports_neither_dagster_nor_the_pipeline(published_database, tmp_path):
    environment = {
        **os.environ,
        "OBSERVATOIRE_PUBLISHED": str(published_database),
        "OBSERVATOIRE_CACHE_DIR": str(tmp_path / "cache"),
    }
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, ",".join(FORBIDDEN)],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])

    assert report["forbidden"] == [], (
        "The dashboard must read only the published snapshot, yet it loaded: "
        + ", ".join(report["forbidden"])
    )
    assert len(report["pages"]) >= 10
    assert "dashboards.pages.methodologie" in report["pages"]
    assert len(report["callbacks"]) == 7
    assert report["failures"] == []
