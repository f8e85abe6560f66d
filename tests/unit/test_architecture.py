"""The layers point one way: import-linter's contracts (pyproject.toml) hold, and they catch
a wrong import."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("schemas", "domain", "assets", "pipelines", "dashboards")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the packages under ``root`` with the project's contracts."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())", str(root / "pyproject.toml"),
         "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def copy_of_the_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_import_contracts_hold():
    run = lint_imports(REPO_ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "BROKEN" not in run.stdout


def test_the_contracts_catch_a_dashboard_page_importing_dagster(tmp_path):
    root = copy_of_the_project(tmp_path)
    page = root / "dashboards" / "pages" / "axes.py"
    page.write_text(page.read_text() + "\nimport dagster  # noqa: E402,F401\n")
    run = lint_imports(root)
    assert run.returncode != 0
    assert "dashboards.pages.axes -> dagster" in run.stdout


def test_the_contracts_catch_domain_logic_importing_an_asset(tmp_path):
    root = copy_of_the_project(tmp_path)
    module = root / "domain" / "scoring.py"
    module.write_text(module.read_text() + "\nimport assets.partitions  # noqa: E402,F401\n")
    run = lint_imports(root)
    assert run.returncode != 0
    assert "domain.scoring -> assets.partitions" in run.stdout


def test_the_contracts_catch_a_dashboard_page_reading_the_contributions_store(tmp_path):
    """The pages write through the contribution service only, never the store itself."""
    root = copy_of_the_project(tmp_path)
    page = root / "dashboards" / "pages" / "revue_realisations.py"
    page.write_text(page.read_text() + "\nimport domain.achievements.ledger  # noqa: E402,F401\n")
    run = lint_imports(root)
    assert run.returncode != 0
    assert "dashboards.pages.revue_realisations -> domain.achievements.ledger" in run.stdout
