"""Run the dashboard locally: ``python -m dashboards [--host 127.0.0.1] [--port 8050]``."""

from __future__ import annotations

import argparse


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the dashboard with Flask (debug off)."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboards",
        description="Tableau de bord de l'observatoire de la maturité numérique des territoires.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port d'écoute (8050)")
    arguments = parser.parse_args(argv)

    from dashboards.app import app  # imported late: --help must not build the app

    app.run(host=arguments.host, port=arguments.port, debug=False)


if __name__ == "__main__":
    main()
