"""Synthetic questionnaire versions for the tests."""

from __future__ import annotations

import yaml

from domain.settings import QUESTIONNAIRE_DIR

QUESTIONNAIRE_PATH = QUESTIONNAIRE_DIR / "v1.yaml"


def write_v2(directory):
    """A second version for 2027: LAB_01 renamed LAB_11 (declared), a new DATA question."""
    document = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    (directory / "v1.yaml").write_text(
        QUESTIONNAIRE_PATH.read_text(encoding="utf-8"), encoding="utf-8"
    )
    document.update(
        version="v2", millesimes=[2027], previous_version="v1", comparability={"LAB_11": "LAB_01"}
    )
    for question in document["questions"]:
        if question["code"] == "LAB_01":
            question["code"] = "LAB_11"
    document["questions"].append(
        {"code": "DATA_06", "axis": "DATA", "label": "La collectivité publie-t-elle ses algorithmes ?",
         "type": "oui_non", "weight": 1, "asked_of": ["REG", "DEP", "ME", "CU", "CA", "COM"], "required": False}
    )  # fmt: skip
    (directory / "v2.yaml").write_text(
        yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
