"""Checked YAML files: read with the line of every key, validated by a pydantic model, every
mistake reported in French with its key path and its line.

A methodology or a questionnaire file is data that changes scores: an unknown key, a weight
under a misspelt child or a list where a mapping is expected must stop the file, not be
ignored. :func:`read_yaml` reads a file once, through PyYAML's composer, and keeps the start
line of each key and item; :func:`check_document` validates the document with a pydantic
model (``extra="forbid"``, strict types) and the model's own cross-checks, and turns each
error into a :class:`FileProblem` (``ligne 12, nodes › hdi › weights › helth : clé inconnue``).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

Path_ = tuple[str | int, ...]
Model = TypeVar("Model", bound=BaseModel)

#: Every model of a checked file: unknown keys are refused, values are not converted from
#: one type to another (``"12"`` is not a number, ``1`` is not ``true``), except numbers
#: written where text is expected (:data:`Text`: a version ``2021``, a code ``12``).
#: Text, or a number written where text is expected (kept as its digits); never a boolean.
Text = Annotated[str, Field(strict=False)]

STRICT = ConfigDict(extra="forbid", strict=True, coerce_numbers_to_str=True, frozen=True)


class StrictModel(BaseModel):
    """Base of the models of checked files."""

    model_config = STRICT

    def consistency_problems(self) -> Iterable[tuple[Path_, str]]:
        """Checks across keys (a weight's child among the children…), as (path, message)."""
        return ()

    @classmethod
    def raw_consistency_problems(cls, data: Any) -> Iterable[tuple[Path_, str]]:
        """The checks across keys that can still run on a document that breaks the schema
        (so that one reading lists every mistake); read defensively."""
        return ()


@dataclass(frozen=True)
class FileProblem:
    """One mistake of a file: where (key path, line) and what, in French."""

    path: Path_
    message: str
    line: int | None = None
    #: The path as a reader finds it: list items numbered from 1, with their code if any.
    where: str = ""

    def __str__(self) -> str:
        where = self.where or " › ".join(str(part) for part in self.path) or "document"
        prefix = f"ligne {self.line}, " if self.line else ""
        return f"{prefix}{where} : {self.message}"


class FileUnreadable(ValueError):
    """The file cannot be read as YAML (missing, not UTF-8, syntax error)."""


class FileInvalid(ValueError):
    """The file is YAML but breaks its schema; ``problems`` lists every mistake."""

    def __init__(self, problems: list[FileProblem], source: str | None = None):
        self.problems = problems
        self.source = source
        count = len(problems)
        head = f"{count} erreur{'s' if count > 1 else ''}"
        super().__init__(
            f"{head}{f' dans {source}' if source else ''} :\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document and the line (1-based) of each key path in its file."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: tuple[tuple[Path_, int], ...] = ()

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its closest ancestor that has one."""
        keys = tuple(str(part) for part in path)
        for end in range(len(keys), 0, -1):
            if keys[:end] in self.lines:
                return self.lines[keys[:end]]
        return None


def _key(part: Any) -> str | int:
    return part if isinstance(part, int) and not isinstance(part, bool) else str(part)


#: Values a checked file may hold once its aliases (``*name``) are expanded: far above any
#: real methodology or questionnaire (a few thousand), far below an alias bomb.
MAX_VALUES = 100_000


class _Walk:
    """Records the line of each key path, and refuses recursive or exploding aliases."""

    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.duplicates: list[tuple[Path_, int]] = []
        self.remaining = MAX_VALUES
        self.active: set[int] = set()

    def visit(self, node: yaml.Node, path: Path_) -> None:
        self.remaining -= 1
        if self.remaining < 0:
            raise FileUnreadable(
                f"plus de {MAX_VALUES} valeurs une fois les alias (*nom) développés : "
                "ce n'est ni une méthodologie ni un questionnaire"
            )
        if not isinstance(node, yaml.CollectionNode):
            return
        if id(node) in self.active:
            line = node.start_mark.line + 1
            raise FileUnreadable(f"alias récursif (une valeur se contient elle-même), ligne {line}")
        self.active.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    self.duplicates.append(((*path, key), key_node.start_mark.line + 1))
                seen.add(key)
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                self.visit(value_node, (*path, key))
        else:
            for index, item in enumerate(node.value):
                self.lines[(*path, str(index))] = item.start_mark.line + 1
                self.visit(item, (*path, str(index)))
        self.active.discard(id(node))


def parse_yaml(text: str, source: str = "document") -> YamlDocument:
    """Parse YAML text, keeping each key's line; :class:`FileUnreadable` on a syntax error,
    a recursive alias or an alias bomb (checked before the document is built)."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:  # a character YAML refuses, before any parsing
        line = text.count("\n", 0, error.position) + 1
        raise FileUnreadable(
            f"{source} contient un caractère de contrôle interdit (U+{error.character:04X}), "
            f"ligne {line} : retapez cette ligne"
        ) from None
    walk = _Walk()
    try:
        node = loader.get_single_node()
        if node is not None:
            walk.visit(node, ())
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        opened = getattr(error, "context_mark", None)
        where = f", ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        if opened is not None and mark is not None and opened.line != mark.line:
            where += f" (bloc ouvert ligne {opened.line + 1})"
        problem = getattr(error, "problem", None) or str(error)
        raise FileUnreadable(
            f"{source} n'est pas un YAML valide{where} : vérifiez l'indentation, les "
            f"deux-points, les crochets et les guillemets (analyseur YAML : « {problem} »)"
        ) from None
    except FileUnreadable as error:
        raise FileUnreadable(f"{source} : {error}") from None
    except RecursionError:
        raise FileUnreadable(f"{source} : imbrication trop profonde") from None
    finally:
        loader.dispose()
    return YamlDocument(data, walk.lines, tuple(walk.duplicates))


def read_yaml(path: Path) -> YamlDocument:
    """Read a YAML file; :class:`FileUnreadable` if it is missing, not UTF-8 or not YAML."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileUnreadable(f"fichier introuvable : {path}") from None
    except IsADirectoryError:
        raise FileUnreadable(f"{path} est un dossier, pas un fichier") from None
    except UnicodeDecodeError as error:
        raise FileUnreadable(
            f"{path} n'est pas encodé en UTF-8 (octet {error.start}) : enregistrez-le en UTF-8"
        ) from None
    except OSError as error:
        raise FileUnreadable(f"{path} ne peut pas être lu : {error.strerror}") from None
    return parse_yaml(text, source=str(path))


# --------------------------------------------------------------------------- messages

_TYPE_NAMES = {
    "float": "nombre",
    "int": "nombre entier",
    "bool": "true ou false",
    "str": "texte",
    "string": "texte",
    "dict": "tableau de clés (clé: valeur)",
    "list": "liste",
    "tuple": "liste",
    "NoneType": "rien",
}


def _written(value: Any) -> str:
    if isinstance(value, dict):
        return "un tableau de clés"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, bool):
        return f"« {str(value).lower()} »"
    if value is None:
        return "rien"
    text = str(value)
    return f"« {text[:40]}{'…' if len(text) > 40 else ''} »"


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model whose keys the last element of ``path`` is one of."""
    annotation: Any = model
    for part in path[:-1]:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                return None
            annotation = info.annotation
        elif typing.get_origin(annotation) in (dict, Mapping, list, tuple):
            annotation = typing.get_args(annotation)[-1] if typing.get_args(annotation) else Any
        else:
            return None
    annotation = _unwrap(annotation)
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
    )


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``Annotated[X, …]`` → ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = (models or members)[0]
        else:
            return annotation


def _message(error: dict, model: type[BaseModel], path: Path_) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "extra_forbidden":
        parent = _model_at(model, path)
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
        hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
        listed = f" (clés permises : {', '.join(allowed)})" if allowed else ""
        return f"clé inconnue « {path[-1]} »{hint}{listed}"
    if kind == "missing":
        return "clé obligatoire absente"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"valeur {_written(value)} inconnue (valeurs permises : {expected})"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤"}.get(
            kind, "<"
        )
        bound = next(iter(ctx.values()))
        if kind == "greater_than_equal" and bound == 0:
            return f"valeur négative refusée : nombre ≥ 0 attendu (lu : {_written(value)})"
        return f"valeur attendue : nombre {sign} {bound} (lu : {_written(value)})"
    if kind in ("too_short", "too_long"):
        if kind == "too_short":
            return f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
        return f"au plus {ctx.get('max_length')} élément(s) attendu(s)"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    if kind == "finite_number":
        return f"valeur attendue : nombre fini (lu : {_written(value)})"
    if kind in ("model_type", "model_attributes_type", "dict_type") and not path:
        if value is None:
            return "le fichier est vide : il doit contenir des clés « clé: valeur »"
        return f"le document doit être un tableau de clés (clé: valeur), pas {_written(value)}"
    if kind in ("model_type", "model_attributes_type"):
        return f"valeur attendue : {_TYPE_NAMES['dict']} (lu : {_written(value)})"
    if kind in ("float_type", "int_type") and isinstance(value, str):
        return (
            f"valeur attendue : {_TYPE_NAMES[kind.removesuffix('_type')]} (lu : le texte "
            f"{_written(value)} : écrivez le nombre sans guillemets)"
        )
    for suffix in ("_type", "_parsing"):
        if kind.endswith(suffix):
            name = kind.removesuffix(suffix)
            expected = _TYPE_NAMES.get(name, name)
            return f"valeur attendue : {expected} (lu : {_written(value)})"
    return f"valeur refusée ({error['msg']})"


