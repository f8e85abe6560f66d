"""Dash dashboard of the observatory of the digital maturity of French territories.

``dashboards.app.create_app()`` builds the application; ``python -m dashboards`` runs it
locally and ``gunicorn dashboards.app:server`` serves it in production.
"""
