"""Pydantic model of the schema of an achievement sheet (``data/realisations/fiche_v1.yaml``).

A "réalisation exemplaire" is described by fields defined as data: each with its name (the
one of files, templates and the form), its French label, its help ("comment la remplir"),
its type, whether it is required and its limits. This module reads and checks that file as
the questionnaire's is read (:mod:`schemas.yaml_files`: unknown keys refused, each mistake
with its key path and line); the rules of each type are applied by
:mod:`domain.achievements.sheet`.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, model_validator

from schemas.methodology import Number
from schemas.yaml_files import STRICT, Path_, StrictModel, Text, load_checked

#: The sheet schema shipped with the code.
SHEET_SCHEMA_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "realisations" / "fiche_v1.yaml"
)

#: The types a field may have (their rules: :mod:`domain.achievements.sheet`).
FIELD_TYPES = (
    "territoire",
    "identifiant",
    "texte",
    "texte_long",
    "fonction",
    "codes",
    "liste",
    "liens",
    "montant",
    "financements",
    "date",
    "annee",
    "choix",
)
#: Fields whose value is a list in the sheet.
LIST_TYPES = ("codes", "liste", "liens", "financements")
#: Where the allowed codes of a ``codes`` field come from.
CODE_SOURCES = ("axes", "questions", "types_territoire")

FieldType = Literal[FIELD_TYPES]  # type: ignore[valid-type]
CodeSource = Literal[CODE_SOURCES]  # type: ignore[valid-type]
Count = Annotated[int, Field(ge=0)]


class SheetField(StrictModel):
    """One field of the sheet."""

    model_config = STRICT | {"title": "Champ (sous fields)"}

    name: Annotated[Text, Field(pattern=r"^[a-z][a-z_]*[a-z]$")] = Field(
        description="nom du champ (fichiers, modèles, formulaire)"
    )
    label: Annotated[Text, Field(min_length=2)] = Field(description="intitulé français")
    help: Annotated[Text, Field(min_length=10)] = Field(description="comment le remplir")
    type: FieldType = Field(description="type de valeur")
    required: bool = Field(False, description="champ obligatoire")
    max_length: Annotated[int, Field(ge=1)] | None = Field(
        None, description="longueur maximale du texte (de chaque élément d'une liste)"
    )
    min_items: Count | None = Field(None, description="nombre minimal d'éléments d'une liste")
    max_items: Count | None = Field(None, description="nombre maximal d'éléments d'une liste")
    minimum: Number | None = Field(None, description="valeur (année d'une date) minimale")
    maximum: Number | None = Field(None, description="valeur (année d'une date) maximale")
    values: CodeSource | None = Field(None, description="d'où viennent les codes permis")
    allowed: list[Text] = Field(default_factory=list, description="valeurs permises (choix)")
    default: Text | None = Field(None, description="valeur d'un champ laissé vide")

    @model_validator(mode="after")
    def _type_settings(self) -> SheetField:
        if self.type == "codes" and self.values is None:
            raise ValueError("un champ « codes » doit dire d'où viennent ses codes (values)")
        if self.type == "choix" and not self.allowed:
            raise ValueError("un champ « choix » doit lister ses valeurs permises (allowed)")
        if self.default is not None and self.allowed and self.default not in self.allowed:
            raise ValueError("la valeur par défaut doit être l'une des valeurs permises")
        return self

    @property
    def is_list(self) -> bool:
        """Whether the sheet holds a list for this field."""
        return self.type in LIST_TYPES


class SheetSchema(StrictModel):
    """The schema of a sheet: its version and its fields, in the order files list them."""

    model_config = STRICT | {"title": "Fiche (premier niveau)"}

    version: Text = Field(description="nom de la version du schéma")
    title: Text = Field(description="titre du modèle")
    fields: Annotated[list[SheetField], Field(min_length=1)] = Field(description="champs")

    def consistency_problems(self) -> Iterable[tuple[Path_, str]]:
        names = Counter(item.name for item in self.fields)
        labels = Counter(item.label.casefold() for item in self.fields)
        for index, item in enumerate(self.fields):
            if names[item.name] > 1:
                yield ("fields", index, "name"), f"champ « {item.name} » déclaré deux fois"
            if labels[item.label.casefold()] > 1:
                yield ("fields", index, "label"), f"intitulé « {item.label} » en double"

    def field(self, name: str) -> SheetField:
        """The field called ``name`` (:class:`KeyError` if none)."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        """The field names, in order."""
        return [item.name for item in self.fields]


@functools.cache
def load_sheet_schema(path: Path = SHEET_SCHEMA_FILE) -> SheetSchema:
    """The checked sheet schema (read once per process; ``FileUnreadable``/``FileInvalid``
    of :mod:`schemas.yaml_files` on a broken file)."""
    return load_checked(SheetSchema, Path(path))