def display_path(data: Any, path: Path_) -> str:
    """``questions › n° 3 (LAB_03) › type``: items of lists numbered from 1, named by code."""
    parts = []
    for part in path:
        if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
            code = data.get("code") if isinstance(data, dict) else None
            parts.append(f"n° {part + 1}" + (f" ({code})" if isinstance(code, str) else ""))
            continue
        parts.append(str(part))
        data = data.get(part, data.get(str(part))) if isinstance(data, dict) else None
    return " › ".join(parts) or "document"


def _problem(document: YamlDocument, path: Path_, message: str) -> FileProblem:
    return FileProblem(path, message, document.line_of(path), display_path(document.data, path))


def _clean_location(loc: tuple) -> Path_:
    # pydantic appends "[key]" to the location of a mapping key that fails its type.
    return tuple(_key(part) for part in loc if part != "[key]")


def check_document(model: type[Model], document: YamlDocument, source: str | None = None) -> Model:
    """Validate ``document`` with ``model``; :class:`FileInvalid` lists every mistake."""
    problems = [
        FileProblem(path, "clé en double (la seconde écraserait la première)", line)
        for path, line in document.duplicates
    ]
    parsed = None
    try:
        parsed = model.model_validate(document.data)
    except ValidationError as error:
        for item in error.errors(include_url=False):
            path = _clean_location(item["loc"])
            message = _message(item, model, path)
            if "[key]" in item["loc"]:  # a mapping's key, not its value, has the wrong type
                path = path[:-1]
                message = f"clé {_written(item.get('input'))} refusée, {message} ; écrivez-la entre guillemets"
            problems.append(_problem(document, path, message))
    if parsed is None:
        seen = {problem.path for problem in problems}
        problems += [
            _problem(document, tuple(_key(p) for p in path), message)
            for path, message in model.raw_consistency_problems(document.data)
            if tuple(_key(p) for p in path) not in seen
        ]
    else:
        problems += [
            _problem(document, tuple(_key(p) for p in path), message)
            for path, message in parsed.consistency_problems()
        ]
    if problems:
        raise FileInvalid(sorted(problems, key=lambda p: p.line or 0), source)
    return parsed


