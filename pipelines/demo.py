"""Deterministic demo submissions: plausible answers for every territory of the reference.

Maturity grows with size and depends on the kind of territory; it progresses from one
millésime to the next; some optional questions are left unanswered; and a few files are
broken the way real files break, so that the rejection path shows.

Any scope (``observatoire demo --perimetre``) can be drawn. The territories of the default
scope are drawn one file at a time, each from a generator seeded by its code: their files
are those of the historical demo, byte for byte. The territories only wider scopes add
(communautés de communes, smaller communes: up to 36,000) are drawn all at once, one
matrix of answers per kind and millésime (:func:`bulk_answers`). By default every territory
answers every millésime (``answer_rate`` 1: the worst case for a benchmark); a lower rate
leaves a share of the territories without a file, drawn per millésime.
"""

from __future__ import annotations

import csv
import io
import os
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from domain.questionnaire import Questionnaire, Questionnaires, as_questionnaires
from domain.settings import DEFAULT_SCOPE
from schemas.submission import SUBMISSION_COLUMNS

DEMO_SEED = 2026
#: The year of the latent maturity; later millésimes progress by YEARLY_PROGRESS a year.
BASE_YEAR = 2024

#: Typical maturity (0–1) of each kind of territory before size effects.
KIND_BASELINE = {
    "REG": 0.55, "DEP": 0.45, "ME": 0.62, "CU": 0.50, "CA": 0.40, "CC": 0.34, "COM": 0.44,
}  # fmt: skip
YEARLY_PROGRESS = 0.045
SKIP_OPTIONAL_PROBABILITY = 0.08


def _rng(seed: int, *parts: object) -> np.random.Generator:
    """A generator that depends only on the seed and the given parts (stable across runs)."""
    return np.random.default_rng([seed, *(zlib.crc32(str(p).encode()) for p in parts)])


def territory_maturity(territories: pd.DataFrame, seed: int = DEMO_SEED) -> pd.Series:
    """Latent maturity 0–1 of each territory in the first demo millésime."""
    population = territories["population"].astype(float)
    median_of_kind = population.groupby(territories["kind"]).transform("median")
    size_effect = 0.18 * np.log10((population / median_of_kind).fillna(1.0))
    noise = territories["code"].map(lambda code: _rng(seed, code, "maturity").normal(0, 0.09))
    maturity = territories["kind"].map(KIND_BASELINE) + size_effect + noise
    return pd.Series(np.clip(maturity, 0.05, 0.92), index=territories.index)


def axis_offsets(code: str, axes: Iterable[str], seed: int = DEMO_SEED) -> dict[str, float]:
    """How far a territory of the default scope stands above (or below) its latent maturity
    on each axis, in the order of ``axes``: its answers on an axis are drawn at
    maturity + offset (+ yearly progress)."""
    axis_rng = _rng(seed, code, "axes")
    return {axis: axis_rng.normal(0, 0.12) for axis in axes}


def _answer(question: pd.Series, level: float, population: float, rng: np.random.Generator) -> str:
    kind = question["answer_type"]
    if kind == "oui_non":
        return "oui" if rng.random() < level else "non"
    if kind == "echelle":
        return str(int(np.clip(round(4 * level + rng.normal(0, 0.7)), 0, 4)))
    if kind == "pourcentage":
        share = level if question["higher_is_better"] else 1 - level
        value = round(float(np.clip(100 * share + rng.normal(0, 12), 0, 100)), 1)
        text = f"{value:.1f}".replace(".", ",")
        # Up to 1, a decimal percentage carries its sign ("0,7" alone could be a share: 70 %).
        return f"{text} %" if 0 < value <= 1 else text
    if kind == "nombre":
        rate = question["target_per_10000"] * level * rng.lognormal(0, 0.35)
        inhabitants = population if population > 0 else 100_000
        return str(int(round(rate * inhabitants / 10_000)))
    if kind == "choix_multiple":
        chosen = [code for code, _ in question["options"] if rng.random() < level]
        return "|".join(chosen) or "aucun"
    raise ValueError(kind)


def demo_rows(
    territory: pd.Series,
    millesime: int,
    maturity: float,
    questionnaire: Questionnaire,
    seed: int,
    questions: list[dict] | None = None,
) -> list[list[str]]:
    """The rows of one territory's submission for one millésime (``questions``: the
    records of the questions asked of its kind, when the caller already has them)."""
    rng = _rng(seed, territory["code"], millesime)
    axis_offset = axis_offsets(territory["code"], questionnaire.axes["code"], seed)
    progress = YEARLY_PROGRESS * (millesime - BASE_YEAR)
    rows = []
    if questions is None:
        questions = questionnaire.questions_for_kind(territory["kind"]).to_dict("records")
    for question in questions:
        level = float(np.clip(maturity + progress + axis_offset[question["axis"]], 0.02, 0.98))
        population = territory["population"]
        answer = _answer(question, level, 0.0 if pd.isna(population) else float(population), rng)
        if not question["required"] and rng.random() < SKIP_OPTIONAL_PROBABILITY:
            answer = ""
        comment = "Chiffre provisoire" if rng.random() < 0.03 else ""
        rows.append([territory["code"], str(millesime), question["code"], answer, comment])
    return rows


