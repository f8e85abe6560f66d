"""The demo réalisations: deterministic, valid, spread over the axes, kinds and régions,
with the announced mix of statuses, supports and comments, written once."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from domain.achievements.ledger import (
    current_comments,
    current_sheets,
    ledger_frames,
    ledger_version,
)
from domain.achievements.references import questionnaire_codes
from domain.achievements.sheet import read_sheet
from domain.questionnaire import as_questionnaires
from domain.submissions.archive import archive_path_of
from pipelines.demo import in_default_scope
from pipelines.demo_achievement_texts import PROJECTS
from pipelines.demo_achievements import (
    DEMO_ANALYST,
    DEMO_AUTHOR,
    DEMO_CHANNEL,
    SheetVersionEvent,
    demo_plan,
    write_demo_achievements,
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
#: A French telephone number: 0X XX XX XX XX or +33 X XX XX XX XX, any separators.
PHONE = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Iterator[Path]:
    """A folder in memory when the machine has one: the store syncs every write to disk,
    and what these tests check is what is written, not that it survives a power cut."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        folder = Path(tempfile.mkdtemp(prefix="demo-achievements-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield tmp_path_factory.mktemp("demo_achievements")


@dataclass(frozen=True)
class DemoRun:
    """Where the demo was written by the ``observatoire demo`` step, and what it said."""

    root: Path
    output: str

    @property
    def store(self) -> Path:
        return self.root / "contributions.sqlite"


def _demo_step(root: Path, territories, questionnaire) -> str:
    """Run the réalisations step of ``observatoire demo`` into ``root``; its output."""
    from pipelines.cli import _demo_achievements

    with pytest.MonkeyPatch.context() as patch, redirect_stdout(io.StringIO()) as output:
        patch.setenv("OBSERVATOIRE_CONTRIBUTIONS", str(root / "contributions.sqlite"))
        patch.setenv("OBSERVATOIRE_ARCHIVE", str(root / "archive"))
        _demo_achievements(territories, as_questionnaires(questionnaire))
    return output.getvalue()


@pytest.fixture(scope="module")
def written(scratch: Path, territories, questionnaire) -> DemoRun:
    """The demo written once, by the command's step, into a store under ``scratch/premier``."""
    root = scratch / "premier"
    return DemoRun(root, _demo_step(root, territories, questionnaire))


@pytest.fixture(scope="module")
def frames(written: DemoRun):
    return ledger_frames(written.store)


@pytest.fixture(scope="module")
def sheets(frames) -> pd.DataFrame:
    return current_sheets(frames)


def _archive_listing(archive: Path) -> dict[str, bytes]:
    return {str(p.relative_to(archive)): p.read_bytes() for p in archive.rglob("*") if p.is_file()}


def test_two_runs_write_the_same_store_and_archive(
    written, frames, scratch, territories, questionnaire
):
    other = scratch / "second"
    write_demo_achievements(
        territories, questionnaire, other / "contributions.sqlite", other / "archive"
    )
    again = ledger_frames(other / "contributions.sqlite")
    for name in ("versions", "reviews", "feedback", "comments", "comment_reviews"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(frames, name), obj=name)
    assert _archive_listing(other / "archive") == _archive_listing(written.root / "archive")


def test_the_demo_step_says_what_it_wrote_and_writes_nothing_twice(
    written, territories, questionnaire
):
    assert f"Réalisations de démonstration écrites dans {written.store}" in written.output
    assert "63 versions de fiches, 59 décisions, 150 soutiens et adaptations" in written.output
    before = ledger_version(written.store)
    again = _demo_step(written.root, territories, questionnaire)
    assert again.startswith("Réalisations de démonstration déjà présentes")
    assert ledger_version(written.store) == before


def test_a_demo_with_other_texts_adds_nothing_to_a_written_store(
    written, territories, questionnaire, monkeypatch
):
    import pipelines.demo_achievements as demo

    monkeypatch.setattr(demo, "COMMON_TRANSFERS", ("Un autre texte de transférabilité.",))
    monkeypatch.setattr(demo, "COMMENTS", tuple(f"Autre commentaire {i}." for i in range(25)))
    changed = demo.demo_plan(territories, questionnaire)
    first = next(e.sheet for e in changed if isinstance(e, SheetVersionEvent))
    assert "Un autre texte de transférabilité." in first["transferabilite"]
    before = ledger_version(written.store)
    summary = demo.write_demo_achievements(
        territories, questionnaire, written.store, written.root / "archive"
    )
    assert summary.written == 0, "no new version, decision or comment"
    assert ledger_version(written.store) == before


