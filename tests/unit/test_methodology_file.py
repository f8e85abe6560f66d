"""Methodology and questionnaire files are checked like data: every mistake is refused with
its key path and its line, in French; the shipped files still load and score."""

from __future__ import annotations

import math
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml

from domain.composite import (
    MethodologyError,
    MethodologyUnreadable,
    compute,
    contributions,
    load_methodology,
    methodology_from_dict,
)
from domain.methodology_check import check_methodology_file
from domain.questionnaire import QuestionnaireError, load_questionnaire
from domain.settings import PROJECT_ROOT, QUESTIONNAIRE_DIR
from schemas.yaml_files import format_tables

HDI = PROJECT_ROOT / "data" / "methodologies" / "hdi_2021.yaml"
HDI_TEXT = HDI.read_text(encoding="utf-8")
DOC = PROJECT_ROOT / "docs" / "methodologie.md"
SHIPPED = sorted((PROJECT_ROOT / "data" / "methodologies").glob("*.yaml")) + sorted(
    QUESTIONNAIRE_DIR.glob("*.yaml")
)


def hdi_with(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the HDI methodology with one edit (``old`` must occur once)."""
    assert HDI_TEXT.count(old) == 1, old
    path = tmp_path / "methodologie.yaml"
    path.write_text(HDI_TEXT.replace(old, new), encoding="utf-8")
    return path


def adding(line: str, added: str) -> tuple[str, str]:
    """The edit (for :func:`hdi_with`) that adds ``added`` right after ``line``."""
    return line, line + added


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of ``path`` that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# (edit of the HDI file, key path of the mistake, text on the mistake's line, message)
MISTAKES = [
    pytest.param(
        adding(
            "    children: [expected_years_schooling, mean_years_schooling]\n",
            "    weights: {expected_years_schooling: 2, mean_years_schooling: 1, mean_years_schoolin: 1}\n",
        ),
        ("nodes", "education", "weights", "mean_years_schoolin"),
        "weights:",
        "absent de children",
        id="misspelt-weight-key",
    ),
    pytest.param(
        adding("    children: [life_expectancy]\n", "    weights: {income: 1}\n"),
        ("nodes", "health", "weights", "income"),
        "weights: {income",
        "poids d'un enfant absent de children",
        id="weight-of-another-nodes-child",
    ),
    pytest.param(
        (
            "    normalisation: {method: minmax, min: 20, max: 85, clip: true}",
            "    normalization: {method: minmax, min: 20, max: 85, clip: true}",
        ),
        ("indicators", "life_expectancy", "normalization"),
        "normalization:",
        "clé inconnue « normalization » ; vouliez-vous dire « normalisation » ?",
        id="normalization",
    ),
    pytest.param(
        adding("    children: [health, education, income]\n", "    weights: [1, 1, 1]\n"),
        ("nodes", "hdi", "weights"),
        "weights: [1",
        "valeur attendue : tableau de clés (clé: valeur) (lu : une liste)",
        id="list-for-weights",
    ),
    pytest.param(
        adding("    children: [life_expectancy]\n", "    weights: {life_expectancy: -1}\n"),
        ("nodes", "health", "weights", "life_expectancy"),
        "life_expectancy: -1",
        "valeur négative",
        id="negative-weight",
    ),
    pytest.param(
        (
            "    children: [gni_per_capita_ppp2017]\n    min_coverage: 1.0",
            "    children: [gni_per_capita_ppp2017]\n    min_coverage: 1.5",
        ),
        ("nodes", "income", "min_coverage"),
        "min_coverage: 1.5",
        "nombre ≤ 1",
        id="min-coverage-above-1",
    ),
    pytest.param(
        ("min: 0, max: 18,", "min: 0, max: dix-huit,"),
        ("indicators", "expected_years_schooling", "normalisation", "max"),
        "dix-huit",
        "valeur attendue : nombre (lu : le texte « dix-huit »",
        id="text-for-a-number",
    ),
    pytest.param(
        ("min: 0, max: 15,", "min: 15, max: 0,"),
        ("indicators", "mean_years_schooling", "normalisation"),
        "min: 15, max: 0",
        "max doit être supérieur à min",
        id="goalposts-upside-down",
    ),
    pytest.param(
        ("min: 100, max: 75000", "min: 0, max: 75000"),
        ("indicators", "gni_per_capita_ppp2017"),
        "gni_per_capita_ppp2017:",
        "transform: log demande des bornes strictement positives",
        id="log-of-zero-goalpost",
    ),
    pytest.param(
        ("    aggregation: geometric\n", "    aggregation: geometrique\n"),
        ("nodes", "hdi", "aggregation"),
        "aggregation: geometrique",
        "valeur « geometrique » inconnue (valeurs permises : arithmetic, geometric)",
        id="unknown-aggregation",
    ),
    pytest.param(
        adding("scale: 1\n", "seuil: 0.5\n"),
        ("seuil",),
        "seuil:",
        "clé inconnue « seuil »",
        id="unknown-top-level-key",
    ),
    pytest.param(
        ("root: hdi\n", "root: idh\n"),
        ("root",),
        "root: idh",
        "racine « idh » absente des nœuds",
        id="unknown-root",
    ),
    pytest.param(
        ("    children: [life_expectancy]\n", "    children: [life_expectency]\n"),
        ("nodes", "health", "children", 0),
        "life_expectency",
        "enfant « life_expectency » inconnu",
        id="misspelt-child",
    ),
    pytest.param(
        ("  health:\n    label:", '  health:\n    label: "x"\n  health:\n    label:'),
        ("nodes", "health"),
        "  health:",
        "clé en double",
        id="duplicate-key",
    ),
]


@pytest.mark.parametrize(("edit", "path", "on_line", "message"), MISTAKES)
def test_each_mistake_is_refused_with_its_key_path_and_line(tmp_path, edit, path, on_line, message):
    file = hdi_with(tmp_path, *edit)
    with pytest.raises(MethodologyError) as raised:
        load_methodology(file)
    problems = {problem.path: problem for problem in raised.value.problems}
    assert path in problems, raised.value
    problem = problems[path]
    assert message in problem.message
    expected_line = line_of(file, on_line)
    if path == ("nodes", "health"):  # a duplicate: the second key is the one reported
        expected_line = max(n for n, line in enumerate(file.read_text().splitlines(), 1)
                            if line == "  health:")  # fmt: skip
    assert problem.line == expected_line
    assert f"ligne {expected_line}, " in str(raised.value)


def test_one_reading_lists_every_mistake_in_line_order(tmp_path):
    file = hdi_with(
        tmp_path,
        *adding("    children: [health, education, income]\n", "    weights: {helth: 2}\n"),
    )
    file.write_text(
        file.read_text().replace(
            "normalisation: {method: minmax, min: 20", "normalization: {method: minmax, min: 20"
        )
    )
    with pytest.raises(MethodologyError) as raised:
        load_methodology(file)
    assert [p.path[-1] for p in raised.value.problems] == ["helth", "normalization"]
    assert [p.line for p in raised.value.problems] == [
        line_of(file, "helth"),
        line_of(file, "normalization"),
    ]


def test_a_yaml_syntax_error_is_unreadable_with_its_line(tmp_path):
    file = hdi_with(
        tmp_path, "children: [health, education, income]", "children: [health, education"
    )
    with pytest.raises(MethodologyUnreadable, match=r"n'est pas un YAML valide, ligne \d+"):
        load_methodology(file)


def alias_bomb() -> str:
    """Nine levels of nine aliases: 9⁹ values once expanded, a few hundred bytes written."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1, *x]\n", "alias récursif"),
        (alias_bomb(), "valeurs une fois les alias"),
        ("a: " + "[" * 800 + "]" * 800 + "\n", "imbrication trop profonde"),
        ("root: r\nnodes: x\x01\n", "ligne 2 : retapez cette ligne"),
    ],
    ids=["recursive-alias", "alias-bomb", "deep-nesting", "control-character"],
)
def test_hostile_yaml_is_unreadable_not_a_hang_or_a_traceback(tmp_path, run_cli, text, message):
    file = tmp_path / "m.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(MethodologyUnreadable, match=message):
        load_methodology(file)
    done = run_cli("methodologie", "verifier", str(file))
    assert done.returncode == 2 and message in done.stderr


