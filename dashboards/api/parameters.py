"""The query parameters of the API: French names, French messages, unknown ones refused.

Each view declares its parameters as a :class:`QueryArgs` schema (``unknown = RAISE``),
with the mixins :class:`PagingArgs` (``page``, ``par_page``), :class:`SortArgs`
(``tri``) and :class:`FormatArgs` (``format``), with ``@blueprint.arguments(Args,
location="query")``: the parser of the API's blueprints (:class:`FrenchParser`) answers
every mistake with a ``400 parametre_invalide`` in French that names the parameter (an
unknown one with the list of those accepted), instead of webargs' English ``422``.

A list filter is a :class:`CommaList`: ``territoire=DEP-13,DEP-69`` or the parameter repeated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import flask
import flask_smorest
import marshmallow as ma
from marshmallow import validate
from webargs.fields import DelimitedList
from webargs.flaskparser import FlaskParser

from dashboards.api.responses import (
    NO_CSV_MESSAGE,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    STATUS_DESCRIPTIONS,
    bad_request,
    not_acceptable,
)

#: French messages of the fields used by the API, by field class (the most specific wins).
FRENCH_MESSAGES: dict[type[ma.fields.Field], dict[str, str]] = {
    ma.fields.Field: {
        "required": "ce paramètre est obligatoire.",
        "null": "ce paramètre ne peut pas être vide.",
        "validator_failed": "valeur invalide.",
    },
    ma.fields.String: {"invalid": "doit être un texte.", "invalid_utf8": "texte UTF-8 invalide."},
    ma.fields.Number: {"invalid": "doit être un nombre.", "too_large": "nombre trop grand."},
    ma.fields.Integer: {"invalid": "doit être un nombre entier."},
    ma.fields.Float: {"special": "les valeurs spéciales (nan, infini) ne sont pas acceptées."},
    ma.fields.Boolean: {"invalid": "doit valoir true ou false."},
    ma.fields.List: {"invalid": "doit être une liste de valeurs séparées par des virgules."},
    ma.fields.Date: {"invalid": "doit être une date AAAA-MM-JJ.", "format": "date invalide."},
    ma.fields.DateTime: {
        "invalid": "doit être une date et heure ISO 8601.",
        "format": "date et heure invalide.",
    },
}


def french_messages(field: ma.fields.Field) -> dict[str, str]:
    """The French message of each error ``field`` can raise (its class's and its parents')."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(FRENCH_MESSAGES.get(cls, {}))
    return messages


class Range(validate.Range):
    """``marshmallow.validate.Range`` worded in French."""

    message_min = "doit être {min_op} {{min}} (valeur reçue : {{input}})."
    message_max = "doit être {max_op} {{max}} (valeur reçue : {{input}})."
    message_all = "doit être {min_op} {{min}} et {max_op} {{max}} (valeur reçue : {{input}})."
    message_gte = "supérieur ou égal à"
    message_gt = "strictement supérieur à"
    message_lte = "inférieur ou égal à"
    message_lt = "strictement inférieur à"


class OneOf(validate.OneOf):
    """``marshmallow.validate.OneOf`` worded in French."""

    default_message = "« {input} » n'est pas une valeur possible (valeurs possibles : {choices})."


class Length(validate.Length):
    """``marshmallow.validate.Length`` worded in French."""

    message_min = "doit compter au moins {min} caractères."
    message_max = "doit compter au plus {max} caractères."
    message_all = "doit compter de {min} à {max} caractères."
    message_equal = "doit compter exactement {equal} caractères."


class CommaList(DelimitedList):
    """A list filter: comma-separated values (``categorie=ME,CA``), the parameter repeated
    (``categorie=ME&categorie=CA``) or both; blanks around values and empty items ignored."""

    #: webargs gives every occurrence of the parameter.
    is_multiple = True

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        occurrences = value if isinstance(value, list | tuple) else [value]
        if not all(isinstance(item, str) for item in occurrences):
            raise self.make_error("invalid")
        items = [item.strip() for text in occurrences for item in text.split(self.delimiter)]
        items = [item for item in items if item]
        return ma.fields.List._deserialize(self, items, attr, data, **kwargs)


class QueryArgs(ma.Schema):
    """Base of every schema of query parameters: an unknown parameter is refused, every
    message is French (:data:`FRENCH_MESSAGES`). ``format`` comes from :class:`FormatArgs`
    (JSON or CSV) or :class:`JsonFormatArgs` (JSON only), which :mod:`.views` adds."""

    class Meta:
        unknown = ma.RAISE

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        """Word the field's messages in French, unless the field has its own."""
        for bound in (field_obj, getattr(field_obj, "inner", None)):
            if bound is None:
                continue
            defaults = {}
            for cls in reversed(type(bound).__mro__):
                defaults.update(getattr(cls, "default_error_messages", {}))
            for key, message in french_messages(bound).items():
                if bound.error_messages.get(key) in (None, defaults.get(key)):
                    bound.error_messages[key] = message


class PagingArgs(ma.Schema):
    """Mixin: ``page`` (from 1) and ``par_page`` (1 to :data:`PAGE_SIZE_MAX`)."""

    page = ma.fields.Integer(
        load_default=1,
        validate=Range(min=1),
        metadata={"description": "Numéro de la page (à partir de 1)"},
    )
    par_page = ma.fields.Integer(
        load_default=PAGE_SIZE_DEFAULT,
        validate=Range(min=1, max=PAGE_SIZE_MAX),
        metadata={
            "description": f"Lignes par page, de 1 à {PAGE_SIZE_MAX} "
            f"({PAGE_SIZE_DEFAULT} par défaut)"
        },
    )


