"""Fuzzing the submission entry points: a few hundred generated files (derandomized, so CI
sees the same ones every run) and the seed corpus, held to the oracles of
:mod:`tests.support.fuzzing`: no traceback and exit codes 0/1/2 from validation, the command
line and the upload service; archives identical to the bytes sent; no value accepted other
than the one written. ``benchmarks/fuzz_submissions.py`` runs the same at ten thousand files.
"""

from __future__ import annotations

import pandas as pd
import pytest

from domain.questionnaire import load_questionnaires
from tests.support.fuzzing import (
    ACCEPTED_BAD,
    ARCHIVE,
    CHANGED,
    CRASH,
    Context,
    FuzzCase,
    FuzzReport,
    bad_form,
    check_values,
    fuzz,
    scratch_harness,
    seed_corpus,
    valid_form,
)

EXAMPLES = 200


@pytest.fixture(scope="module")
def context(territories) -> Context:
    return Context(load_questionnaires(), territories)


@pytest.fixture(scope="module")
def report(context, tmp_path_factory) -> FuzzReport:
    # One LibreOffice conversion here (benchmarks/fuzz_submissions.py makes three).
    corpus = seed_corpus(context, tmp_path_factory.mktemp("libreoffice"), libreoffice=1)
    with scratch_harness(context, every=10) as harness:
        return fuzz(harness, EXAMPLES, derandomize=True, corpus=corpus)


def test_the_fuzzer_writes_every_family_and_checks_accepted_values(report):
    assert report.files >= EXAMPLES
    assert {"csv", "xlsx", "abime", "corpus"} <= set(report.families)
    assert report.accepted > 0  # the value oracle is not vacuous
    assert report.distinct > EXAMPLES // 2


def test_no_file_makes_an_entry_point_crash(report):
    assert report.files_with(CRASH) == 0, report.summary()


def test_what_is_archived_is_the_bytes_sent(report):
    assert report.files_with(ARCHIVE) == 0, report.summary()


def test_no_value_is_accepted_other_than_the_one_written(report):
    assert report.files_with(CHANGED) == 0, report.summary()
    assert report.files_with(ACCEPTED_BAD) == 0, report.summary()


# --- The oracle itself ------------------------------------------------------------------------


def _answers(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [("DEP-13", 2026, q, a, v) for q, a, v in rows],
        columns=["territory", "millesime", "question", "answer", "value"],
    )


def test_the_value_oracle_flags_a_thousands_separator_read_as_a_decimal():
    key = ("DEP-13", 2026, "DATA_02")
    case = FuzzCase(
        b"", "f.csv", "csv", (), {key: None}, ("nombre:milliers-point",),
        bad={key: "nombre:milliers-point"},
    )  # fmt: skip
    findings = check_values(case, _answers(("DATA_02", "1.200", 1.2)))
    assert [(f.oracle, f.kind) for f in findings] == [(ACCEPTED_BAD, "nombre:milliers-point")]


def test_the_value_oracle_flags_a_changed_and_a_lost_value_but_not_a_blank():
    intended = {("DEP-13", 2026, "DATA_02"): 1200.0, ("DEP-13", 2026, "LAB_01"): 1.0}
    case = FuzzCase(b"", "f.csv", "csv", (), intended, forms={("DEP-13", 2026, "DATA_02"): "x"})
    findings = check_values(case, _answers(("DATA_02", "1 200", 12.0), ("INCL_04", "", None)))
    assert sorted((f.oracle, f.kind) for f in findings) == [
        (CHANGED, "réponse perdue"),
        (CHANGED, "x"),
    ]
    assert check_values(case, _answers(("DATA_02", "1 200", 1200.0), ("LAB_01", "oui", 1.0))) == []


def test_valid_forms_mean_what_the_issue_says():
    import random

    counts = {"answer_type": "nombre", "unit": "sites"}
    rng = random.Random(4)
    forms = [valid_form(rng, counts) for _ in range(200)]
    for form in forms:
        digits = form.text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        assert float(digits) == form.value, form
    assert {f.label for f in forms} >= {"nombre:espace-fine", "nombre:espace-insecable"}
    percentages = [
        valid_form(rng, {"answer_type": "pourcentage"}).text.replace(",", ".") for _ in range(200)
    ]
    assert not [t for t in percentages if 0 < float(t.rstrip("% \u00a0\u202f")) < 1]
    shares = [bad_form(rng, {"answer_type": "pourcentage"}) for _ in range(200)]
    assert all(f.value is None and f.bad for f in shares)
    assert any(f.bad == "pourcentage:part-ou-pourcentage" for f in shares)
