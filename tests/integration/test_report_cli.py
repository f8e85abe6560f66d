"""``observatoire validate`` prints a bounded report: every rule counted, the first lines."""

from __future__ import annotations

from domain.submissions.report import REPORT_LINE_LIMIT


def test_validate_prints_the_counts_by_rule_and_the_first_lines_only(run_cli, tmp_path):
    header = "code_territoire;millesime;code_question;reponse;commentaire\n"
    sent = tmp_path / "beaucoup.csv"
    sent.write_text(header + "DEP-13;2026;LAB_01;peut-être;\n" * 5000, encoding="utf-8")
    result = run_cli("validate", str(sent))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    detailed = [line for line in lines if line.startswith("  [")]
    assert len(detailed) == REPORT_LINE_LIMIT
    assert detailed[0].startswith("  [erreur] ligne 2,")
    assert "  Réponse en double (erreur) : 4999" in lines
    assert "autres erreurs" in lines[-1]
