"""The published tables of the achievements, from the contributions store's history.

Only published sheets leave (status "publiée" of their current version), with the
published comments of published sheets and the supports and adaptations of published
sheets; the whole history (every version, decision and rejection) stays in the warehouse
for the analysts (``achievement_history``, never published). Pure functions over the data
frames of :func:`domain.achievements.ledger.ledger_frames`; the tables are written with
their SQL types (:func:`write_achievement_tables`), so that they keep them when empty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import pandas as pd

from domain.achievements.values import format_funding
from schemas.vocabulary import ADAPTATION, COMMENT_PUBLISHED, SHEET_PUBLISHED, SUPPORT

#: Separator of the items of a list in one cell (partners, funding).
ITEM_SEPARATOR = " ; "
#: Separator of codes in one cell (axes, questions, kinds of territory).
CODE_SEPARATOR = "|"

#: Table → column → SQL type, in order: what every table holds, even empty.
TABLE_COLUMNS: dict[str, dict[str, str]] = {
    "achievements": {
        "achievement_id": "VARCHAR",
        "territory": "VARCHAR",
        "identifier": "VARCHAR",
        "title": "VARCHAR",
        "axes": "VARCHAR",
        "questions": "VARCHAR",
        "context": "VARCHAR",
        "description": "VARCHAR",
        "partners_public": "VARCHAR",
        "partners_academic": "VARCHAR",
        "partners_private": "VARCHAR",
        "partners_associative": "VARCHAR",
        "budget_euros": "DOUBLE",
        "funding": "VARCHAR",
        "start_date": "VARCHAR",
        "end_date": "VARCHAR",
        "year": "BIGINT",
        "results": "VARCHAR",
        "lessons": "VARCHAR",
        "transferability": "VARCHAR",
        "target_kinds": "VARCHAR",
        "adaptation_cost_euros": "DOUBLE",
        "links": "VARCHAR",
        "contact_role": "VARCHAR",
        "licence": "VARCHAR",
        "version": "BIGINT",
        "submitted_at": "TIMESTAMP",
        "published_at": "TIMESTAMP",
        "supports": "BIGINT",
        "adaptations": "BIGINT",
        "comments": "BIGINT",
    },
    "achievement_axes": {"achievement_id": "VARCHAR", "axis": "VARCHAR"},
    "achievement_fundings": {
        "achievement_id": "VARCHAR",
        "funder": "VARCHAR",
        "share_percent": "DOUBLE",
        "amount_euros": "DOUBLE",
    },
    "achievement_feedback": {
        "achievement_id": "VARCHAR",
        "territory": "VARCHAR",
        "kind": "VARCHAR",
        "recorded_at": "TIMESTAMP",
    },
    "achievement_comments": {
        "comment_id": "VARCHAR",
        "achievement_id": "VARCHAR",
        "territory": "VARCHAR",
        "text": "VARCHAR",
        "recorded_at": "TIMESTAMP",
        "published_at": "TIMESTAMP",
    },
    "achievement_recommendations": {
        "millesime": "BIGINT",
        "territory": "VARCHAR",
        "axis": "VARCHAR",
        "rank": "BIGINT",
        "achievement_id": "VARCHAR",
        "author": "VARCHAR",
        "author_score": "DOUBLE",
        "author_progress": "DOUBLE",
        "same_kind": "BOOLEAN",
        "similar_population": "BOOLEAN",
        "same_region": "BOOLEAN",
    },
    "achievement_history": {
        "event": "VARCHAR",
        "achievement_id": "VARCHAR",
        "version": "BIGINT",
        "territory": "VARCHAR",
        "status": "VARCHAR",
        "at": "TIMESTAMP",
        "author": "VARCHAR",
        "channel": "VARCHAR",
        "file_name": "VARCHAR",
        "sha256": "VARCHAR",
        "message": "VARCHAR",
    },
}

#: Events of ``achievement_history``: a version received, an analyst's decision on it, a
#: sheet file rejected by the checks.
VERSION_EVENT, DECISION_EVENT, REJECTION_EVENT = "version", "décision", "rejet"

#: Sheet field → column of ``achievements`` for the fields copied as they are.
_TEXT_FIELDS = {
    "identifiant": "identifier",
    "titre": "title",
    "contexte": "context",
    "realisation": "description",
    "date_debut": "start_date",
    "date_fin": "end_date",
    "resultats": "results",
    "retours_experience": "lessons",
    "transferabilite": "transferability",
    "contact_fonction": "contact_role",
    "licence": "licence",
}
_PARTNER_FIELDS = {
    "partenaires_publics": "partners_public",
    "partenaires_academiques": "partners_academic",
    "partenaires_prives": "partners_private",
    "partenaires_associatifs": "partners_associative",
}


@dataclass(frozen=True)
class AchievementTables:
    """The tables of the achievements group, each a frame with the columns of
    :data:`TABLE_COLUMNS` (the recommendations are computed apart)."""

    achievements: pd.DataFrame
    achievement_axes: pd.DataFrame
    achievement_fundings: pd.DataFrame
    achievement_feedback: pd.DataFrame
    achievement_comments: pd.DataFrame
    achievement_history: pd.DataFrame

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """Table name → rows."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def empty_table(table: str) -> pd.DataFrame:
    """No row, the columns of ``table``."""
    return pd.DataFrame(columns=list(TABLE_COLUMNS[table]))


