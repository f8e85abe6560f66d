"""Bounded reports: a file's report counts every issue by rule and details only the first
lines, however many issues the file holds."""

from __future__ import annotations

import pandas as pd

from domain.submissions.archive import archive_bytes
from domain.submissions.report import (
    RULE_LABELS,
    ValidationIssue,
    bounded_report,
)
from domain.submissions.validation import validate_received_files, validate_submission
from schemas.vocabulary import ERROR, WARNING

TERRITORIES = pd.DataFrame({"code": ["DEP-13"], "kind": ["DEP"]})


def issue(line: int | None, rule: str, severity: str = ERROR) -> ValidationIssue:
    return ValidationIssue(line, "D (reponse)", "LAB_01", "x", severity, f"{rule} {line}", rule)


def test_bounded_report_counts_every_rule_and_keeps_the_first_lines_in_file_order():
    # Issues come by rule, not by line: the kept lines must be the first of the file.
    issues = [issue(line, "reponse_en_double") for line in range(3, 1003, 2)]
    issues += [issue(line, "reponse_invalide") for line in range(2, 1002, 2)]
    issues += [issue(None, "facultative_sans_reponse", WARNING) for _ in range(7)]
    report = bounded_report(issues, limit=25)
    assert [line.line for line in report.lines] == list(range(2, 27))
    assert {(c.rule, c.severity): c.issues for c in report.counts} == {
        ("reponse_en_double", ERROR): 500,
        ("reponse_invalide", ERROR): 500,
        ("facultative_sans_reponse", WARNING): 7,
    }
    assert report.counts[-1].severity == WARNING  # errors first
    assert report.counts[0].label == RULE_LABELS[report.counts[0].rule]
    assert (report.errors, report.warnings, report.omitted) == (1000, 7, 982)
    sentence = report.omitted_sentence
    assert "975 autres erreurs" in sentence and "7 autres avertissements" in sentence
    assert (
        "1\u202f200 autres"
        in bounded_report([issue(n, "x") for n in range(1201)], 1).omitted_sentence
    )


def test_a_short_report_is_kept_whole_and_says_nothing_is_omitted():
    issues = [issue(4, "reponse_invalide"), issue(None, "obligatoire_sans_reponse")]
    report = bounded_report(issues, limit=200)
    assert report.lines == [issues[0], issues[1]]
    assert report.omitted == 0 and report.omitted_sentence is None
    assert bounded_report([]).counts == []


def test_each_rule_of_validation_has_a_french_name(questionnaire):
    rows = ["code_territoire;millesime;code_question;reponse;commentaire;remarque"]
    rows += ["DEP-13;2026;LAB_01;peut-être;", "DEP-13;2026;LAB_01;oui;", "DEP-99;2026;LAB_01;oui;"]
    rows += ["DEP-13;1999;LAB_01;oui;", "DEP-13;2026;ZZZ_99;oui;", "DEP-13;20x6;LAB_01;oui;"]
    result = validate_submission("\n".join(rows).encode(), TERRITORIES, questionnaire)
    rules = {i.rule for i in result.issues}
    assert {
        "reponse_invalide", "reponse_en_double", "territoire_inconnu", "millesime_non_ouvert",
        "question_inconnue", "valeur_mal_formee", "obligatoire_sans_reponse", "colonne_ignoree",
    } <= rules  # fmt: skip
    assert rules <= set(RULE_LABELS)


def test_received_files_keep_bounded_reports_and_full_counts(tmp_path, questionnaire):
    """A file with thousands of errors: the warehouse keeps ``limit`` lines of its report,
    its status counts every error, and its counts by rule add up to them."""
    header = "code_territoire;millesime;code_question;reponse;commentaire\n"
    content = (header + "DEP-13;2026;LAB_01;peut-être;\n" * 3000).encode()
    archived = archive_bytes(content, "beaucoup.csv", tmp_path)
    validation = validate_received_files([archived], TERRITORIES, questionnaire, 50)
    assert len(validation.issues) == 50
    assert validation.issues["line"].tolist()[:3] == [2, 3, 4]
    counts = validation.rule_counts.set_index(["rule", "severity"])["issues"]
    assert counts[("reponse_en_double", ERROR)] == 2999
    assert counts[("reponse_invalide", ERROR)] == 1
    status = validation.submission_files.iloc[0]
    assert status["errors"] == counts.xs(ERROR, level="severity").sum() >= 3000


def test_the_upload_page_shows_the_counts_and_the_first_lines_only():
    import json

    import plotly.utils

    from dashboards.app import app
    from dashboards.pages.depot import outcome_view
    from domain.submissions.service import UploadOutcome

    issues = [issue(line, "reponse_en_double") for line in range(2, 100_002)]
    outcome = UploadOutcome("rejetée", "Fichier rejeté : 100 000 erreur(s).", issues, "DEP-13")
    with app.server.test_request_context("/depot"):
        text = json.dumps(
            outcome_view(outcome), cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False
        )
    assert "Réponse en double" in text and "100\u202f000" in text
    assert "reponse_en_double 201" in text and "reponse_en_double 202" not in text
    assert "99\u202f800 autres erreurs" in text
    assert len(text) < 200_000
