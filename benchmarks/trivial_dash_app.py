"""The floor of the dashboard latency benchmark: a Dash app with one trivial callback.

Served exactly as the dashboard is (gunicorn, ``gunicorn.conf.py``, the same workers), it
measures what Dash, Flask and gunicorn cost for one ``/_dash-update-component`` round trip
on this machine, with nothing of the observatory in it:

    gunicorn -c gunicorn.conf.py --chdir benchmarks trivial_dash_app:server
"""

from __future__ import annotations

import dash
from dash import Input, Output, dcc, html

app = dash.Dash(__name__, serve_locally=True)
app.layout = html.Div([dcc.Input(id="entree", value="x"), html.P(id="sortie")])


@app.callback(Output("sortie", "children"), Input("entree", "value"))
def echo(value: str | None) -> str:
    """Send the value back: the cheapest callback there is."""
    return f"Valeur : {value}"


server = app.server