def utc_timestamps(values: pd.Series) -> pd.Series:
    """Times (ISO text or datetimes, with or without offset) as naive UTC timestamps."""
    return pd.to_datetime(values, utc=True, format="ISO8601").dt.tz_convert(None)


def sheet_of(row: Mapping[str, object]) -> dict[str, object]:
    """The sheet dict of a row of the current sheets: its ``sheet_json`` when it has one,
    else the row itself (the sheet's fields as columns)."""
    text = row.get("sheet_json")
    if isinstance(text, str) and text:
        return json.loads(text)
    return dict(row)


def funding_text(fundings: list[Mapping[str, object]]) -> str:
    """ "Région : 40 % ; FEDER : 30 % (36 000 €) ; Ville", each funder as the sheet's files
    write it (:func:`domain.achievements.values.format_funding`)."""
    return ITEM_SEPARATOR.join(format_funding(funding) for funding in fundings)


def _codes(value: object, separator: str = CODE_SEPARATOR) -> str:
    """A list of items (or an empty value) joined by ``separator``."""
    if value is None or (not isinstance(value, list | tuple | str) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    return separator.join(str(item) for item in value)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def achievement_row(current: Mapping[str, object]) -> dict[str, object]:
    """One row of ``achievements`` (counts apart) from a row of the current sheets."""
    sheet = sheet_of(current)
    row: dict[str, object] = {
        "achievement_id": current["achievement_id"],
        "territory": sheet.get("code_territoire") or current.get("territory"),
        "axes": _codes(sheet.get("axes")),
        "questions": _codes(sheet.get("questions")),
        "budget_euros": _number(sheet.get("budget_euros")),
        "funding": funding_text(sheet.get("financements") or []),
        "year": sheet.get("annee"),
        "target_kinds": _codes(sheet.get("territoires_cibles")),
        "adaptation_cost_euros": _number(sheet.get("cout_adaptation_euros")),
        "links": _codes(sheet.get("liens"), "\n"),
        "version": current["version"],
        "submitted_at": current.get("received_at"),
        "published_at": current.get("published_at"),
    }
    for field, column in _TEXT_FIELDS.items():
        value = sheet.get(field)
        row[column] = None if value is None or value == "" else str(value)
    for field, column in _PARTNER_FIELDS.items():
        row[column] = _codes(sheet.get(field), ITEM_SEPARATOR)
    return row


def sheet_summaries(current_sheets: pd.DataFrame) -> pd.DataFrame:
    """Every current sheet, whatever its status: ``achievement_id``, ``territory`` (its
    author), ``status``, ``axes`` (codes joined by "|") and ``year`` — what the
    recommendations rank (:func:`domain.achievements.recommendations.achievement_recommendations`)."""
    rows = []
    for current in current_sheets.to_dict("records"):
        sheet = sheet_of(current)
        rows.append(
            {
                "achievement_id": current["achievement_id"],
                "territory": sheet.get("code_territoire") or current.get("territory"),
                "status": current["status"],
                "axes": _codes(sheet.get("axes")),
                "year": sheet.get("annee"),
            }
        )
    return pd.DataFrame(rows, columns=["achievement_id", "territory", "status", "axes", "year"])


def published_sheets(current_sheets: pd.DataFrame) -> pd.DataFrame:
    """The current sheets whose current version is published."""
    return current_sheets.loc[current_sheets["status"] == SHEET_PUBLISHED]


def achievement_tables(
    current_sheets: pd.DataFrame,
    current_comments: pd.DataFrame,
    feedback: pd.DataFrame,
    versions: pd.DataFrame,
    reviews: pd.DataFrame,
    rejections: pd.DataFrame,
    comment_reviews: pd.DataFrame,
) -> AchievementTables:
    """The tables of the achievements from the store's current sheets (every status, one
    row per sheet: its current version, ``status``, ``published_at``), current comments
    (with their ``status``), feedback, and history (versions, reviews, rejections)."""
    published = published_sheets(current_sheets)
    ids = set(published["achievement_id"])
    sheets = [achievement_row(row) for row in published.to_dict("records")]
    achievements = pd.DataFrame(sheets, columns=[*TABLE_COLUMNS["achievements"]])

    feedback_out = feedback.loc[feedback["achievement_id"].isin(ids)]
    feedback_out = feedback_out.assign(recorded_at=utc_timestamps(feedback_out["recorded_at"]))
    comments_out = _published_comments(current_comments, comment_reviews, ids)

    def count(frame: pd.DataFrame) -> pd.Series:
        counted = frame.groupby("achievement_id").size()
        return achievements["achievement_id"].map(counted).fillna(0).astype("int64")

    achievements["supports"] = count(feedback_out.loc[feedback_out["kind"] == SUPPORT])
    achievements["adaptations"] = count(feedback_out.loc[feedback_out["kind"] == ADAPTATION])
    achievements["comments"] = count(comments_out)
    for column in ("submitted_at", "published_at"):
        achievements[column] = utc_timestamps(achievements[column])
    achievements = achievements.sort_values("achievement_id", ignore_index=True)

    axes = [
        {"achievement_id": row["achievement_id"], "axis": axis}
        for row in sheets
        for axis in row["axes"].split(CODE_SEPARATOR)
        if axis
    ]
    fundings = [
        {
            "achievement_id": row["achievement_id"],
            "funder": str(funding.get("financeur", "")),
            "share_percent": _number(funding.get("part")),
            "amount_euros": _number(funding.get("montant_euros")),
        }
        for row in published.to_dict("records")
        for funding in sheet_of(row).get("financements") or []
    ]
    return AchievementTables(
        achievements=achievements,
        achievement_axes=pd.DataFrame(axes, columns=[*TABLE_COLUMNS["achievement_axes"]]),
        achievement_fundings=pd.DataFrame(
            fundings, columns=[*TABLE_COLUMNS["achievement_fundings"]]
        ),
        achievement_feedback=feedback_out[[*TABLE_COLUMNS["achievement_feedback"]]]
        .sort_values(["achievement_id", "recorded_at", "territory"])
        .reset_index(drop=True),
        achievement_comments=comments_out,
        achievement_history=achievement_history(versions, reviews, rejections),
    )


def _published_comments(
    current_comments: pd.DataFrame, comment_reviews: pd.DataFrame, published_ids: set[str]
) -> pd.DataFrame:
    """Published comments of published sheets, with the time of their publication."""
    shown = current_comments.loc[
        (current_comments["status"] == COMMENT_PUBLISHED)
        & current_comments["achievement_id"].isin(published_ids)
    ]
    if "published_at" not in shown.columns:
        decisions = comment_reviews.loc[comment_reviews["status"] == COMMENT_PUBLISHED]
        published_at = (
            utc_timestamps(decisions["decided_at"]).groupby(decisions["comment_id"]).max()
        )
        shown = shown.assign(published_at=shown["comment_id"].map(published_at))
    shown = shown.assign(
        recorded_at=utc_timestamps(shown["recorded_at"]),
        published_at=utc_timestamps(shown["published_at"]),
    )
    return (
        shown[[*TABLE_COLUMNS["achievement_comments"]]]
        .sort_values(["achievement_id", "recorded_at", "comment_id"])
        .reset_index(drop=True)
    )


def achievement_history(
    versions: pd.DataFrame, reviews: pd.DataFrame, rejections: pd.DataFrame
) -> pd.DataFrame:
    """Every version received, every decision on one and every rejected sheet file, oldest
    first: what the analysts read, never published."""
    territory_of = versions.drop_duplicates("achievement_id").set_index("achievement_id")[
        "territory"
    ]
    received = versions.assign(
        event=VERSION_EVENT, status=None, at=versions["received_at"], message=None
    )
    decided = reviews.assign(
        event=DECISION_EVENT,
        territory=reviews["achievement_id"].map(territory_of),
        at=reviews["decided_at"],
        channel=None,
        file_name=None,
        sha256=None,
    )
    rejected = rejections.assign(
        event=REJECTION_EVENT,
        achievement_id=None,
        version=None,
        status=None,
        at=rejections["received_at"],
        message=rejections["issues_json"].map(_issues_summary),
    )
    columns = [*TABLE_COLUMNS["achievement_history"]]
    parts = [frame[columns] for frame in (received, decided, rejected) if len(frame)]
    if not parts:
        return empty_table("achievement_history")
    history = pd.concat(parts, ignore_index=True)
    history["at"] = utc_timestamps(history["at"])
    return history.sort_values(["at", "event"], kind="stable", ignore_index=True)


def _issues_summary(issues_json: str) -> str:
    """The French messages of a rejected file's issues, one per line."""
    try:
        issues = json.loads(issues_json)
    except (TypeError, ValueError):
        return str(issues_json)
    return "\n".join(
        str(issue.get("message", issue)) if isinstance(issue, dict) else str(issue)
        for issue in issues
    )


def write_achievement_tables(
    con: duckdb.DuckDBPyConnection, tables: Mapping[str, pd.DataFrame]
) -> None:
    """Replace each table of ``tables`` with its rows, every column cast to its SQL type of
    :data:`TABLE_COLUMNS` (an empty table keeps its types), all in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in tables.items():
            view = f"_incoming_{table}"
            con.register(view, frame)
            try:
                columns = ", ".join(
                    f'CAST("{name}" AS {sql_type}) AS "{name}"'
                    for name, sql_type in TABLE_COLUMNS[table].items()
                )
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT {columns} FROM {view}")
            finally:
                con.unregister(view)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
