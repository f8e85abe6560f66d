"""The scores as open data: datasets, their data dictionary, and the files they are served as.

One place defines each dataset: the function of :mod:`dashboards.data` that reads it, and the
description of every column (the data dictionary shown on the page and downloadable). The
writers are pure functions from a data frame to bytes:

- CSV for French spreadsheets: UTF-8 with BOM (Excel reads the accents right), ``;``
  separator, decimal comma, Windows line ends;
- standard CSV: UTF-8, ``,`` separator, decimal point;
- Parquet, typed, written by DuckDB;
- JSON, an array of records, UTF-8, written by DuckDB.

In both CSVs a text cell that a spreadsheet would take for a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``: a territory's name or
answer can never run as a formula on an analyst's computer. Numbers are left as they are,
and so are the typed formats (Parquet, JSON), which no spreadsheet evaluates.

A dataset is read per millésime (``indices-2025.csv``) or, when it is not tied to one (the
réalisations exemplaires, the territories), as a whole only (``realisations-tous.csv``).

Each column's constraints (required, range, accepted values) and each dataset's primary and
foreign keys (every dataset names its territories by a code of ``territoires``) are stated
here too: the dictionary shows them, and :mod:`dashboards.data_package` writes them as a
Frictionless Table Schema from these same definitions.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from dashboards import data
from dashboards.formatting import format_range
from schemas.reference import TERRITORY_CODE_PATTERN
from schemas.vocabulary import (
    INSUFFICIENT_DATA_LABEL,
    KIND_LABELS,
    MATURITY_LEVELS,
    POPULATION_BANDS,
    STRENGTH,
    TERRITORY_KINDS,
    WEAKNESS,
)

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Licence of the published scores.
LICENCE = "Licence Ouverte / Etalab 2.0"
#: Its SPDX identifier.
LICENCE_ID = "etalab-2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Field:
    """One column of a dataset, as the data dictionary describes it.

    ``constraints`` are Frictionless Table Schema constraints (``required``, ``minimum``,
    ``maximum``, ``enum``…): the data package states them and the dictionary shows them.
    """

    name: str
    kind: str
    description: str
    unit: str = ""
    constraints: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ForeignKey:
    """Columns of a dataset that name a row of another dataset (its primary key)."""

    fields: tuple[str, ...]
    #: Name of the referenced dataset (in :data:`DATASETS`).
    dataset: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """An open dataset: what it holds, how to read it, what each column means."""

    name: str
    title: str
    description: str
    read: Callable[[int | None], pd.DataFrame]
    fields: tuple[Field, ...]
    #: False for a dataset that is not split by millésime: it is served whole only.
    per_millesime: bool = True
    #: Columns that identify a row (unique, never empty).
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()


#: Constraints shared by many columns.
REQUIRED: dict[str, Any] = {"required": True}
SCORE_RANGE: dict[str, Any] = {"minimum": 0, "maximum": 100}
#: The ten axes (code, label), in the questionnaire's order.
AXES = (
    ("LAB", "laboratoire d'innovation"),
    ("EADM", "administration numérique interne"),
    ("SERV", "services en ligne aux usagers"),
    ("DATA", "données et open data"),
    ("INFRA", "infrastructures numériques"),
    ("SMART", "territoire intelligent"),
    ("INCL", "inclusion numérique"),
    ("ENTR", "accompagnement des entreprises"),
    ("FILI", "filière numérique"),
    ("GOUV", "gouvernance et participation"),
)
AXIS_CODES = [code for code, _ in AXES]

AXIS_FIELDS = tuple(
    Field(
        f"axe_{code.lower()}",
        "décimal",
        f"Score de l'axe {code} ({label})",
        "0 à 100",
        SCORE_RANGE,
    )
    for code, label in AXES
)

MILLESIME = Field(
    "millesime",
    "entier",
    "Année de l'enquête (millésime)",
    constraints={**REQUIRED, "minimum": 2000},
)
TERRITORY = Field(
    "code_territoire",
    "texte",
    "Code du territoire, préfixé par son niveau (DEP-13, REG-93…)",
    constraints={**REQUIRED, "pattern": TERRITORY_CODE_PATTERN.removeprefix("^").removesuffix("$")},
)
NAME = Field("nom", "texte", "Nom du territoire", constraints=REQUIRED)
KIND = Field(
    "categorie",
    "texte",
    f"Catégorie : {', '.join(TERRITORY_KINDS[:-1])} ou {TERRITORY_KINDS[-1]}",
    constraints={**REQUIRED, "enum": list(TERRITORY_KINDS)},
)
KIND_LABEL = Field(
    "categorie_libelle",
    "texte",
    "Catégorie en toutes lettres",
    constraints={"enum": list(KIND_LABELS.values())},
)
POPULATION = Field(
    "population", "entier", "Population municipale (INSEE)", "habitants", {"minimum": 0}
)
REGION_CODE = Field("code_region", "texte", "Code de la région du territoire (REG-93…)")
#: The columns that name a territory, first in every dataset that has one row per territory.
TERRITORY_FIELDS = (TERRITORY, NAME, KIND, KIND_LABEL)
AXIS_CODE = Field(
    "code_axe",
    "texte",
    "Code de l'axe (LAB, EADM, SERV…)",
    constraints={**REQUIRED, "enum": AXIS_CODES},
)
#: Every other dataset names its territories by code: a row of ``territoires``.
TO_TERRITORIES = ForeignKey(("code_territoire",), "territoires", ("code_territoire",))

#: Columns of the ``realisations`` dataset: the sheet's fields under the template's names.
ACHIEVEMENT_FIELDS = (
    Field(
        "code_realisation",
        "texte",
        "Identifiant de la fiche : code du territoire / identifiant (DEP-13/tiers-lieu-numerique)",
        constraints=REQUIRED,
    ),  # fmt: skip
    TERRITORY,
    Field("nom_territoire", "texte", "Nom du territoire auteur de la fiche"),
    KIND,
    Field(
        "identifiant", "texte", "Identifiant de la fiche propre au territoire", constraints=REQUIRED
    ),
    Field("titre", "texte", "Titre de la réalisation", constraints=REQUIRED),
    Field("axes", "texte", "Codes des axes de maturité servis (1 à 3), séparés par |"),
    Field("questions", "texte", "Codes des questions du questionnaire servies, séparés par |"),
    Field("contexte", "texte", "Contexte et objectifs (texte libre, sauts de ligne possibles)"),
    Field("realisation", "texte", "Ce qui a été réalisé (texte libre)"),
    Field("partenaires_publics", "texte", "Partenaires publics, séparés par « ; »"),
    Field("partenaires_academiques", "texte", "Partenaires académiques, séparés par « ; »"),
    Field("partenaires_prives", "texte", "Partenaires privés, séparés par « ; »"),
    Field("partenaires_associatifs", "texte", "Partenaires associatifs, séparés par « ; »"),
    Field(
        "budget_euros", "décimal", "Budget total ; vide si non renseigné", "euros", {"minimum": 0}
    ),
    Field(
        "financements",
        "texte",
        "Financeurs et leur part ou montant (« Région : 40 % ; FEDER : 30 % »)",
    ),  # fmt: skip
    Field("date_debut", "texte", "Début (AAAA, AAAA-MM ou AAAA-MM-JJ)"),
    Field("date_fin", "texte", "Fin (même format) ; vide si en cours"),
    Field("annee", "entier", "Année que décrit la fiche"),
    Field("resultats", "texte", "Résultats, chiffrés quand ils le sont"),
    Field("retours_experience", "texte", "Retours d'expérience"),
    Field("transferabilite", "texte", "Conditions pour adapter la réalisation ailleurs"),
    Field(
        "territoires_cibles",
        "texte",
        "Catégories de territoires auxquelles elle convient (REG, DEP, ME…), séparées par |",
    ),  # fmt: skip
    Field(
        "cout_adaptation_euros",
        "décimal",
        "Coût estimé d'une adaptation ailleurs",
        "euros",
        {"minimum": 0},
    ),  # fmt: skip
    Field("liens", "texte", "Liens (jeux de données, documents), un par ligne"),
    Field("contact_fonction", "texte", "Fonction à contacter (jamais une personne nommée)"),
    Field("licence", "texte", "Licence du texte de la fiche (Licence Ouverte 2.0 par défaut)"),
    Field(
        "version",
        "entier",
        "Version de la fiche (1 = première déposée)",
        constraints={**REQUIRED, "minimum": 1},
    ),
    Field("deposee_le", "date et heure", "Dépôt de la version publiée (UTC)"),
    Field("publiee_le", "date et heure", "Décision de publication de cette version (UTC)"),
    Field("soutiens", "entier", "Territoires qui soutiennent la fiche", constraints={"minimum": 0}),
    Field(
        "adaptations",
        "entier",
        "Territoires qui déclarent l'adapter chez eux",
        constraints={"minimum": 0},
    ),
    Field(
        "commentaires", "entier", "Commentaires publiés après relecture", constraints={"minimum": 0}
    ),
)

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset(
            "indices",
            "Indices et rangs",
            "Une ligne par territoire et millésime : indice global, niveau de maturité, rang "
            "parmi les territoires de la même catégorie avec son intervalle d'incertitude, "
            "et les scores des dix axes.",
            data.export_indices,
            (
                MILLESIME,
                *TERRITORY_FIELDS,
                REGION_CODE,
                Field("region", "texte", "Nom de la région"),
                POPULATION,
                Field(
                    "indice_global",
                    "décimal",
                    "Indice global de maturité numérique ; vide si données insuffisantes",
                    "0 à 100",
                    SCORE_RANGE,
                ),  # fmt: skip
                Field(
                    "niveau",
                    "entier",
                    "Niveau de maturité",
                    "1 à 5",
                    {"enum": [level for level, *_ in MATURITY_LEVELS]},
                ),  # fmt: skip
                Field(
                    "niveau_libelle",
                    "texte",
                    "Nom du niveau (Découverte … Exemplaire)",
                    constraints={
                        "enum": [label for _, label, *_ in MATURITY_LEVELS]
                        + [INSUFFICIENT_DATA_LABEL]
                    },
                ),  # fmt: skip
                Field(
                    "couverture",
                    "décimal",
                    "Part du poids des questions renseignées",
                    "0 à 1",
                    {"minimum": 0, "maximum": 1},
                ),  # fmt: skip
                Field(
                    "rang_categorie",
                    "décimal",
                    "Rang parmi les territoires de la même catégorie (1 = meilleur indice)",
                    constraints={"minimum": 1},
                ),  # fmt: skip
                Field(
                    "effectif_categorie",
                    "entier",
                    "Nombre de territoires classés dans la catégorie",
                    constraints={"minimum": 0},
                ),  # fmt: skip
                Field(
                    "rang_p05",
                    "décimal",
                    "Meilleur rang obtenu dans 95 % des simulations (5e centile)",
                    constraints={"minimum": 1},
                ),  # fmt: skip
                Field(
                    "rang_p95",
                    "décimal",
                    "Moins bon rang obtenu dans 95 % des simulations (95e centile)",
                    constraints={"minimum": 1},
                ),  # fmt: skip
                Field(
                    "tranche_population",
                    "texte",
                    "Tranche de population du territoire",
                    constraints={"enum": [label for _, label in POPULATION_BANDS]},
                ),  # fmt: skip
                *AXIS_FIELDS,
            ),
            primary_key=("millesime", "code_territoire"),
            foreign_keys=(TO_TERRITORIES,),
        ),
        Dataset(
            "axes",
            "Scores par axe",
            "Une ligne par territoire, millésime et axe : score, médiane des territoires de "
            "la même catégorie, écart à cette médiane et lecture (force, faiblesse).",
            data.export_axes,
            (
                MILLESIME,
                TERRITORY,
                NAME,
                KIND,
                AXIS_CODE,
                Field("axe", "texte", "Intitulé de l'axe", constraints=REQUIRED),
                Field(
                    "score",
                    "décimal",
                    "Score de l'axe ; vide si trop peu de réponses",
                    "0 à 100",
                    SCORE_RANGE,
                ),  # fmt: skip
                Field(
                    "mediane_categorie",
                    "décimal",
                    "Médiane du score de l'axe dans la catégorie",
                    "0 à 100",
                    SCORE_RANGE,
                ),  # fmt: skip
                Field(
                    "ecart_mediane",
                    "décimal",
                    "Score moins la médiane de la catégorie",
                    "points",
                    {"minimum": -100, "maximum": 100},
                ),  # fmt: skip
                Field(
                    "position",
                    "texte",
                    f"{STRENGTH} (≥ 10 points au-dessus de la médiane), "
                    f"{WEAKNESS} (≥ 10 points en dessous) ; vide si dans la moyenne",
                    constraints={"enum": [STRENGTH, WEAKNESS]},
                ),  # fmt: skip
            ),
            primary_key=("millesime", "code_territoire", "code_axe"),
            foreign_keys=(TO_TERRITORIES,),
        ),
        Dataset(
            "reponses",
            "Réponses au questionnaire",
            "Une ligne par territoire, millésime et question : la réponse déposée et le "
            "score qu'elle obtient.",
            data.export_answers,
            (
                MILLESIME,
                TERRITORY,
                NAME,
                Field(
                    "code_axe",
                    "texte",
                    "Code de l'axe de la question",
                    constraints=AXIS_CODE.constraints,
                ),  # fmt: skip
                Field(
                    "code_question", "texte", "Code de la question (LAB_01…)", constraints=REQUIRED
                ),  # fmt: skip
                Field("question", "texte", "Intitulé de la question", constraints=REQUIRED),
                Field(
                    "reponse",
                    "texte",
                    "Réponse telle que retenue après validation ; vide si "
                    "la question est restée sans réponse",
                ),  # fmt: skip
                Field("score", "décimal", "Score de la réponse", "0 à 100", SCORE_RANGE),
                Field(
                    "poids",
                    "décimal",
                    "Poids de la question dans son axe",
                    constraints={"minimum": 0},
                ),  # fmt: skip
            ),
            primary_key=("millesime", "code_territoire", "code_question"),
            foreign_keys=(TO_TERRITORIES,),
        ),
        Dataset(
            "realisations",
            "Réalisations exemplaires",
            "Une ligne par fiche publiée après relecture : ce qu'un territoire a réalisé, "
            "avec qui, pour quel coût, ce que cela a donné et ce qu'il faut pour l'adapter "
            "ailleurs. Les fiches ne dépendent pas du millésime : le fichier les contient "
            "toutes. Chaque texte garde la licence choisie par son territoire (colonne licence).",
            data.export_achievements,
            ACHIEVEMENT_FIELDS,
            per_millesime=False,
            primary_key=("code_realisation",),
            foreign_keys=(TO_TERRITORIES,),
        ),
        Dataset(
            "territoires",
            "Territoires",
            "Une ligne par territoire de la publication : code, nom, catégorie, population "
            "et territoires dont il fait partie (région, département, EPCI). Les autres jeux "
            "désignent les territoires par leur code, qui renvoie à ce fichier.",
            data.export_territories,
            (
                *TERRITORY_FIELDS,
                POPULATION,
                REGION_CODE,
                Field("code_departement", "texte", "Code du département (DEP-13…)"),
                Field("code_epci", "texte", "Code de l'EPCI à fiscalité propre (EPCI-…)"),
                Field(
                    "code_insee",
                    "texte",
                    "Code officiel géographique de l'INSEE (région, département, SIREN de "
                    "l'EPCI ou commune)",
                ),  # fmt: skip
            ),
            per_millesime=False,
            primary_key=("code_territoire",),
            foreign_keys=(
                ForeignKey(("code_region",), "territoires", ("code_territoire",)),
                ForeignKey(("code_departement",), "territoires", ("code_territoire",)),
            ),
        ),
    )
}


@dataclass(frozen=True)
class FileFormat:
    """A way to serve a dataset: address suffix, visitor label, MIME type, writer."""

    suffix: str
    label: str
    mimetype: str
    write: Callable[[pd.DataFrame], bytes]


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` where text cells a spreadsheet would run as formulas start with
    ``'``. Numeric columns (negative numbers included) are not touched."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda value: (
                    "'" + value
                    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES)
                    else value
                )
            )
    return safe


def to_csv_excel(frame: pd.DataFrame) -> bytes:
    """CSV for French spreadsheets: UTF-8 with BOM, ``;``, decimal comma, CRLF."""
    text = neutralise_formulas(frame).to_csv(
        index=False, sep=";", decimal=",", lineterminator="\r\n"
    )
    return text.encode("utf-8-sig")


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    return any(
        frame[column].map(lambda value: isinstance(value, str) and "\r" in value).any()
        for column in frame.columns
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column])
    )


def to_csv(frame: pd.DataFrame) -> bytes:
    """Standard CSV: UTF-8 without BOM, ``,``, decimal point, LF.

    Python's CSV writer quotes a field holding a line break only when the break is part of
    its line terminator: with LF, a bare carriage return would be written unquoted and split
    the row for most readers. A frame holding one is written with every text quoted.
    """
    safe = neutralise_formulas(frame)
    quoting = csv.QUOTE_NONNUMERIC if _has_carriage_return(safe) else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, quoting=quoting).encode("utf-8")


def _copy_with_duckdb(frame: pd.DataFrame, options: str) -> bytes:
    """The bytes DuckDB writes for ``COPY frame TO … (options)``."""
    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "donnees"
        with duckdb.connect() as connection:
            connection.register("frame", frame)
            connection.execute(f"COPY frame TO '{target}' ({options})")
        return target.read_bytes()


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet (typed values, kept as they are), written by DuckDB."""
    return _copy_with_duckdb(frame, "FORMAT parquet")


