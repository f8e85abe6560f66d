"""Questionnaire: the yearly survey's axes and questions, read from a YAML file (data, not code)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import pandas as pd
import yaml
from dagster_duckdb import DuckDBResource

from assets.storage import replace_table
from pipelines.settings import QUESTIONNAIRE_PATH
from schemas.questionnaire import AxisSchema, QuestionSchema


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


def load_questionnaire(path: Path = QUESTIONNAIRE_PATH) -> Questionnaire:
    """Read and check a questionnaire YAML file."""
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
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
    kinds = {str(k): str(v) for k, v in document["territory_kinds"].items()}
    unknown_kinds = {k for kinds_ in questions["asked_of"] for k in kinds_} - set(kinds)
    if unknown_kinds:
        raise ValueError(f"Types de territoire inconnus : {sorted(unknown_kinds)}")
    return Questionnaire(
        version=str(document["version"]),
        title=str(document["title"]),
        millesimes=tuple(int(m) for m in document["millesimes"]),
        territory_kinds=kinds,
        scale_labels=default_scale,
        axes=axes.reset_index(drop=True),
        questions=questions.reset_index(drop=True),
        methodology=document.get("methodology") or {},
    )


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


@dg.asset(group_name="reference", kinds={"duckdb"}, pool="duckdb_warehouse")
def core_questionnaire(warehouse: DuckDBResource) -> dg.MaterializeResult:
    """Survey axes and questions of questionnaire v1, loaded from data/questionnaire/v1.yaml."""
    questionnaire = load_questionnaire()
    axes = questionnaire.axes
    questions = questions_table(questionnaire)
    with warehouse.get_connection() as con:
        replace_table(con, "axes", axes)
        replace_table(con, "questions", questions)
    return dg.MaterializeResult(
        metadata={
            "version": questionnaire.version,
            "axes": len(axes),
            "questions": len(questions),
            "millesimes": ", ".join(map(str, questionnaire.millesimes)),
        }
    )