def test_built_in_code_methodologies_go_through_the_same_schema():
    document = yaml.safe_load(HDI_TEXT)
    document["nodes"]["hdi"]["weights"] = {"helth": 1}
    with pytest.raises(MethodologyError, match=r"nodes › hdi › weights › helth"):
        methodology_from_dict(document)


def test_mapping_keys_read_as_booleans_by_yaml_are_refused(tmp_path):
    """``yes``/``no`` are booleans in YAML: a mapping keyed by them matched nothing."""
    file = tmp_path / "m.yaml"
    file.write_text(
        "root: r\nnodes:\n  r: {children: [x]}\nindicators:\n"
        "  x:\n    normalisation: identity\n    mapping: {yes: 1, no: 0}\n",
        encoding="utf-8",
    )
    with pytest.raises(
        MethodologyError,
        match=r"ligne 7, indicators › x › mapping : clé « true » refusée, valeur attendue : texte",
    ):
        load_methodology(file)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_methodology_and_questionnaire_is_valid(path):
    assert "valide" in check_methodology_file(path)


# --------------------------------------------------------------------------- questionnaire


def questionnaire_with(tmp_path: Path, change) -> Path:
    document = yaml.safe_load((QUESTIONNAIRE_DIR / "v1.yaml").read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "v1.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda d: d["questions"][2].update(poids=2), "questions › n° 3 (LAB_03) › poids",
         "clé inconnue « poids »"),
        (lambda d: d["methodology"]["uncertainty"].update(base_sample=10),
         "methodology › uncertainty › base_sample", "vouliez-vous dire « base_samples » ?"),
        (lambda d: d["questions"][0].update(weight=-2), "questions › n° 1 (LAB_01) › weight",
         "nombre > 0"),
        (lambda d: d["questions"][4].update(axis="LABO"), "questions › n° 5 (LAB_05) › axis",
         "axe « LABO » inconnu"),
        (lambda d: d.update(comparability={"LAB_99": "LAB_01"}), "comparability › LAB_99",
         "absente de cette version"),
    ],
    ids=["unknown-question-key", "misspelt-uncertainty-key", "negative-weight", "unknown-axis",
         "comparability-of-an-unknown-question"],
)  # fmt: skip
def test_questionnaire_mistakes_are_refused_with_key_path_and_line(
    tmp_path, change, where, message
):
    path = questionnaire_with(tmp_path, change)
    with pytest.raises(QuestionnaireError) as raised:
        load_questionnaire(path)
    [problem] = raised.value.problems
    assert str(problem).endswith(f"{where} : {problem.message}")
    assert message in problem.message
    key = where.split(" › ")[-1]
    assert f"{key}:" in path.read_text(encoding="utf-8").splitlines()[problem.line - 1]


