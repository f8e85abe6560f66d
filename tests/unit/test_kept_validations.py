"""A file is validated once per (bytes, questionnaire versions of its millésimes, reference):
its kept validation is reused while the three hold, and only then (counted, not timed)."""

from __future__ import annotations

import duckdb
import pandas as pd
import yaml

from domain.questionnaire import load_questionnaires
from domain.submissions.archive import archive_bytes
from domain.submissions.kept_validations import read_kept_validations, write_kept_validations
from domain.submissions.validation import validate_received_files
from pipelines.demo import demo_rows, to_csv_bytes
from tests.support.questionnaires import QUESTIONNAIRE_PATH, write_v2

TERRITORIES = pd.DataFrame({"code": ["DEP-13", "DEP-83"], "kind": ["DEP", "DEP"]})


def _files(tmp_path, questionnaires):
    """An accepted file of DEP-13 for 2025 and 2026 each, one for 2027 (not open in v1) and
    one with an error, archived."""
    files = []
    for code, millesime in (("DEP-13", 2025), ("DEP-83", 2026), ("DEP-13", 2027)):
        territory = pd.Series({"code": code, "kind": "DEP", "population": 1_000_000})
        version = questionnaires.for_millesime(min(millesime, 2026))
        rows = demo_rows(territory, millesime, 0.5, version, seed=3)
        content = to_csv_bytes(rows)
        files.append(archive_bytes(content, f"{code}_{millesime}.csv", tmp_path / "archive"))
    broken = to_csv_bytes([["DEP-13", "2026", "LAB_01", "peut-être", ""]])
    files.append(archive_bytes(broken, "DEP-13_2026_faux.csv", tmp_path / "archive"))
    return files


def _tables(validation) -> dict[str, pd.DataFrame]:
    return {
        "answers": validation.answers,
        "issues": validation.issues,
        "rule_counts": validation.rule_counts,
        "submission_files": validation.submission_files,
    }


def test_a_kept_validation_is_reused_and_gives_the_same_tables(tmp_path):
    questionnaires = load_questionnaires()
    files = _files(tmp_path, questionnaires)
    first = validate_received_files(files, TERRITORIES, questionnaires)
    assert (first.files_validated, first.files_reused) == (4, 0)
    # Kept in a warehouse and read back, as the pipeline does.
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        write_kept_validations(con, first.new, first.known.files["sha256"])
        known = read_kept_validations(con)
    again = validate_received_files(files, TERRITORIES, questionnaires, known=known)
    assert (again.files_validated, again.files_reused) == (0, 4)
    for name, table in _tables(first).items():
        pd.testing.assert_frame_equal(table, _tables(again)[name], check_dtype=False)
    assert list(first.submission_files["status"]) == ["acceptée", "acceptée", *["rejetée"] * 2]

    # One file more: only that one is read.
    extra = archive_bytes(b"nimporte;quoi\r\n1;2\r\n", "autre.csv", tmp_path / "archive")
    one_more = validate_received_files([*files, extra], TERRITORIES, questionnaires, known=known)
    assert (one_more.files_validated, one_more.files_reused) == (1, 4)
    # A file gone from the archive is no longer kept.
    fewer = validate_received_files(files[1:], TERRITORIES, questionnaires, known=known)
    assert set(fewer.known.files["sha256"]) == {f.sha256 for f in files[1:]}


def test_a_changed_reference_or_questionnaire_validates_again_the_files_it_concerns(
    tmp_path, monkeypatch
):
    questionnaires = load_questionnaires()
    files = _files(tmp_path, questionnaires)
    known = validate_received_files(files, TERRITORIES, questionnaires).known

    # The reference changes (a territory more): every file is validated again.
    wider = pd.concat([TERRITORIES, pd.DataFrame({"code": ["REG-93"], "kind": ["REG"]})])
    redone = validate_received_files(files, wider, questionnaires, known=known)
    assert (redone.files_validated, redone.files_reused) == (4, 0)
    # The same codes and kinds in another order, with other columns: nothing to redo.
    reordered = TERRITORIES.iloc[::-1].assign(population=1)
    same = validate_received_files(files, reordered, questionnaires, known=known)
    assert (same.files_validated, same.files_reused) == (0, 4)

    # A version opening 2027: only the file that writes 2027 is validated again (the
    # others are validated with v1, unchanged), and it is now accepted.
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    write_v2(folder)
    with_v2 = load_questionnaires(folder)
    opened = validate_received_files(files, TERRITORIES, with_v2, known=known)
    assert (opened.files_validated, opened.files_reused) == (1, 3)
    statuses = opened.submission_files.set_index("file_name")["status"]
    assert statuses["DEP-13_2027.csv"] == "rejetée"  # v2 renamed LAB_01: still an error
    assert "LAB_01" in " ".join(
        opened.issues.loc[opened.issues["file_name"] == "DEP-13_2027.csv", "message"]
    )

    # v1 edited (a question's label): the files of its millésimes are validated again, not
    # the file of 2027 (its report only names v1's millésimes, which did not change).
    document = yaml.safe_load(QUESTIONNAIRE_PATH.read_text(encoding="utf-8"))
    document["questions"][0]["label"] += " (libellé revu)"
    edited = tmp_path / "edited"
    edited.mkdir()
    (edited / "v1.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), "utf-8")
    relabelled = validate_received_files(
        files, TERRITORIES, load_questionnaires(edited), known=known
    )
    assert (relabelled.files_validated, relabelled.files_reused) == (3, 1)
