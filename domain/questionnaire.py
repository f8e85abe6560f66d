"""Questionnaire: the yearly survey's axes and questions, read from YAML files (data, not code).

Each version of the questionnaire is one file of ``data/questionnaire/`` and names the
millésimes it is used for. A version that changes questions declares, under
``comparability``, which new question continues which question of the previous version;
an axis whose questions change otherwise has a break in its series, flagged in the data.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from domain.settings import env_path
from schemas.questionnaire import AxisSchema, QuestionSchema
from schemas.questionnaire_file import QuestionnaireFile
from schemas.vocabulary import KIND_LABELS
from schemas.yaml_files import FileInvalid, FileProblem, FileUnreadable, check_document, read_yaml


class QuestionnaireError(ValueError):
    """A questionnaire file cannot be used: unreadable YAML, or mistakes against its schema
    (``problems``: each with its key path and line). The message is French."""

    def __init__(self, message: str, problems: list[FileProblem] | None = None):
        super().__init__(message)
        self.problems = problems or []


@dataclass(frozen=True)
class Questionnaire:
    """One version of the survey: its axes, its questions and the millésimes it is open for."""

    version: str
    title: str
    millesimes: tuple[int, ...]
    territory_kinds: dict[str, str]
    scale_labels: dict[int, str]
    axes: pd.DataFrame
    questions: pd.DataFrame
    #: Methodology settings of the survey (e.g. its uncertainty analysis).
    methodology: dict = field(default_factory=dict)
    #: Version this one follows, and which of its questions continue which old ones.
    previous_version: str | None = None
    comparability: dict[str, str] = field(default_factory=dict)

    def questions_for_kind(self, kind: str) -> pd.DataFrame:
        """Questions asked of territories of this kind."""
        return self.questions.loc[self.questions["asked_of"].map(lambda kinds: kind in kinds)]


def _question_row(raw: dict, default_scale: dict[int, str]) -> dict:
    options = raw.get("options") or []
    scale = {int(k): str(v) for k, v in (raw.get("scale_labels") or default_scale).items()}
    return {
        "code": raw["code"],
        "axis": raw["axis"],
        "label": raw["label"],
        "answer_type": raw["type"],
        "weight": float(raw.get("weight", 1)),
        "asked_of": tuple(raw["asked_of"]),
        "required": bool(raw.get("required", False)),
        "higher_is_better": bool(raw.get("higher_is_better", True)),
        "unit": raw.get("unit"),
        "target_per_10000": raw.get("target_per_10000"),
        "options": tuple((str(o["code"]), str(o["label"])) for o in options),
        "scale_labels": scale if raw["type"] == "echelle" else {},
        "help": raw.get("help"),
    }


def load_questionnaire(path: Path) -> Questionnaire:
    """Read and check a questionnaire YAML file against ``schemas/questionnaire_file.py``
    (:class:`QuestionnaireError` lists every mistake with its key path and line)."""
    try:
        parsed = read_yaml(Path(path))
        checked = check_document(QuestionnaireFile, parsed, source=str(path))
    except FileUnreadable as error:
        raise QuestionnaireError(f"Questionnaire illisible : {error}") from None
    except FileInvalid as error:
        raise QuestionnaireError(f"Questionnaire invalide : {error}", error.problems) from None
    document = checked.model_dump()
    default_scale = {int(k): str(v) for k, v in document["scale_labels"].items()}
    axes = pd.DataFrame(document["axes"])
    axes["position"] = range(1, len(axes) + 1)
    if "description" not in axes:
        axes["description"] = None
    axes = AxisSchema.validate(axes[["code", "label", "description", "position"]])
    questions = pd.DataFrame([_question_row(q, default_scale) for q in document["questions"]])
    questions = QuestionSchema.validate(questions)
    unknown_axes = set(questions["axis"]) - set(axes["code"])
    if unknown_axes:
        raise ValueError(f"Axes inconnus dans le questionnaire : {sorted(unknown_axes)}")
    # The file lists the kinds it asks; their French names are the shared vocabulary's.
    declared = [str(code) for code in document["territory_kinds"]]
    unknown_kinds = ({k for kinds_ in questions["asked_of"] for k in kinds_} | set(declared)) - set(
        KIND_LABELS
    )
    if unknown_kinds:
        raise ValueError(f"Types de territoire inconnus : {sorted(unknown_kinds)}")
    kinds = {code: KIND_LABELS[code] for code in declared}
    return Questionnaire(
        version=str(document["version"]),
        title=str(document["title"]),
        millesimes=tuple(int(m) for m in document["millesimes"]),
        territory_kinds=kinds,
        scale_labels=default_scale,
        axes=axes.reset_index(drop=True),
        questions=questions.reset_index(drop=True),
        methodology=checked.methodology.model_dump(exclude_unset=True),
        previous_version=document.get("previous_version"),
        comparability={str(k): str(v) for k, v in (document.get("comparability") or {}).items()},
    )


@dataclass(frozen=True)
class Questionnaires:
    """Every version of the questionnaire, each used for its own millésimes."""

    versions: tuple[Questionnaire, ...]

    def __post_init__(self) -> None:
        seen: dict[int, str] = {}
        for questionnaire in self.versions:
            for millesime in questionnaire.millesimes:
                if millesime in seen:
                    raise ValueError(
                        f"Millésime {millesime} attribué à deux versions : {seen[millesime]} "
                        f"et {questionnaire.version}"
                    )
                seen[millesime] = questionnaire.version

    @property
    def open_millesimes(self) -> tuple[int, ...]:
        return tuple(sorted(m for q in self.versions for m in q.millesimes))

    @property
    def current(self) -> Questionnaire:
        """The version of the latest millésime."""
        return max(self.versions, key=lambda q: max(q.millesimes))

    def for_millesime(self, millesime: int) -> Questionnaire | None:
        """The version that a millésime's answers are validated and scored with."""
        return next((q for q in self.versions if millesime in q.millesimes), None)

    def by_version(self, version: str) -> Questionnaire:
        return next(q for q in self.versions if q.version == version)


