"""API et données ouvertes: the read API explained in French, generated from its OpenAPI
document (:func:`dashboards.api.openapi_document`), with the open-data files beside it.

Every endpoint, its parameters (type, limits, default, description, example) and its
example link come from the document the API serves at ``/api/v1/openapi.json``: a new
endpoint or parameter appears here without editing this page.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import dash
import limits
from dash import html

from dashboards import catalogue, data, data_package, downloads
from dashboards.api import API_PREFIX, openapi_document
from dashboards.api import limits as api_limits
from dashboards.api.responses import ApiError, publication_of
from dashboards.components import (
    API_PAGE_PATH,
    DOWNLOADS_PATH,
    Column,
    data_table,
    notice,
    page_title,
)
from dashboards.formatting import format_integer, format_paris_time, format_range

dash.register_page(
    __name__,
    path=API_PAGE_PATH,
    name="API et données ouvertes",
    title="API et données ouvertes — Observatoire de la maturité numérique des territoires",
    description="L'API de lecture de l'observatoire, sa description OpenAPI, le paquet de "
    "données et le catalogue DCAT-AP.",
    order=11,
)

DOCS_PATH = f"{API_PREFIX}/docs"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"

#: French names of the JSON Schema types of a parameter.
TYPE_NAMES = {
    "integer": "entier",
    "number": "nombre",
    "string": "texte",
    "boolean": "booléen (true ou false)",
    "array": "liste",
    "object": "objet",
}
FORMAT_NAMES = {"date-time": "date et heure (ISO 8601)", "date": "date (AAAA-MM-JJ)"}
#: Where a parameter goes, in French.
LOCATIONS = {"path": "chemin", "query": "requête", "header": "en-tête"}
_PATH_PARAMETER = re.compile(r"\{([^}/]+)\}")
#: Rows asked for by the example link of a collection.
EXAMPLE_PAGE_SIZE = 5


@dataclass(frozen=True)
class Parameter:
    """A parameter of an operation, as the page shows it."""

    name: str
    location: str
    required: bool
    type: str
    description: str
    example: Any


@dataclass(frozen=True)
class Operation:
    """An endpoint: its method and path, what it does and its parameters."""

    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    deprecated: bool = False


@dataclass(frozen=True)
class Tag:
    """A group of endpoints (an OpenAPI tag: one per blueprint of the API)."""

    name: str
    description: str
    operations: tuple[Operation, ...]


def resolved(document: dict[str, Any], node: Any) -> Any:
    """``node`` with its local ``$ref`` (``#/components/...``) followed, else ``node``."""
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        node = target
    return node


def type_label(schema: dict[str, Any]) -> str:
    """The type of a parameter in French, with its limits, choices and default."""
    kind = schema.get("type", "string")
    if kind == "array":
        items = schema.get("items", {})
        label = f"liste de valeurs ({type_label(items)}) séparées par des virgules"
    else:
        label = FORMAT_NAMES.get(schema.get("format", ""), TYPE_NAMES.get(kind, kind))
    details = []
    if "enum" in schema:
        details.append("parmi " + ", ".join(str(value) for value in schema["enum"]))
    limits = format_range(schema.get("minimum"), schema.get("maximum"), _number)
    if limits:
        details.append(limits)
    if schema.get("default") not in (None, "", []):
        details.append(f"par défaut {_value(schema['default'])}")
    return label + (f" ({' ; '.join(details)})" if details else "")


def _number(value: Any) -> str:
    return format_integer(value) if isinstance(value, int) else str(value)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


def parameter_example(parameter: dict[str, Any]) -> Any:
    """The example a parameter documents (on itself, else on its schema), or None."""
    if "example" in parameter:
        return parameter["example"]
    examples = parameter.get("examples")
    if isinstance(examples, dict) and examples:
        first = next(iter(examples.values()))
        if isinstance(first, dict) and "value" in first:
            return first["value"]
    return parameter.get("schema", {}).get("example")


def documented_examples(document: dict[str, Any]) -> dict[str, Any]:
    """The first example the document gives for each parameter name (one value of a
    comma-separated list), for a path parameter documented without one."""
    examples: dict[str, Any] = {}
    for path_item in document.get("paths", {}).values():
        for raw in [
            *path_item.get("parameters", []),
            *path_item.get("get", {}).get("parameters", []),
        ]:
            parameter = resolved(document, raw)
            example = parameter_example(parameter)
            if example is not None and parameter.get("name") not in examples:
                if isinstance(example, str):
                    example = example.split(",")[0]
                elif isinstance(example, list):
                    example = example[0] if example else None
                examples[parameter.get("name")] = example
    return examples


def operation_parameters(
    document: dict[str, Any],
    path_item: dict[str, Any],
    operation: dict[str, Any],
    fallback_examples: dict[str, Any] | None = None,
) -> tuple[Parameter, ...]:
    """The parameters of an operation: the path item's, completed or overridden by the
    operation's own (OpenAPI's rule: same name and location), path ones first. A path
    parameter without an example takes the one of ``fallback_examples`` of its name."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = resolved(document, raw)
        key = (parameter.get("name", ""), parameter.get("in", "query"))
        previous = merged.get(key, {})
        merged[key] = {
            **previous,
            **parameter,
            "schema": {**previous.get("schema", {}), **parameter.get("schema", {})},
        }
    ordered = sorted(merged.values(), key=lambda p: (p.get("in") != "path", p.get("in", "")))
    return tuple(
        Parameter(
            name=parameter.get("name", ""),
            location=parameter.get("in", "query"),
            required=bool(parameter.get("required", parameter.get("in") == "path")),
            type=type_label(resolved(document, parameter.get("schema", {}))),
            description=parameter.get("description", ""),
            example=_example(parameter, fallback_examples or {}),
        )
        for parameter in ordered
    )


def _example(parameter: dict[str, Any], fallback_examples: dict[str, Any]) -> Any:
    example = parameter_example(parameter)
    if example is None and parameter.get("in") == "path":
        return fallback_examples.get(parameter.get("name"))
    return example


def tags(document: dict[str, Any]) -> list[Tag]:
    """The document's GET operations grouped by tag, in the order of its ``tags`` list
    (then of its paths); an operation without a tag goes under « Autres »."""
    grouped: dict[str, list[Operation]] = {}
    examples = documented_examples(document)
    for path, path_item in document.get("paths", {}).items():
        for method, operation in path_item.items():
            if method != "get" or not isinstance(operation, dict):
                continue
            lines = (operation.get("description") or "").strip()
            entry = Operation(
                method=method.upper(),
                path=path,
                summary=operation.get("summary") or operation.get("operationId", ""),
                description=lines,
                parameters=operation_parameters(document, path_item, operation, examples),
                deprecated=bool(operation.get("deprecated")),
            )
            for tag in operation.get("tags") or ["Autres"]:
                grouped.setdefault(tag, []).append(entry)
    described = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    order = [name for name in described if name in grouped]
    order += [name for name in grouped if name not in described]
    return [Tag(name, described.get(name, ""), tuple(grouped[name])) for name in order]


def example_href(operation: Operation, **query: Any) -> str | None:
    """An address that calls ``operation``: each path parameter replaced by its documented
    example, then the ``query`` parameters. None when a path parameter has no example."""
    examples = {p.name: p.example for p in operation.parameters if p.example is not None}
    missing = [name for name in _PATH_PARAMETER.findall(operation.path) if name not in examples]
    if missing:
        return None
    path = _PATH_PARAMETER.sub(
        lambda match: quote(str(examples[match.group(1)]), safe=""), operation.path
    )
    kept = {key: value for key, value in query.items() if value is not None}
    return dash.get_relative_path(path) + (f"?{urlencode(kept)}" if kept else "")


def _has_parameter(operation: Operation, name: str) -> bool:
    return any(p.name == name and p.location == "query" for p in operation.parameters)


def _anchor(name: str) -> str:
    """``api-reponses`` for the tag « Réponses »: the id of its section."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "api-" + re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _code(text: str) -> html.Code:
    return html.Code(text)


def _link(path: str, label: Any = None) -> html.A:
    return html.A(label if label is not None else _code(path), href=dash.get_relative_path(path))


def _paragraphs(text: str) -> list[html.P]:
    return [html.P(" ".join(block.split())) for block in re.split(r"\n\s*\n", text) if block]


def operation_section(operation: Operation) -> html.Article:
    """One endpoint: method and path, summary, parameters table, example links."""
    children: list[Any] = [
        html.H3([html.Span(operation.method, className="api-method"), " ", _code(operation.path)]),
        html.P(operation.summary, className="api-summary"),
        *_paragraphs(operation.description),
    ]
    if operation.deprecated:
        children.append(notice("Point d'accès obsolète : il disparaîtra d'une version future."))
    # Header parameters (If-None-Match) are the same everywhere: explained once, above.
    shown = [p for p in operation.parameters if p.location != "header"]
    if shown:
        rows = [
            {
                "nom": p.name,
                "ou": LOCATIONS.get(p.location, p.location)
                + (", obligatoire" if p.required else ""),
                "type": p.type,
                "description": p.description,
                "exemple": "" if p.example is None else _value(p.example),
            }
            for p in shown
        ]
        children.append(
            html.Div(
                data_table(
                    f"Paramètres de {operation.method} {operation.path}",
                    [
                        Column("Paramètre", "nom", format=lambda name: _code(name)),
                        Column("Où", "ou"),
                        Column("Type", "type"),
                        Column("Description", "description"),
                        Column("Exemple", "exemple", format=lambda v: _code(v) if v else ""),
                    ],
                    rows,
                ),
                className="table-scroll",
            )
        )
    else:
        children.append(html.P("Aucun paramètre.", className="note"))
    # A collection's example asks for a short page.
    short = {"par_page": EXAMPLE_PAGE_SIZE} if _has_parameter(operation, "par_page") else {}
    href = example_href(operation, **short)
    if href is not None:
        children.append(
            html.P(
                ["Exemple : ", html.A(_code(href), href=href, className="api-example")],
                className="note",
            )
        )
    return html.Article(children, className="api-operation")


def tag_section(tag: Tag) -> html.Section:
    """The endpoints of one tag, under its name and description."""
    title = tag.name[:1].upper() + tag.name[1:]
    return html.Section(
        [
            html.H2(title),
            *_paragraphs(tag.description),
            *(operation_section(operation) for operation in tag.operations),
        ],
        className="card api-tag",
        id=_anchor(tag.name),
    )


def query_limits(document: dict[str, Any]) -> tuple[Any, Any]:
    """Default and largest page size, as the document declares ``par_page``."""
    for path_item in document.get("paths", {}).values():
        operation = path_item.get("get", {})
        for raw in operation.get("parameters", []):
            parameter = resolved(document, raw)
            if parameter.get("name") == "par_page":
                schema = resolved(document, parameter.get("schema", {}))
                return schema.get("default"), schema.get("maximum")
    return None, None


def rate_limit_text() -> str | None:
    """The per-client rate limit of the API, in French (None when none is set)."""
    value = api_limits.rate_limit()
    return " et ".join(api_limits.describe(item) for item in limits.parse_many(value)) or None


def overview(document: dict[str, Any]) -> html.Section:
    """What the API is, where its description and the open-data files are."""
    info = document.get("info", {})
    return html.Section(
        [
            html.H2("L'API en bref"),
            html.P(
                [
                    "Une API de lecture (requêtes GET), servie par le même serveur que ce "
                    "tableau de bord à l'adresse ",
                    _link(f"{API_PREFIX}/"),
                    ", qui ne lit que les données publiées : territoires, millésimes, "
                    "méthodologies, indices et scores par axe (niveau, rang et intervalle de "
                    "rang, couverture), réponses publiées d'un territoire, réalisations "
                    "exemplaires, éditions passées. Réponses en JSON par défaut, en CSV sur "
                    "demande ; noms des champs en français, ceux du dictionnaire des données "
                    "de la page ",
                    _link(DOWNLOADS_PATH, "Téléchargements"),
                    " ; nombres en nombres, valeur manquante null, dates en ISO 8601 (UTC).",
                ]
            ),
            html.Ul(
                [
                    html.Li(
                        [
                            _link(DOCS_PATH, "Documentation interactive"),
                            " (Swagger UI, servie par l'observatoire) : chaque point d'accès, "
                            "essayé depuis le navigateur.",
                        ]
                    ),
                    html.Li(
                        [
                            "Description OpenAPI 3 : ",
                            _link(OPENAPI_PATH),
                            f" (API en version {info.get('version', '1')}).",
                        ]
                    ),
                    html.Li(
                        [
                            "Paquet de données Frictionless (chaque fichier, ses champs, "
                            "types, unités, clés) : ",
                            _link(data_package.DATA_PACKAGE_PATH),
                            ".",
                        ]
                    ),
                    html.Li(
                        [
                            "Catalogue DCAT-AP (JSON-LD), moissonnable par un portail de "
                            "données ouvertes : ",
                            _link(catalogue.CATALOGUE_PATH),
                            ".",
                        ]
                    ),
                ],
                className="api-links",
            ),
        ],
        className="card",
        id="api-en-bref",
    )


def licence_section(document: dict[str, Any]) -> html.Section:
    """Licence of the data served, and how to cite them."""
    licence = document.get("info", {}).get("license", {})
    name = licence.get("name") or downloads.LICENCE
    url = licence.get("url") or downloads.LICENCE_URL
    return html.Section(
        [
            html.H2("Licence"),
            html.P(
                [
                    "Les données de l'API et des fichiers sont publiées sous ",
                    html.A(name, href=url, rel="license"),
                    " : réutilisation libre, y compris commerciale, en citant la source "
                    "« Observatoire de la maturité numérique des territoires » et la version "
                    "de la publication.",
                ]
            ),
        ],
        className="card",
        id="api-licence",
    )


def versions_section(publication: dict[str, Any] | None) -> html.Section:
    """The publication's version (``publication``: as ``responses.publication_of`` gives
    it, None when nothing is published), the editions, what the API's version means."""
    current: list[Any] = []
    if publication:
        current = [
            "La publication en ligne est la version ",
            _code(publication["version"]),
            f", mise en ligne le {format_paris_time(publication['date'])} (heure de Paris). "
            if publication["date"]
            else ". ",
        ]
    return html.Section(
        [
            html.H2("Versions et éditions"),
            html.P(
                [
                    *current,
                    "Chaque publication a une version (AAAAMMJJ-HHMMSS, sa date UTC) : chaque "
                    "réponse la donne dans son bloc « publication » et dans l'en-tête ",
                    _code("X-Publication-Version"),
                    ", et les fichiers téléchargés la portent dans leur nom. ",
                    _link(f"{API_PREFIX}/publication"),
                    " décrit la publication en ligne : ses millésimes et la version de la "
                    "méthodologie de chacun.",
                ]
            ),
            html.P(
                [
                    "Les chiffres d'un millésime tels qu'ils ont été publiés alors (la "
                    "dernière publication où il était le plus récent, avec sa version de "
                    "méthodologie) restent servis : ",
                    _link(f"{API_PREFIX}/editions"),
                    " les liste, ",
                    _code(f"{API_PREFIX}/editions/{{millesime}}/indices"),
                    " et ",
                    _code(f"{API_PREFIX}/editions/{{millesime}}/axes"),
                    " en donnent les indices et les scores par axe.",
                ]
            ),
            html.P(
                [
                    "Le « v1 » de l'adresse est la version de l'API : un changement qui "
                    "casserait un usage existant (champ retiré ou renommé) ouvrirait une ",
                    _code("/api/v2/"),
                    ", la v1 restant servie le temps de migrer.",
                ]
            ),
        ],
        className="card",
        id="api-versions",
    )


def usage_section(document: dict[str, Any]) -> html.Section:
    """Paging, sorting, filters, limits, CSV, ETag/304 and errors."""
    default_size, max_size = query_limits(document)
    sizes = (
        f" ({format_integer(default_size)} lignes par défaut, {format_integer(max_size)} au plus)"
        if default_size is not None and max_size is not None
        else ""
    )
    rate = rate_limit_text()
    example = f"{API_PREFIX}/indices?categorie=DEP&tri=-indice_global&par_page=5"
    return html.Section(
        [
            html.H2("Filtres, pages, limites"),
            html.P(
                [
                    "Une collection se lit page par page : ",
                    _code("page"),
                    " et ",
                    _code("par_page"),
                    sizes,
                    ". La réponse donne le nombre total de lignes (bloc « pagination » et en-tête ",
                    _code("X-Total-Count"),
                    ") et les liens vers les pages voisines (en-tête ",
                    _code("Link"),
                    "). ",
                    _code("tri"),
                    " trie sur un ou plusieurs champs séparés par des virgules, « - » devant "
                    "un champ pour l'ordre décroissant ; un filtre accepte plusieurs valeurs "
                    "séparées par des virgules. Exemple : ",
                    _link(example),
                    ".",
                ]
            ),
            html.P(
                [
                    "Limite de débit par client : ",
                    rate,
                    " ; au-delà, la réponse 429 dit dans l'en-tête ",
                    _code("Retry-After"),
                    " combien de secondes attendre. Les réponses volumineuses sont "
                    "compressées (gzip ou brotli) quand le client l'accepte.",
                ]
                if rate
                else "Aucune limite de débit n'est configurée sur ce serveur.",
            ),
            html.H3("CSV"),
            html.P(
                [
                    "Ajouter ",
                    _code("format=csv"),
                    " à l'adresse, ou envoyer l'en-tête ",
                    _code("Accept: text/csv"),
                    " (le paramètre l'emporte sur l'en-tête) : les lignes de la page "
                    "demandée, en UTF-8 séparées par des virgules. Seules les collections "
                    "de lignes le proposent ; un objet seul (un territoire, une fiche, une "
                    "méthodologie et son arbre) n'existe qu'en JSON et répond 406 à une "
                    "demande de CSV. Les fichiers complets, "
                    "pour Excel aussi, sont sur la page ",
                    _link(DOWNLOADS_PATH, "Téléchargements"),
                    ".",
                ]
            ),
            html.H3("Cache : ETag et 304"),
            html.P(
                [
                    "Chaque réponse porte un ",
                    _code("ETag"),
                    " et une date ",
                    _code("Last-Modified"),
                    " tirés de la version de la publication, et ",
                    _code("Cache-Control: public, max-age=300"),
                    ". Renvoyer l'ETag reçu dans ",
                    _code("If-None-Match"),
                    " (ou la date dans ",
                    _code("If-Modified-Since"),
                    ") : tant que rien n'a été publié, la réponse est un 304 sans corps, "
                    "qui ne coûte presque rien.",
                ]
            ),
            html.H3("Erreurs"),
            html.P(
                [
                    "Une erreur est un objet JSON en français : ",
                    _code("statut"),
                    ", ",
                    _code("erreur"),
                    " (",
                    _code("parametre_invalide"),
                    " 400, ",
                    _code("introuvable"),
                    " 404, ",
                    _code("methode_non_autorisee"),
                    " 405, ",
                    _code("format_non_disponible"),
                    " 406, ",
                    _code("trop_de_requetes"),
                    " 429, ",
                    _code("erreur_interne"),
                    " 500, ",
                    _code("publication_indisponible"),
                    " 503), ",
                    _code("message"),
                    " qui dit ce qui ne va pas et comment corriger (un paramètre inconnu ou "
                    "une valeur qui n'existe pas : les valeurs acceptées), et ",
                    _code("details"),
                    ".",
                ]
            ),
        ],
        className="card",
        id="api-usage",
    )


def contents(endpoint_tags: list[Tag]) -> html.Nav:
    """Links to the page's sections."""
    entries = [
        ("api-en-bref", "L'API en bref"),
        ("api-licence", "Licence"),
        ("api-versions", "Versions et éditions"),
        ("api-usage", "Filtres, pages, limites"),
        *((_anchor(tag.name), tag.name[:1].upper() + tag.name[1:]) for tag in endpoint_tags),
    ]
    return html.Nav(
        html.Ul([html.Li(html.A(label, href=f"#{anchor}")) for anchor, label in entries]),
        className="api-contents",
        **{"aria-label": "Sommaire"},
    )


def layout(**_: Any) -> html.Div:
    """The page, built from the OpenAPI document of the running API."""
    document = openapi_document()
    endpoint_tags = tags(document)
    publication, status = None, None
    try:
        publication = publication_of(data.publication())
    except data.PublicationError as error:
        status = notice(str(error), error=True)
    except ApiError:  # nothing published yet: the page still documents the API
        pass
    return html.Div(
        [
            page_title(
                "API et données ouvertes",
                "Les données de l'observatoire pour les réutiliser : une API documentée, "
                "interrogeable par territoire, axe et millésime, et des fichiers décrits "
                "par des schémas standard.",
            ),
            status,
            contents(endpoint_tags),
            overview(document),
            licence_section(document),
            versions_section(publication),
            usage_section(document),
            html.P(
                f"{sum(len(tag.operations) for tag in endpoint_tags)} points d'accès en "
                f"{len(endpoint_tags)} groupes, tels que les décrit la description OpenAPI.",
                className="note",
            ),
            *(tag_section(tag) for tag in endpoint_tags),
        ],
        className="api-page",
    )