# --------------------------------------------------------------------------- command line


def test_methodologie_verifier_exit_codes(tmp_path, run_cli):
    valid = run_cli("methodologie", "verifier", str(HDI))
    assert valid.returncode == 0 and "Méthodologie valide" in valid.stdout
    survey = run_cli("methodologie", "verifier", str(QUESTIONNAIRE_DIR / "v1.yaml"))
    assert survey.returncode == 0 and "Questionnaire v1 valide" in survey.stdout
    wrong = hdi_with(
        tmp_path,
        "normalisation: {method: minmax, min: 20",
        "normalization: {method: minmax, min: 20",
    )
    invalid = run_cli("methodologie", "verifier", str(wrong))
    assert invalid.returncode == 1
    assert re.search(r"ligne \d+, indicators › life_expectancy › normalization", invalid.stderr)
    broken = tmp_path / "casse.yaml"
    broken.write_text("root: r\nnodes:\n  r: {children: [x]\n", encoding="utf-8")
    unreadable = run_cli("methodologie", "verifier", str(broken))
    assert unreadable.returncode == 2 and "Méthodologie illisible" in unreadable.stderr
    missing = run_cli("methodologie", "verifier", str(tmp_path / "absent.yaml"))
    assert missing.returncode == 2 and "introuvable" in missing.stderr
    for done in (invalid, unreadable, missing):
        assert "Traceback" not in done.stderr


