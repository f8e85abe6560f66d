"""How a view of the API is declared: one decorator per kind of answer, documenting and
wiring everything a GET of the API shares.

:func:`collection_view` (a page of rows, JSON or CSV, sortable) and :func:`object_view`
(one object, JSON only) stack, in one place, what each view would otherwise repeat:
``@blueprint.route`` (with its documented path parameters), the query parameters
(``@blueprint.arguments``: the view's filters plus ``page``, ``par_page``, ``tri`` and
``format``, as the kind of answer has them), the documented ``200`` (schema, headers, and
``text/csv`` for the views that serve it), the errors (``400``, ``404`` for an address with a
path parameter, ``406``) and the caching (:func:`~.responses.conditional`). The formats a
view documents are the formats it serves: both come from the same ``csv`` flag.

A collection view ends with :func:`page_response`, which sorts by the fields the decorator
documented as sortable.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import flask
import flask_smorest
import marshmallow as ma
import pandas as pd

from dashboards.api.parameters import FormatArgs, JsonFormatArgs, PagingArgs, sort_field
from dashboards.api.responses import (
    COLLECTION_HEADERS,
    OBJECT_HEADERS,
    ErrorSchema,
    collection_response,
    conditional,
)

#: The ``text/csv`` answer of a view that serves CSV, documented beside its JSON.
CSV_SCHEMA = {
    "type": "string",
    "description": "Les lignes de la page en CSV (UTF-8, séparateur virgule, une ligne "
    "d'en-tête) : les mêmes champs que les lignes de la réponse JSON, sans l'enveloppe "
    "(publication, pagination : voir les en-têtes)",
}
#: The documented ``406`` of each kind of view.
NOT_ACCEPTABLE = {
    True: "Format non disponible : l'en-tête Accept ne demande ni application/json ni text/csv",
    False: "Format non disponible : cette adresse ne sert que du JSON (format=csv, ou un "
    "en-tête Accept qui n'accepte pas application/json)",
}


def path_parameter(name: str, description: str, example: Any) -> dict[str, Any]:
    """A path parameter of an address (``{code}``…), documented with an example."""
    return {"in": "path", "name": name, "description": description, "example": example}


def query_schema(
    arguments: type[ma.Schema],
    *,
    csv: bool,
    sortable: Sequence[str] | None = None,
    sort_example: str | None = None,
) -> type[ma.Schema]:
    """``arguments`` (the view's own filters) with the parameters its kind of answer has:
    ``format`` (json and csv, or json only), and for a collection ``page``, ``par_page``
    and ``tri`` (documented with ``sortable`` and ``sort_example``)."""
    bases: tuple[type[ma.Schema], ...] = (arguments,)
    members: dict[str, Any] = {}
    if sortable is not None:
        bases += (PagingArgs,)
        members["tri"] = sort_field(sortable, sort_example or sortable[0])
    bases += (FormatArgs if csv else JsonFormatArgs,)
    return type(arguments.__name__, bases, members)


def documented_get(
    blueprint: flask_smorest.Blueprint,
    rule: str,
    *,
    arguments: type[ma.Schema],
    schema: type[ma.Schema],
    description: str,
    csv: bool,
    sortable: Sequence[str] | None = None,
    sort_example: str | None = None,
    parameters: Sequence[dict[str, Any]] | None = None,
    edition: str | None = None,
    on_editions: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a GET view of ``blueprint`` at ``rule``: its query parameters (``arguments``
    completed by :func:`query_schema`), passed as keyword arguments; its ``200``
    (``schema``, ``description``, the headers of a collection when ``sortable`` is given,
    else of an object; ``text/csv`` beside JSON when ``csv``); its ``400``, its ``404`` when
    ``rule`` has a path parameter, its ``406``; its ``304`` and caching headers
    (:func:`~.responses.conditional`, with ``edition`` and ``on_editions``)."""
    formats = ("json", "csv") if csv else ("json",)
    query = query_schema(arguments, csv=csv, sortable=sortable, sort_example=sort_example)
    headers = OBJECT_HEADERS if sortable is None else COLLECTION_HEADERS

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def view_function(*args: Any, **kwargs: Any) -> Any:
            flask.g.api_sortable = list(sortable or ())
            return function(*args, **kwargs)

        view = conditional(view_function, edition=edition, formats=formats, on_editions=on_editions)
        view = blueprint.alt_response(406, schema=ErrorSchema, description=NOT_ACCEPTABLE[csv])(
            view
        )
        if "<" in rule:
            view = blueprint.alt_response(404, response="NOT_FOUND")(view)
        view = blueprint.alt_response(400, response="BAD_REQUEST")(view)
        if csv:
            view = blueprint.alt_response(
                200,
                schema=CSV_SCHEMA,
                content_type="text/csv",
                description=description,
                success=True,
            )(view)
        view = blueprint.response(200, schema, headers=headers, description=description)(view)
        view = blueprint.arguments(query, location="query", as_kwargs=True)(view)
        return blueprint.route(rule, parameters=list(parameters or ()))(view)

    return decorate


def collection_view(
    blueprint: flask_smorest.Blueprint,
    rule: str,
    *,
    sortable: Sequence[str],
    sort_example: str,
    csv: bool = True,
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a collection (:func:`documented_get`): its filters (``arguments``) plus
    ``page``, ``par_page``, ``tri`` (over ``sortable``, documented with ``sort_example``) and
    ``format``; served in JSON and, unless ``csv`` is False (rows holding lists), in CSV.
    The view returns :func:`page_response`."""
    return documented_get(
        blueprint, rule, csv=csv, sortable=sortable, sort_example=sort_example, **options
    )


def object_view(
    blueprint: flask_smorest.Blueprint, rule: str, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a single object (:func:`documented_get`): ``arguments`` plus ``format``, JSON
    only; the view returns :func:`~.responses.object_response`."""
    return documented_get(blueprint, rule, csv=False, **options)


def page_response(
    frame: pd.DataFrame,
    arguments: dict[str, Any],
    *,
    name: str,
    edition: dict[str, Any] | None = None,
) -> flask.Response:
    """The page of ``frame`` the parameters of a :func:`collection_view` ask for (``page``,
    ``par_page``, ``tri`` over the fields it documents as sortable), named ``name``."""
    return collection_response(
        frame,
        name=name,
        page=arguments["page"],
        per_page=arguments["par_page"],
        sort=arguments.get("tri"),
        sortable=flask.g.api_sortable,
        edition=edition,
    )
