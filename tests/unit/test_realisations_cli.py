"""``observatoire realisations …`` and ``observatoire tokens --analyste``: ops propose, list,
show and review sheets and comments; French output, exit codes as the other commands.

The territories a sheet is checked against are read from the published copy: a copy holding
only the small reference's ``territories`` is written for these tests (no reference built)."""

from __future__ import annotations

import duckdb
import pytest

from domain.achievements.ledger import ledger_frames, record_comment, record_feedback
from domain.submissions.tokens import analyst_of_token, create_token
from tests.unit.test_contribution_service import sheet_csv


@pytest.fixture
def environment(tmp_path, territories) -> dict[str, str]:
    published = tmp_path / "published.duckdb"
    with duckdb.connect(str(published)) as con:
        con.register("reference", territories[["code", "kind"]])
        con.execute("CREATE TABLE territories AS SELECT * FROM reference")
    return {
        "OBSERVATOIRE_PUBLISHED": str(published),
        "OBSERVATOIRE_TOKENS": str(tmp_path / "tokens.sqlite"),
        "OBSERVATOIRE_CONTRIBUTIONS": str(tmp_path / "contributions.sqlite"),
        "OBSERVATOIRE_ARCHIVE": str(tmp_path / "archive"),
        "OBSERVATOIRE_INCOMING": str(tmp_path / "incoming"),
    }


def test_analyst_tokens_from_the_command_line(tmp_path, run_cli, environment):
    created = run_cli("tokens", "create", "--analyste", "Service des études", env=environment)
    assert created.returncode == 0, created.stderr
    assert "Jeton d'analyste pour « Service des études »" in created.stdout
    token = created.stdout.strip().splitlines()[-1]
    store = tmp_path / "tokens.sqlite"
    assert analyst_of_token(store, token) == "Service des études"
    revoked = run_cli("tokens", "revoke", "--analyste", "Service des études", env=environment)
    assert "1 jeton(s) d'analyste révoqué(s)" in revoked.stdout
    assert analyst_of_token(store, token) is None
    both = run_cli("tokens", "create", "--analyste", "X", "--territoire", "DEP-13")
    assert both.returncode == 2


def test_submit_review_and_show_a_sheet(tmp_path, run_cli, environment):
    good, bad, other = tmp_path / "fiche.csv", tmp_path / "erreurs.csv", tmp_path / "autre.csv"
    good.write_bytes(sheet_csv("DEP-13"))
    bad.write_bytes(sheet_csv("DEP-13", identifiant="autre", budget_euros="beaucoup"))
    other.write_bytes(sheet_csv("DEP-06"))
    token = create_token(tmp_path / "tokens.sqlite", "DEP-13").token

    submitted = run_cli("realisations", "submit", str(good), "--jeton", token, env=environment)
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    assert "Fiche reçue (version 1)" in submitted.stdout
    rejected = run_cli("realisations", "submit", str(bad), "--jeton", token)
    assert rejected.returncode == 1
    assert "Fiche rejetée" in rejected.stdout and "champ budget_euros" in rejected.stdout
    refused = run_cli("realisations", "submit", str(other), "--jeton", token)
    assert refused.returncode == 2 and "DEP-06" in refused.stdout
    by_ops = run_cli("realisations", "submit", str(other), "--territoire", "DEP-06")
    assert by_ops.returncode == 0, by_ops.stdout

    listed = run_cli("realisations", "list", "--statut", "proposee")
    assert listed.returncode == 0
    assert "2 fiche(s) « proposée »" in listed.stdout
    assert "DEP-13/tiers-lieux-ruraux — version 1, proposée" in listed.stdout

    sheet = "DEP-13/tiers-lieux-ruraux"
    silent = run_cli("realisations", "return", sheet, "--auteur", "Service des études")
    assert silent.returncode == 2, "argparse: --message is required"
    returned = run_cli(
        "realisations", "return", sheet, "--auteur", "Service des études",
        "--message", "Chiffrez les résultats.",
    )  # fmt: skip
    assert returned.returncode == 0 and "renvoyée" in returned.stdout
    published = run_cli("realisations", "publish", sheet, "--auteur", "Service des études")
    assert published.returncode == 0 and "publiée" in published.stdout
    unknown = run_cli("realisations", "publish", "DEP-13/inconnue", "--auteur", "X")
    assert unknown.returncode == 2 and "Fiche inconnue" in unknown.stdout

    store = tmp_path / "contributions.sqlite"
    record_feedback(store, sheet, "DEP-06", "soutien")
    comment = record_comment(store, sheet, "DEP-06", "Quel coût par lieu ?")
    waiting = run_cli("realisations", "comments", "--statut", "proposé")
    assert f"{comment} (proposé) sur {sheet}" in waiting.stdout
    decided = run_cli("realisations", "publish-comment", comment, "--auteur", "Service des études")
    assert decided.returncode == 0 and "publié" in decided.stdout
    assert run_cli("realisations", "withdraw-comment", "com-99", "--auteur", "X").returncode == 2

    shown = run_cli("realisations", "show", sheet)
    assert shown.returncode == 0
    out = shown.stdout
    assert "Statut : publiée (version 1), décidé par Service des études" in out
    assert "« à revoir » par Service des études : Chiffrez les résultats." in out
    assert "(ligne de commande, jeton DEP-13) : fiche.csv" in out
    assert "Soutiens : 1 ; adaptations : 0" in out
    assert f"{comment} (publié), DEP-06" in out
    assert run_cli("realisations", "show", "DEP-13/inconnue").returncode == 2

    withdrawn = run_cli("realisations", "withdraw", sheet, "--auteur", "Service des études")
    assert withdrawn.returncode == 0
    frames = ledger_frames(store)
    assert frames.reviews["author"].tolist() == ["Service des études"] * 3
    assert len(frames.rejections) == 2 and len(frames.versions) == 2