def to_csv_bytes(rows: list[list[str]], header: list[str] = SUBMISSION_COLUMNS) -> bytes:
    """The template's CSV encoding: UTF-8, ``;`` separators, CRLF as spreadsheets write it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def broken_demo_files(
    territories: pd.DataFrame,
    questionnaire: Questionnaire,
    millesime: int,
    seed: int = DEMO_SEED,
) -> dict[str, bytes]:
    """A few files broken the way real ones are; each is rejected with a report."""
    bouches = territories.loc[territories["code"] == "DEP-13"].iloc[0]
    rows = demo_rows(bouches, millesime, 0.5, questionnaire, seed)
    by_type = questionnaire.questions.set_index("code")["answer_type"]
    wrong_values = {"pourcentage": "beaucoup", "echelle": "7", "oui_non": "peut-être"}
    mistyped = []
    for row in rows:
        kind = by_type[row[2]]
        if kind in wrong_values:
            row = [*row[:3], wrong_values.pop(kind), row[4]]
        mistyped.append(row)
    unknown_territory = [["DEP-99", *row[1:]] for row in rows]
    unknown_question = [*rows, [rows[0][0], str(millesime), "LAB_09", "oui", ""], rows[1]]
    renamed_header = ["territoire", "annee", "question", "valeur", "commentaire"]
    return {
        f"DEP-13_{millesime}_brouillon.csv": to_csv_bytes(mistyped),
        f"DEP-99_{millesime}.csv": to_csv_bytes(unknown_territory),
        f"DEP-13_{millesime}_doublons.csv": to_csv_bytes(unknown_question),
        f"DEP-13_{millesime}_entete.csv": to_csv_bytes(rows, renamed_header),
    }


def _write(path: Path, content: bytes) -> Path:
    """Write ``content`` to ``path`` with two system calls: a scope's demo writes up to
    110,000 files, and ``Path.write_bytes``'s buffered layers take twice as long."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(handle, content)
    finally:
        os.close(handle)
    return path


def in_default_scope(territories: pd.DataFrame) -> pd.Series:
    """Whether each territory belongs to the default scope (drawn file by file, as ever)."""
    kind = territories["kind"]
    return kind.isin(["REG", "DEP", *DEFAULT_SCOPE.epci_types]) | (
        kind.eq("COM") & territories["population"].ge(DEFAULT_SCOPE.commune_min_population)
    ).fillna(False)


def _format_percentages(values: np.ndarray) -> np.ndarray:
    """Percentages as :func:`_answer` writes them: one decimal, a comma, and ``%`` up to 1."""
    text = np.char.replace(np.char.mod("%.1f", values), ".", ",")
    small = (values > 0) & (values <= 1)
    return np.where(small, np.char.add(text, " %"), text)


def bulk_answers(
    territories: pd.DataFrame,
    maturity: pd.Series,
    questions: pd.DataFrame,
    axes: list[str],
    millesime: int,
    seed: int,
) -> np.ndarray:
    """The answers of ``territories`` (all of one kind) to ``questions`` for ``millesime``,
    as a territories × questions matrix of text, drawn as column operations from one
    generator per kind and millésime (same distributions as :func:`_answer`)."""
    kind = territories["kind"].iloc[0]
    rng = _rng(seed, "bulk", kind, millesime)
    axis_rng = _rng(seed, "bulk-axes", kind)
    n, q = len(territories), len(questions)
    axis_offset = pd.DataFrame(axis_rng.normal(0, 0.12, (n, len(axes))), columns=axes)
    progress = YEARLY_PROGRESS * (millesime - BASE_YEAR)
    level = np.clip(
        maturity.to_numpy()[:, None] + progress + axis_offset[list(questions["axis"])].to_numpy(),
        0.02,
        0.98,
    )
    population = territories["population"].astype(float).fillna(100_000).to_numpy()[:, None]
    answers = np.empty((n, q), dtype=object)
    for column, question in enumerate(questions.itertuples()):
        lv = level[:, column]
        if question.answer_type == "oui_non":
            answers[:, column] = np.where(rng.random(n) < lv, "oui", "non")
        elif question.answer_type == "echelle":
            scale = np.clip(np.round(4 * lv + rng.normal(0, 0.7, n)), 0, 4).astype(int)
            answers[:, column] = scale.astype(str)
        elif question.answer_type == "pourcentage":
            share = lv if question.higher_is_better else 1 - lv
            values = np.round(np.clip(100 * share + rng.normal(0, 12, n), 0, 100), 1)
            answers[:, column] = _format_percentages(values)
        elif question.answer_type == "nombre":
            rate = question.target_per_10000 * lv * rng.lognormal(0, 0.35, n)
            counts = np.round(rate * population[:, 0] / 10_000).astype(np.int64)
            answers[:, column] = counts.astype(str)
        else:  # choix_multiple
            codes = np.array([code for code, _ in question.options])
            chosen = rng.random((n, len(codes))) < lv[:, None]
            answers[:, column] = ["|".join(codes[row]) or "aucun" for row in chosen]
    optional = ~questions["required"].to_numpy()
    skipped = (rng.random((n, q)) < SKIP_OPTIONAL_PROBABILITY) & optional[None, :]
    answers[skipped] = ""
    return answers


