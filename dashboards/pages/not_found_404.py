"""The page shown for an address the dashboard does not know (Dash Pages' 404), in French."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", title="Page introuvable — Observatoire")


def layout(**_: object) -> html.Div:
    """Say the page does not exist and lead back to the national view."""
    return html.Div(
        [
            html.H1("Page introuvable"),
            html.P("Cette adresse ne correspond à aucune page de l'observatoire."),
            dcc.Link("Revenir à la vue nationale", href=dash.get_relative_path("/")),
        ]
    )