def long_values(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["unit", "indicator", "value"])


ARITHMETIC = """\
root: index
nodes:
  index:
    children: [a, b]
    min_coverage: 0.5
indicators:
  a:
    normalisation: {method: minmax, min: 10, max: 20, clip: false}
  b:
    normalisation: {method: minmax, min: 0, max: 1}
"""


def test_score_refuses_an_invalid_methodology_and_reports_partial_coverage(tmp_path, run_cli):
    values = tmp_path / "values.csv"
    long_values([("u", "a", 5), ("u", "b", 0.5), ("v", "a", 15), ("w", "a", 12),
                 ("w", "b", 0.2), ("v", "B", 0.3)]).to_csv(values, index=False)  # fmt: skip
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        ARITHMETIC.replace("    children: [a, b]", "    children: [a, b]\n    weights: [1, 2]")
    )
    refused = run_cli(
        "score",
        "--methodology",
        str(wrong),
        "--values",
        str(values),
        "--out",
        str(tmp_path / "o.csv"),
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "ligne 5, nodes › index › weights" in refused.stderr
    assert not (tmp_path / "o.csv").exists()
    good = tmp_path / "good.yaml"
    good.write_text(ARITHMETIC)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (log of a negative score)
        done = run_cli("score", "--methodology", str(good), "--values", str(values), "--out", str(tmp_path / "o.csv"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "3 unités notées sur 3" in done.stdout
    assert "Couverture partielle : 1 unité(s)" in done.stdout and "index (1)" in done.stdout
    assert "Valeurs ignorées, indicateurs absents de la méthodologie" in done.stdout
    assert done.stdout.rstrip().endswith("orthographié ?) : B")
    scores = pd.read_csv(tmp_path / "o.csv").set_index(["unit", "node"])["score"]
    assert scores[("u", "index")] == pytest.approx((-0.5 + 0.5) / 2)


def test_no_runtime_warning_without_geometric_nodes_and_geometric_results_unchanged():
    document = yaml.safe_load(ARITHMETIC)
    values = long_values([("u", "a", 5), ("u", "b", 0.5), ("v", "a", 20), ("v", "b", 0.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        arithmetic = methodology_from_dict(document)
        scores = compute(values, arithmetic)
        contributions(scores, arithmetic)
        document["nodes"]["index"]["aggregation"] = "geometric"
        geometric = methodology_from_dict(document)
        geo_scores = compute(values, geometric).set_index(["unit", "node"])["score"]
        parts = contributions(geo_scores.reset_index(), geometric)
    assert geo_scores[("u", "index")] == 0, "a negative child makes a geometric mean 0"
    assert geo_scores[("v", "index")] == 0, "so does a zero child"
    assert math.isinf(parts.set_index(["unit", "child"]).loc[("v", "b"), "contribution"])


def test_the_format_page_lists_every_key_as_the_models_declare_it():
    """docs/methodologie.md holds the tables generated from the models
    (``python -m schemas.yaml_files``): a key added to a model must be documented."""
    assert format_tables() in DOC.read_text(encoding="utf-8")


def test_a_command_reading_an_invalid_questionnaire_says_where_without_a_traceback(
    tmp_path, run_cli
):
    folder = tmp_path / "questionnaire"
    folder.mkdir()
    text = (QUESTIONNAIRE_DIR / "v1.yaml").read_text(encoding="utf-8")
    (folder / "v1.yaml").write_text(text.replace("\nmethodology:\n", "\nmethodolgy:\n"), "utf-8")
    out = tmp_path / "modele.csv"
    done = run_cli("template", "--territoire", "DEP-13", "--millesime", "2025", "-o", str(out),
                   env={"OBSERVATOIRE_QUESTIONNAIRES": str(folder)})  # fmt: skip
    assert done.returncode == 2
    assert "clé inconnue « methodolgy » ; vouliez-vous dire « methodology » ?" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