def _bulk_files(
    territories: pd.DataFrame,
    maturity: pd.Series,
    questionnaire: Questionnaire,
    millesime: int,
    seed: int,
) -> dict[str, bytes]:
    """The files of ``territories`` for ``millesime``, drawn kind by kind
    (:func:`bulk_answers`), as file name → CSV bytes in the template's encoding."""
    header = ";".join(SUBMISSION_COLUMNS) + "\r\n"
    axes = list(questionnaire.axes["code"])
    files: dict[str, bytes] = {}
    for kind, group in territories.groupby("kind", sort=False):
        questions = questionnaire.questions_for_kind(str(kind)).reset_index(drop=True)
        answers = bulk_answers(group, maturity.loc[group.index], questions, axes, millesime, seed)
        rng = _rng(seed, "bulk-comments", kind, millesime)
        comments = np.where(rng.random(answers.shape) < 0.03, "Chiffre provisoire", "")
        codes = group["code"].to_numpy()
        prefix = np.char.add(codes.astype(str)[:, None], f";{millesime};")
        lines = np.char.add(
            np.char.add(prefix, questions["code"].to_numpy().astype(str)[None, :]), ";"
        )
        # Semicolons never occur in the drawn answers: no CSV quoting is needed.
        body = lines.astype(object) + answers + ";" + comments.astype(object) + "\r\n"
        for code, rows in zip(codes, body, strict=True):
            files[f"{code}_{millesime}.csv"] = (header + "".join(rows)).encode("utf-8")
    return files


def write_demo_submissions(
    territories: pd.DataFrame,
    questionnaires: Questionnaires | Questionnaire,
    out_dir: Path,
    seed: int = DEMO_SEED,
    millesimes: tuple[int, ...] | None = None,
    answer_rate: float = 1.0,
) -> list[Path]:
    """Write one demo file per territory and millésime (by default every open millésime),
    plus the broken ones for the latest, into ``out_dir``; each millésime answers the
    questionnaire version it is open in. With ``answer_rate`` below 1, only that share of
    the territories (drawn per millésime) answers each millésime."""
    if not 0 < answer_rate <= 1:
        raise ValueError(f"Taux de réponse hors de ]0, 1] : {answer_rate}.")
    questionnaires = as_questionnaires(questionnaires)
    millesimes = millesimes or questionnaires.open_millesimes
    closed = sorted(set(millesimes) - set(questionnaires.open_millesimes))
    if closed:
        raise ValueError(f"Millésime(s) non ouvert(s) : {', '.join(map(str, closed))}.")
    out_dir.mkdir(parents=True, exist_ok=True)
    maturity = territory_maturity(territories, seed)
    one_by_one = in_default_scope(territories).to_numpy()
    answering = {
        millesime: _rng(seed, "answering", millesime).random(len(territories)) < answer_rate
        if answer_rate < 1
        else np.ones(len(territories), dtype=bool)
        for millesime in millesimes
    }
    written = []
    asked: dict[tuple[int, str], list[dict]] = {}
    for position in np.flatnonzero(one_by_one):
        territory = territories.iloc[position]
        for millesime in millesimes:
            if not answering[millesime][position]:
                continue
            questionnaire = questionnaires.for_millesime(millesime)
            key = (millesime, territory["kind"])
            if key not in asked:
                asked[key] = questionnaire.questions_for_kind(key[1]).to_dict("records")
            rows = demo_rows(
                territory, millesime, maturity.iloc[position], questionnaire, seed, asked[key]
            )
            path = out_dir / f"{territory['code']}_{millesime}.csv"
            written.append(_write(path, to_csv_bytes(rows)))
    for millesime in millesimes:
        bulk = territories.loc[~one_by_one & answering[millesime]]
        if bulk.empty:
            continue
        questionnaire = questionnaires.for_millesime(millesime)
        for name, content in _bulk_files(bulk, maturity, questionnaire, millesime, seed).items():
            written.append(_write(out_dir / name, content))
    if (territories["code"] == "DEP-13").any():
        latest = max(millesimes)
        broken = broken_demo_files(territories, questionnaires.for_millesime(latest), latest, seed)
        for name, content in broken.items():
            path = out_dir / name
            path.write_bytes(content)
            written.append(path)
    return written