def test_every_axis_kind_and_several_regions_have_sheets(sheets, territories):
    primary = Counter(axes[0] for axes in sheets["axes"])
    assert primary == {axis: len(projects) for axis, projects in PROJECTS.items()}
    assert len(sheets) == 60
    every = Counter(axis for axes in sheets["axes"] for axis in axes)
    assert set(every) == set(PROJECTS)
    assert all(4 <= count <= 8 for count in every.values()), every
    authors = territories.set_index("code").loc[sheets["territory"]]
    default_scope = territories.loc[in_default_scope(territories)]
    assert set(authors["kind"]) == set(default_scope["kind"]), "every kind writes"
    by_region = Counter(authors["region"])
    regions = default_scope["region"].nunique()
    assert len(by_region) >= min(regions, 12), by_region
    assert sum(count >= 2 for count in by_region.values()) >= min(regions, 10), by_region
    assert sheets["territory"].nunique() >= min(30, len(default_scope) * 2 // 3)


def test_authors_are_strong_on_their_axes(sheets, territories, questionnaire):
    from pipelines.demo_achievements import axis_levels

    levels = axis_levels(territories, questionnaire.axes["code"])
    kinds = territories.set_index("code")["kind"]
    median = levels.groupby(kinds.loc[levels.index].to_numpy()).transform("median")
    above = [levels.at[code, axes[0]] >= median.at[code, axes[0]] for code, axes in
             zip(sheets["territory"], sheets["axes"], strict=True)]  # fmt: skip
    assert all(above), "each author is at or above its kind's median on the sheet's axis"


def test_every_archived_sheet_reads_back_as_recorded(written, frames, territories, questionnaire):
    archive = written.root / "archive"
    axes, questions = questionnaire_codes(as_questionnaires(questionnaire))
    kinds = dict(zip(territories["code"], territories["kind"], strict=True))
    for row in frames.versions.itertuples():
        content = archive_path_of(archive, row.sha256, row.file_name).read_bytes()
        reading = read_sheet(content, row.file_name, kinds, axes, questions)
        assert reading.accepted, (row.file_name, reading.issues)
        assert reading.sheet == json.loads(row.sheet_json)
        assert sum(f["part"] for f in reading.sheet["financements"]) == 100
        assert 0 < reading.sheet["cout_adaptation_euros"] < reading.sheet["budget_euros"]
        assert re.search(r"\d", reading.sheet["resultats"]), "results with figures"
        assert reading.sheet["liens"]
        assert "{" not in content.decode() and "}" not in content.decode(), "every slot filled"
    assert set(frames.versions["channel"]) == {DEMO_CHANNEL}
    assert set(frames.versions["author"]) == {DEMO_AUTHOR}


def test_no_email_address_or_phone_number(frames):
    texts = [*frames.versions["sheet_json"], *frames.comments["text"], *frames.reviews["message"]]
    for text in texts:
        assert not EMAIL.search(text), text
        assert not PHONE.search(text), text


def test_statuses_supports_and_comments_as_announced(frames, sheets):
    assert sheets["status"].value_counts().to_dict() == {
        "publiée": 52,
        "proposée": 5,
        "à revoir": 2,
        "retirée": 1,
    }
    returned = sheets.loc[sheets["status"] == "à revoir"]
    assert returned["decision_message"].str.len().gt(20).all()
    assert (frames.versions["version"] == 2).sum() == 3
    assert set(sheets.loc[sheets["version"] == 2, "status"]) == {"publiée"}
    assert set(frames.reviews["author"]) | set(frames.comment_reviews["author"]) == {DEMO_ANALYST}

    feedback = frames.feedback.merge(sheets[["achievement_id", "territory", "status"]],
                                     on="achievement_id", suffixes=("", "_author"))  # fmt: skip
    assert feedback["kind"].value_counts().to_dict() == {"soutien": 120, "adaptation": 30}
    assert set(feedback["status"]) == {"publiée"}, "only published sheets are supported"
    assert (feedback["territory"] != feedback["territory_author"]).all(), "never one's own"

    comments = current_comments(frames).merge(
        sheets[["achievement_id", "territory", "status"]],
        on="achievement_id",
        suffixes=("", "_sheet"),
    )
    assert comments["status"].value_counts().to_dict() == {"publié": 20, "proposé": 4, "retiré": 1}
    assert set(comments["status_sheet"]) == {"publiée"}
    assert (comments["territory"] != comments["territory_sheet"]).all()


def test_times_are_fixed_within_2024_to_2026_and_in_order(frames, territories, questionnaire):
    times = pd.concat(
        [
            frames.versions["received_at"],
            frames.reviews["decided_at"],
            frames.feedback["recorded_at"],
            frames.comments["recorded_at"],
            frames.comment_reviews["decided_at"],
        ]
    )
    assert times.min() >= pd.Timestamp("2024-01-01") and times.max() < pd.Timestamp("2027-01-01")
    reviews = frames.reviews.merge(frames.versions, on=["achievement_id", "version"])
    assert (reviews["decided_at"] > reviews["received_at"]).all(), "decided after arrival"
    plan = demo_plan(territories, questionnaire)
    arrivals = [event.at for event in plan if isinstance(event, SheetVersionEvent)]
    assert [at.to_pydatetime() for at in frames.versions["received_at"]] == arrivals