def to_json(frame: pd.DataFrame) -> bytes:
    """JSON, written by DuckDB: an array of one object per row, UTF-8 with accents and line
    breaks as they are (escaped the JSON way), NULL as ``null``, typed values as they are."""
    return _copy_with_duckdb(frame, "FORMAT json, ARRAY true")


FORMATS: dict[str, FileFormat] = {
    "excel.csv": FileFormat("excel.csv", "CSV pour Excel (;)", "text/csv", to_csv_excel),
    "csv": FileFormat("csv", "CSV standard (,)", "text/csv", to_csv),
    "parquet": FileFormat("parquet", "Parquet", "application/vnd.apache.parquet", to_parquet),
    "json": FileFormat("json", "JSON", "application/json", to_json),
}
#: Formats of the data dictionaries (text only).
DICTIONARY_FORMATS = ("excel.csv", "csv")

FILE_PATTERN = re.compile(
    r"^(?P<dataset>[a-z]+)-(?P<period>tous|\d{4})\.(?P<format>excel\.csv|csv|parquet|json)$"
)
DICTIONARY_PATTERN = re.compile(r"^dictionnaire-(?P<dataset>[a-z]+)\.(?P<format>excel\.csv|csv)$")


def file_name(dataset: str, millesime: int | None, file_format: str) -> str:
    """The name of a dataset's file: ``indices-2025.excel.csv``, ``axes-tous.parquet``."""
    period = "tous" if millesime is None else str(millesime)
    return f"{dataset}-{period}.{file_format}"


