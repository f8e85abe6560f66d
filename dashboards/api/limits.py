"""The per-client rate limit of the API (Flask-Limiter), set from the environment.

One limit, shared by every blueprint of the API (``/api/v1/…``), counted per client address:
the dashboard's pages, its callbacks and the files of ``/donnees`` are not limited. Settings:

- ``OBSERVATOIRE_API_RATE_LIMIT``: the limit, in Flask-Limiter's notation (``300 per minute``,
  ``20 per second; 5000 per day``); default :data:`DEFAULT_RATE_LIMIT`;
- ``OBSERVATOIRE_API_RATE_LIMIT_STORAGE``: where the counts are kept (``memory://``, the
  default: each gunicorn process counts on its own, so a client may make up to the number of
  processes times the limit; ``redis://host:6379`` for one count shared by every process).

The client is ``request.remote_addr``, the address of the connection. Behind a reverse proxy
that is the proxy's, shared by every client: ``OBSERVATOIRE_TRUSTED_PROXIES`` (default 0)
says how many proxies stand in front of gunicorn, and the client's address is then read
from the ``X-Forwarded-For`` they add (werkzeug's ``ProxyFix``; gunicorn's
``forwarded_allow_ips`` only governs the scheme headers, not the address). Set it only when
gunicorn cannot be reached but through those proxies: otherwise a client could name any
address in the header (docs/deploiement.md).
"""

from __future__ import annotations

import os

import flask
import limits
from flask_limiter import HeaderNames, Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

RATE_LIMIT_ENV = "OBSERVATOIRE_API_RATE_LIMIT"
RATE_LIMIT_STORAGE_ENV = "OBSERVATOIRE_API_RATE_LIMIT_STORAGE"
TRUSTED_PROXIES_ENV = "OBSERVATOIRE_TRUSTED_PROXIES"
DEFAULT_RATE_LIMIT = "300 per minute"
DEFAULT_RATE_LIMIT_STORAGE = "memory://"
#: Every blueprint of the API draws on this one count.
SCOPE = "api"

#: French names of the periods of a limit.
PERIODS = {
    "second": ("seconde", "secondes"),
    "minute": ("minute", "minutes"),
    "hour": ("heure", "heures"),
    "day": ("jour", "jours"),
    "month": ("mois", "mois"),
    "year": ("an", "ans"),
}


def rate_limit() -> str:
    """The configured limit (checked: a limit Flask-Limiter cannot read stops the start)."""
    value = (os.environ.get(RATE_LIMIT_ENV) or DEFAULT_RATE_LIMIT).strip()
    try:
        limits.parse_many(value)
    except ValueError as error:
        raise ValueError(
            f"{RATE_LIMIT_ENV} illisible : « {value} ». Exemples : « 300 per minute », "
            "« 10 per second; 5000 per day »."
        ) from error
    return value


def rate_limit_storage() -> str:
    """Where the counts are kept (a URI of the ``limits`` library)."""
    return (os.environ.get(RATE_LIMIT_STORAGE_ENV) or DEFAULT_RATE_LIMIT_STORAGE).strip()


def trusted_proxies() -> int:
    """How many reverse proxies stand in front of gunicorn (0: clients connect directly)."""
    value = (os.environ.get(TRUSTED_PROXIES_ENV) or "0").strip()
    if not value.isdigit():
        raise ValueError(
            f"{TRUSTED_PROXIES_ENV} doit être un nombre entier de proxys (0, 1…), pas « {value} »."
        )
    return int(value)


def trust_proxies(server: flask.Flask) -> None:
    """Read the client's address from ``X-Forwarded-For`` when :func:`trusted_proxies`
    proxies stand in front of the server (werkzeug's ``ProxyFix``)."""
    count = trusted_proxies()
    if count:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=count)  # type: ignore[method-assign]


def describe(item: limits.RateLimitItem) -> str:
    """A limit in French: ``300 requêtes par minute``, ``10 requêtes par 2 heures``."""
    singular, plural = PERIODS.get(item.GRANULARITY.name, (item.GRANULARITY.name,) * 2)
    period = singular if item.multiples == 1 else f"{item.multiples} {plural}"
    requests = "requête" if item.amount == 1 else "requêtes"
    return f"{item.amount} {requests} par {period}"


def retry_after_only_when_refused(response: flask.Response) -> flask.Response:
    """Keep ``Retry-After`` on the 429s only: Flask-Limiter writes it on every answer it
    counts, where it would tell a client to wait after a success (RFC 9110 § 10.2.3)."""
    if response.status_code != 429:
        response.headers.pop("Retry-After", None)
    return response


def create_limiter(server: flask.Flask) -> Limiter:
    """Flask-Limiter on ``server``, with no limit of its own (the API's blueprints get theirs
    from :func:`limit_blueprint`); the ``X-RateLimit-*`` headers on every counted answer,
    ``Retry-After`` on the refused ones (429); the client's address read behind the trusted
    proxies (:func:`trust_proxies`); the preflights not counted (:func:`is_preflight`)."""
    trust_proxies(server)
    # Flask runs the after-request functions last registered first: registered before
    # Flask-Limiter's, this one sees the headers it wrote.
    server.after_request(retry_after_only_when_refused)
    limiter = Limiter(
        key_func=get_remote_address,
        storage_uri=rate_limit_storage(),
        headers_enabled=True,
        header_name_mapping={
            HeaderNames.LIMIT: "X-RateLimit-Limit",
            HeaderNames.REMAINING: "X-RateLimit-Remaining",
            HeaderNames.RESET: "X-RateLimit-Reset",
            HeaderNames.RETRY_AFTER: "Retry-After",
        },
        strategy="fixed-window",
    )
    limiter.init_app(server)
    limiter.request_filter(is_preflight)
    return limiter


def is_preflight() -> bool:
    """Whether the request is a browser's CORS preflight (``OPTIONS``): answered without
    counting against the client's limit, since the request it announces is counted."""
    return flask.request.method == "OPTIONS"


def limit_blueprint(limiter: Limiter, blueprint: flask.Blueprint) -> None:
    """Count every request to ``blueprint`` against the client's shared API limit."""
    limiter.shared_limit(rate_limit(), scope=SCOPE)(blueprint)