def load_checked(model: type[Model], path: Path) -> Model:
    """Read and check a YAML file (:class:`FileUnreadable`, :class:`FileInvalid`)."""
    return check_document(model, read_yaml(path), source=str(path))


# --------------------------------------------------------------------------- documentation


def _type_name(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in args if a is not type(None)]
        return " ou ".join(names) + (" (ou rien)" if type(None) in args else "")
    if origin is typing.Literal:
        return " / ".join(f"`{a}`" for a in args)
    if origin in (dict, Mapping):
        return f"tableau code → {_type_name(args[1])}" if args else "tableau"
    if origin in (list, tuple):
        return f"liste de {_type_name(args[0])}" if args else "liste"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"tableau ({annotation.model_config.get('title') or annotation.__name__})"
    return _TYPE_NAMES.get(getattr(annotation, "__name__", ""), str(annotation))


def _bounds(info: Any) -> str:
    signs = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "min_length": "longueur ≥"}
    parts = []
    for item in info.metadata:
        for name, sign in signs.items():
            bound = getattr(item, name, None)
            if bound is not None:
                parts.append(f"{sign} {bound:g}" if isinstance(bound, float) else f"{sign} {bound}")
    annotation = info.annotation
    # Bounds declared on the values of a mapping or list (weights ≥ 0).
    is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    each = "" if is_union else "chaque valeur "
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            for item in typing.get_args(arg)[1:]:
                for constraint in [item, *getattr(item, "metadata", [])]:
                    for name, sign in signs.items():
                        bound = getattr(constraint, name, None)
                        if bound is not None:
                            parts.append(f"{each}{sign} {bound:g}")
    return ", ".join(parts)


def key_table(model: type[BaseModel]) -> str:
    """A Markdown table of a model's keys: type, default, range, meaning (French)."""
    rows = [
        f"#### {model.model_config.get('title') or model.__name__}",
        "",
        "| Clé | Type | Défaut | Bornes | Sens |",
        "|---|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        if info.is_required():
            default = "**obligatoire**"
        elif info.default_factory is not None:
            made = info.default_factory()
            default = "valeurs par défaut ci-dessous" if isinstance(made, BaseModel) else "vide"
        elif info.default is None:
            default = "—"
        elif isinstance(info.default, bool):
            default = f"`{str(info.default).lower()}`"
        elif isinstance(info.default, float):
            default = f"`{info.default:g}`"
        else:
            default = f"`{info.default}`"
        rows.append(
            f"| `{name}` | {_type_name(info.annotation)} | {default} | {_bounds(info)} "
            f"| {info.description or ''} |"
        )
    return "\n".join(rows) + "\n"


def format_tables() -> str:
    """The key tables of ``docs/methodologie.md`` (``python -m schemas.yaml_files``)."""
    from schemas import methodology, questionnaire_file

    models = [
        methodology.MethodologyFile,
        methodology.NodeSpec,
        methodology.IndicatorSpec,
        methodology.Normalisation,
        questionnaire_file.QuestionnaireFile,
        questionnaire_file.Axis,
        questionnaire_file.Question,
        questionnaire_file.Option,
        questionnaire_file.SurveyMethodology,
        questionnaire_file.Uncertainty,
    ]
    return "\n".join(key_table(model) for model in models)


if __name__ == "__main__":
    print(format_tables(), end="")