def dictionary_name(dataset: str, file_format: str) -> str:
    """The name of a dataset's data dictionary file: ``dictionnaire-indices.csv``."""
    return f"dictionnaire-{dataset}.{file_format}"


def download_name(name: str, version: str | None) -> str:
    """The name a downloaded file is saved under, naming the publication's version:
    ``indices-2025.excel.csv`` → ``observatoire-indices-2025-v20261130-105629.excel.csv``."""
    stem, dot, extension = name.partition(".")
    suffix = f"-v{version}" if version else ""
    return f"observatoire-{stem}{suffix}{dot}{extension}"


def _number(value: float) -> str:
    return f"{value:g}".replace("-", "\u2212")


def describe_constraints(constraints: Mapping[str, Any], *, key: bool = False) -> str:
    """The constraints of a column in French, for the data dictionary: « obligatoire ;
    de 0 à 100 », « valeurs : REG, DEP… ». ``key``: the column is part of the primary key."""
    parts = []
    if key:
        parts.append("clé primaire")
    if constraints.get("required") or key:
        parts.append("obligatoire")
    limits = format_range(constraints.get("minimum"), constraints.get("maximum"), _number)
    if limits:
        parts.append(limits)
    if "enum" in constraints:
        parts.append("valeurs : " + ", ".join(str(value) for value in constraints["enum"]))
    return " ; ".join(parts)