def load_questionnaires(directory: Path | None = None) -> Questionnaires:
    """Every questionnaire version of ``directory`` (one YAML file each; by default the
    folder named by ``OBSERVATOIRE_QUESTIONNAIRES``, else ``data/questionnaire``).

    This is the one answer to "which millésimes exist" (:attr:`Questionnaires.open_millesimes`)
    and "which version scores a millésime" (:meth:`Questionnaires.for_millesime`): the
    partitions, the validation of a file, its template and the publication all read it.
    """
    directory = Path(directory or env_path("OBSERVATOIRE_QUESTIONNAIRES"))
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise FileNotFoundError(f"Aucun questionnaire (fichier .yaml) dans {directory}.")
    return Questionnaires(tuple(load_questionnaire(path) for path in paths))


def as_questionnaires(questionnaire: "Questionnaire | Questionnaires") -> Questionnaires:
    """Accept one version where several may be given."""
    if isinstance(questionnaire, Questionnaires):
        return questionnaire
    return Questionnaires((questionnaire,))


def series_breaks(questionnaires: Questionnaires) -> pd.DataFrame:
    """For each version following another, whether each axis's series stays comparable.

    An axis stays comparable when every question of the new version either is a question
    of the same axis in the previous version (same code, or declared in ``comparability``)
    with the same answer type and weight, and no question of the previous version's axis
    is dropped. Otherwise the series breaks at the new version's first millésime.
    """
    rows = []
    for new in questionnaires.versions:
        if not new.previous_version:
            continue
        old = questionnaires.by_version(new.previous_version)
        old_questions = old.questions.set_index("code")
        for axis in new.axes["code"]:
            changes = []
            continued = set()
            for q in new.questions.loc[new.questions["axis"] == axis].itertuples():
                source = new.comparability.get(q.code, q.code)
                if source not in old_questions.index or old_questions.loc[source, "axis"] != axis:
                    changes.append(f"question {q.code} ajoutée")
                    continue
                continued.add(source)
                before = old_questions.loc[source]
                if before["answer_type"] != q.answer_type or before["weight"] != q.weight:
                    changes.append(f"question {q.code} modifiée (type ou poids)")
            dropped = set(old.questions.loc[old.questions["axis"] == axis, "code"]) - continued
            changes += [f"question {code} supprimée" for code in sorted(dropped)]
            rows.append(
                {
                    "millesime": min(new.millesimes),
                    "version": new.version,
                    "previous_version": old.version,
                    "axis": axis,
                    "comparable": not changes,
                    "changes": " ; ".join(changes) or None,
                }
            )
    columns = ["millesime", "version", "previous_version", "axis", "comparable", "changes"]
    return pd.DataFrame(rows, columns=columns)


def questions_table(questionnaire: Questionnaire) -> pd.DataFrame:
    """The questions flattened for storage: lists as comma-separated text, options as JSON."""
    q = questionnaire.questions
    return pd.DataFrame(
        {
            "code": q["code"],
            "axis": q["axis"],
            "label": q["label"],
            "answer_type": q["answer_type"],
            "weight": q["weight"],
            "asked_of": q["asked_of"].map(",".join),
            "required": q["required"],
            "higher_is_better": q["higher_is_better"],
            "unit": q["unit"],
            "target_per_10000": pd.to_numeric(q["target_per_10000"]),
            "options": q["options"].map(
                lambda opts: json.dumps(
                    [{"code": c, "label": lbl} for c, lbl in opts], ensure_ascii=False
                )
            ),
            "scale_labels": q["scale_labels"].map(
                lambda s: json.dumps({str(k): v for k, v in s.items()}, ensure_ascii=False)
            ),
            "help": q["help"],
            "version": questionnaire.version,
        }
    )
