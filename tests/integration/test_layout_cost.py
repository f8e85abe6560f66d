"""Building a page's layout costs the same whatever the data: a file whose report has tens
of thousands of lines adds nothing to any layout (the lines are loaded page by page by the
report grid's callback)."""

from __future__ import annotations

import json

import dash
import duckdb
import plotly.utils

#: Lines added to the report of one quarantined file.
ADDED_LINES = 20_000


def layouts() -> dict[str, str]:
    """The JSON of every page's layout, as Dash would send it."""
    from dashboards.app import app

    texts = {}
    with app.server.test_request_context("/"):
        for page in dash.page_registry.values():
            layout = page["layout"]
            component = layout() if callable(layout) else layout
            texts[page["module"]] = json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)
    return texts


def lengthen_a_report(published, lines: int) -> str:
    """Add ``lines`` lines to the report of a quarantined file of the latest millésime, as a
    report without a bound would have them; return the file's name."""
    with duckdb.connect(str(published)) as con:
        sha256, name = con.execute(
            """SELECT sha256, file_name FROM submission_files
               WHERE status = 'rejetée' ORDER BY millesime DESC NULLS LAST LIMIT 1"""
        ).fetchone()
        con.execute(
            """INSERT INTO validation_issues BY NAME
               SELECT ? AS sha256, ? AS file_name, 1000 + i AS line, 'D (reponse)' AS "column",
                      'LAB_01' AS question, 'peut-être' AS value, 'erreur' AS severity,
                      'Réponse « peut-être » invalide : ' || i AS message,
                      'reponse_invalide' AS rule
               FROM range(?) r(i)""",
            [sha256, name, lines],
        )
        con.execute(
            "UPDATE submission_files SET errors = errors + ? WHERE sha256 = ?", [lines, sha256]
        )
    return name


def test_no_layout_grows_with_the_lines_of_a_report(published_copy):
    before = {module: len(text) for module, text in layouts().items()}
    name = lengthen_a_report(published_copy, ADDED_LINES)
    after = layouts()
    assert set(after) == set(before)
    quality = next(text for module, text in after.items() if module.endswith(".qualite"))
    assert name in quality  # the file is listed, with its counts, but none of its lines
    grown = {
        module: len(text) - before[module]
        for module, text in after.items()
        # A few characters for the counts written out ("20 002 erreurs"), no more.
        if abs(len(text) - before[module]) > 100
    }
    assert not grown, f"mises en page qui grossissent avec le rapport de {name} : {grown}"