def dictionary_frame(dataset: Dataset) -> pd.DataFrame:
    """The data dictionary of ``dataset``: one row per column."""
    return pd.DataFrame(
        [
            {
                "colonne": f.name,
                "type": f.kind,
                "description": f.description,
                "unite": f.unit,
                "contraintes": describe_constraints(
                    f.constraints, key=f.name in dataset.primary_key
                ),
            }
            for f in dataset.fields
        ],
        columns=["colonne", "type", "description", "unite", "contraintes"],
    )


def dataset_frame(dataset: Dataset, millesime: int | None) -> pd.DataFrame:
    """The rows of ``dataset`` for ``millesime`` (every millésime when None), columns in the
    order of the dictionary."""
    return dataset.read(millesime)[[f.name for f in dataset.fields]]


class UnknownFile(LookupError):
    """No such dataset, format or millésime; ``str(error)`` is a French sentence."""


def render(name: str, millesimes: list[int]) -> tuple[bytes, FileFormat]:
    """The bytes of the file ``name`` (a dataset or a dictionary) and its format."""
    dictionary = DICTIONARY_PATTERN.match(name)
    if dictionary and dictionary["dataset"] in DATASETS:
        file_format = FORMATS[dictionary["format"]]
        frame = dictionary_frame(DATASETS[dictionary["dataset"]])
        return file_format.write(frame), file_format
    match = FILE_PATTERN.match(name)
    if not match or match["dataset"] not in DATASETS:
        raise UnknownFile(
            f"Fichier inconnu : « {name} ». Les jeux de données sont "
            f"{', '.join(DATASETS)} ; voir la page Téléchargements."
        )
    dataset = DATASETS[match["dataset"]]
    millesime = None if match["period"] == "tous" else int(match["period"])
    if millesime is not None and not dataset.per_millesime:
        raise UnknownFile(
            f"Le jeu « {dataset.name} » ne dépend pas du millésime : "
            f"demandez « {file_name(dataset.name, None, match['format'])} »."
        )
    if millesime is not None and millesime not in millesimes:
        raise UnknownFile(f"Le millésime {millesime} n'est pas publié.")
    file_format = FORMATS[match["format"]]
    frame = dataset_frame(dataset, millesime)
    return file_format.write(frame), file_format