class SortArgs(ma.Schema):
    """Mixin: ``tri``: fields separated by commas, ``-`` before a field for the descending order."""

    tri = ma.fields.String(
        load_default=None,
        metadata={
            "description": "Tri : champs séparés par des virgules, « - » devant un champ pour "
            "l'ordre décroissant (tri=-indice_global,nom) ; les valeurs vides en dernier",
            "example": "-indice_global,nom",
        },
    )


class FormatArgs(ma.Schema):
    """Mixin of the views that serve CSV: ``format``, ``json`` (default) or ``csv``."""

    format = ma.fields.String(
        validate=OneOf(["json", "csv"]),
        metadata={
            "description": "Format de la réponse : json (par défaut) ou csv (aussi par "
            "l'en-tête Accept: text/csv ; ce paramètre l'emporte sur Accept)",
            "example": "csv",
        },
    )


def json_only(value: str) -> None:
    """``format`` of a view that serves JSON only: ``csv`` is a 406, another value a 400."""
    if value == "csv":
        raise not_acceptable(NO_CSV_MESSAGE.format(path=flask.request.path))
    if value != "json":
        raise ma.ValidationError(
            f"« {value} » n'est pas une valeur possible (valeur possible : json)."
        )


class JsonFormatArgs(ma.Schema):
    """Mixin of the views that serve JSON only: ``format`` may only be ``json``; ``csv`` (or
    an ``Accept`` that does not accept JSON) is answered ``406 format_non_disponible``."""

    format = ma.fields.String(
        validate=json_only,
        metadata={
            "description": "Format de la réponse : json seulement (cette adresse ne sert pas "
            "de CSV : format=csv, ou un en-tête Accept qui n'accepte pas application/json, "
            "reçoivent 406)",
            "enum": ["json"],
            "example": "json",
        },
    )


def sort_field(sortable: Sequence[str], example: str) -> ma.fields.String:
    """The ``tri`` parameter of a collection: documented with the fields it may sort by
    (``sortable``) and an ``example`` made of them; checked by
    :func:`~.responses.parse_sort` when the view sorts."""
    names = {name.lstrip("-") for name in example.split(",")}
    if not names <= set(sortable):
        raise ValueError(f"tri example {example!r} names fields outside {list(sortable)}")
    return ma.fields.String(
        load_default=None,
        metadata={
            "description": "Tri : champs séparés par des virgules, « - » devant un champ pour "
            "l'ordre décroissant ; les valeurs vides en dernier. Champs possibles : "
            + ", ".join(sortable),
            "example": example,
            "x-champs-triables": list(sortable),
        },
    )


def _field_names(schema: ma.Schema) -> list[str]:
    names = (field.data_key or name for name, field in schema.fields.items())
    return sorted(names)


def validation_error(messages: Mapping[str, Any], schema: ma.Schema | None) -> NoReturn:
    """Raise the French 400 of a failed validation (``messages`` as marshmallow gives them,
    by parameter, or under the location webargs adds: ``{"query": {...}}``)."""
    if set(messages) <= {"query", "querystring", "path", "view_args"}:
        messages = {name: value for part in messages.values() for name, value in part.items()}
    accepted = _field_names(schema) if schema is not None else []
    details: dict[str, list[str]] = {}
    sentences = []
    for name, value in messages.items():
        texts = _texts(value)
        if schema is not None and name not in accepted and name != "_schema":
            text = (
                f"Paramètre inconnu « {name} » (paramètres acceptés : "
                f"{', '.join(accepted) or 'aucun'})."
            )
            texts = [text]
            sentences.append(text)
        else:
            sentences.extend(f"Paramètre « {name} » : {text}" for text in texts)
        details[name] = texts
    raise bad_request(" ".join(sentences) or "Paramètres invalides.", details)


def _texts(value: Any) -> list[str]:
    """The messages of one parameter (a list, or messages by list index)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [text for item in value.values() for text in _texts(item)]
    return [text for item in value for text in _texts(item)]


class FrenchParser(FlaskParser):
    """webargs' Flask parser: the schema's ``unknown = RAISE`` respected (webargs ignores
    unknown query parameters by default), errors raised as French 400s."""

    DEFAULT_VALIDATION_STATUS = 400

    def __init__(self) -> None:
        super().__init__(unknown=None)

    def handle_error(
        self,
        error: ma.ValidationError,
        req: flask.Request,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: Mapping[str, str] | None,
    ) -> NoReturn:
        messages = error.messages if isinstance(error.messages, Mapping) else {}
        validation_error(messages, schema)


class Blueprint(flask_smorest.Blueprint):
    """A ``flask_smorest.Blueprint`` whose parameters are parsed by :class:`FrenchParser`
    (as every blueprint of the API: :mod:`dashboards.api` sets it on flask-smorest's class
    too) and whose answers are described in French."""

    ARGUMENTS_PARSER = FrenchParser()

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Any:
        """flask-smorest's ``response``, described in French by default."""
        if kwargs.get("description") is None:
            kwargs["description"] = STATUS_DESCRIPTIONS.get(int(status_code))
        return super().response(status_code, schema, **kwargs)
