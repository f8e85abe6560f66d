"""``/api/v1/indices`` and ``/api/v1/axes`` through the real server (gunicorn, as ``make
run`` starts it): filters, paging, sorting, CSV and JSON, French 400s, and the figures
served equal to the download files' and to what the fiche page shows."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from dashboards import data
from tests.support.api import api_get
from tests.support.api_rows import all_rows, call, same


@pytest.fixture(scope="module")
def latest(api_url) -> int:
    """The latest millésime the API lists."""
    return max(row["millesime"] for row in call(api_url, "/millesimes").json()["donnees"])


@pytest.fixture(scope="module")
def indices_latest(api_url, latest) -> dict:
    """Every row of ``/indices`` for the latest millésime, in one page."""
    answer = call(api_url, "/indices", {"millesime": latest, "par_page": 1000})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_indices_carry_the_level_rank_interval_and_coverage_as_numbers(indices_latest, latest):
    rows = indices_latest["donnees"]
    assert rows and indices_latest["pagination"]["total"] == len(rows)
    assert {row["millesime"] for row in rows} == {latest}
    scored = [row for row in rows if row["indice_global"] is not None]
    assert scored
    for row in scored:
        assert isinstance(row["indice_global"], float) and 0 <= row["indice_global"] <= 100
        assert isinstance(row["niveau"], int) and 1 <= row["niveau"] <= 5
        assert isinstance(row["effectif_categorie"], int)
        assert 0 <= row["couverture"] <= 1
    with_interval = [row for row in scored if row["rang_p05"] is not None]
    assert with_interval
    for row in with_interval:
        assert row["rang_p05"] <= row["rang_p95"] <= row["effectif_categorie"]


def test_the_figures_served_are_the_download_files_and_the_fiche_s(
    api_url, latest, indices_latest, published_database, tmp_path, monkeypatch
):
    """For one territory and millésime: the API's index row equals the row of
    ``/donnees/indices-<m>.csv`` served by the same server, its axis rows the rows of
    ``/donnees/axes-<m>.csv``, and both the figures the fiche page gets from
    :mod:`dashboards.data` (index, level, coverage, rank and its interval, axis scores)."""
    row = next(row for row in indices_latest["donnees"] if row["rang_p05"] is not None)
    code = row["code_territoire"]

    indices_file = pd.read_csv(
        io.BytesIO(api_get(api_url, f"/donnees/indices-{latest}.csv").content)
    )
    file_row = indices_file.loc[indices_file["code_territoire"] == code].iloc[0].to_dict()
    assert list(indices_file.columns) == list(row)
    for column, value in row.items():
        assert same(value, file_row[column]), column

    axes_api = call(api_url, "/axes", {"millesime": latest, "territoire": code}).json()["donnees"]
    axes_file = pd.read_csv(io.BytesIO(api_get(api_url, f"/donnees/axes-{latest}.csv").content))
    axes_file = axes_file.loc[axes_file["code_territoire"] == code]
    assert [axis["code_axe"] for axis in axes_api] == list(axes_file["code_axe"])
    for axis, (_, file_axis) in zip(axes_api, axes_file.iterrows(), strict=True):
        for column, value in axis.items():
            assert same(value, file_axis[column]), (axis["code_axe"], column)

    # What the fiche page shows, read as the page reads it.
    monkeypatch.setenv(data.PUBLISHED_ENV, str(published_database))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    history = data.territory_history(code).set_index("millesime").loc[latest]
    assert same(row["indice_global"], history["global_index"])
    assert row["niveau"] == history["maturity_level"]
    assert row["niveau_libelle"] == history["maturity_label"]
    assert same(row["couverture"], history["coverage"])
    rank = data.territory_rank(code, latest)
    assert same(row["rang_categorie"], rank["rank"])
    assert row["effectif_categorie"] == rank["peers"]
    assert (same(row["rang_p05"], rank["rank_p05"]), same(row["rang_p95"], rank["rank_p95"])) == (
        True,
        True,
    )
    profile = data.axis_profile(code, latest).set_index("axis")
    for axis in axes_api:
        assert same(axis["score"], profile.loc[axis["code_axe"], "score"]), axis["code_axe"]
        assert same(row[f"axe_{axis['code_axe'].lower()}"], axis["score"])
        assert same(axis["mediane_categorie"], profile.loc[axis["code_axe"], "peer_median"])


def test_pages_cover_the_total_once_each(api_url, latest, indices_latest):
    rows = all_rows(api_url, "/indices", {"millesime": latest, "par_page": 7})
    codes = [row["code_territoire"] for row in rows]
    assert len(codes) == len(set(codes)) == indices_latest["pagination"]["total"]
    assert codes == [row["code_territoire"] for row in indices_latest["donnees"]]
    answer = call(api_url, "/indices", {"millesime": latest, "par_page": 7, "page": 2})
    assert answer.headers["X-Total-Count"] == str(len(codes))
    assert answer.json()["pagination"] == {
        "page": 2,
        "par_page": 7,
        "total": len(codes),
        "pages": math.ceil(len(codes) / 7),
    }


def test_sorting_ascending_and_descending_with_missing_values_last(api_url, latest):
    params = {"millesime": latest, "par_page": 1000}
    down = call(api_url, "/indices", {**params, "tri": "-indice_global,code_territoire"}).json()
    values = [row["indice_global"] for row in down["donnees"]]
    present = [value for value in values if value is not None]
    assert present == sorted(present, reverse=True)
    assert values[: len(present)] == present  # missing values last
    up = call(api_url, "/axes", {**params, "axe": "DATA", "tri": "score"}).json()["donnees"]
    scores = [row["score"] for row in up if row["score"] is not None]
    assert scores == sorted(scores) and len(set(scores)) > 1


def test_filters_select_the_rows_asked_for(api_url, latest, indices_latest):
    everything = indices_latest["donnees"]
    region = next(row["code_region"] for row in everything if row["categorie"] == "DEP")
    answer = call(
        api_url,
        "/indices",
        {"millesime": latest, "region": region, "categorie": "DEP,REG", "par_page": 1000},
    ).json()["donnees"]
    expected = [
        row["code_territoire"]
        for row in everything
        if row["code_region"] == region and row["categorie"] in ("DEP", "REG")
    ]
    assert [row["code_territoire"] for row in answer] == expected and len(expected) > 1
    level = everything[0]["niveau"]
    by_level = call(api_url, "/indices", {"millesime": latest, "niveau": level}).json()
    assert by_level["pagination"]["total"] == sum(row["niveau"] == level for row in everything)
    two = [everything[0]["code_territoire"], everything[1]["code_territoire"]]
    axes = call(
        api_url, "/axes", {"territoire": ",".join(two), "axe": "DATA,GOUV", "par_page": 1000}
    ).json()["donnees"]
    millesimes = {row["millesime"] for row in axes}
    assert len(axes) == 2 * 2 * len(millesimes) and len(millesimes) > 1
    assert {(row["code_territoire"], row["code_axe"]) for row in axes} == {
        (code, axis) for code in two for axis in ("DATA", "GOUV")
    }


def test_csv_holds_the_same_columns_and_values_as_json(api_url, latest):
    params = {"millesime": latest, "categorie": "REG", "tri": "nom"}
    rows = call(api_url, "/indices", params).json()["donnees"]
    answer = call(api_url, "/indices", {**params, "format": "csv"})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    table = pd.read_csv(io.BytesIO(answer.content), dtype={"code_region": str})
    assert list(table.columns) == list(rows[0])
    assert len(table) == len(rows)
    for row, (_, line) in zip(rows, table.iterrows(), strict=True):
        for column, value in row.items():
            assert same(value, line[column]), column
    by_accept = call(api_url, "/axes", {"millesime": latest}, headers={"Accept": "text/csv"})
    assert by_accept.headers["Content-Type"].startswith("text/csv")
    assert by_accept.text.splitlines()[0].startswith("millesime,code_territoire,nom")


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/indices", {"millesime": "1999"}, ["millesime", "1999", "n'est pas publié"]),
        ("/indices", {"categorie": "ME,XX"}, ["categorie", "XX", "REG, DEP, ME"]),
        ("/indices", {"niveau": "9"}, ["niveau", "9", "1, 2, 3, 4, 5"]),
        ("/indices", {"region": "REG-00"}, ["region", "REG-00", "valeurs acceptées"]),
        ("/indices", {"territoire": "DEP-999"}, ["territoire", "DEP-999", "/api/v1/territoires"]),
        ("/indices", {"tri": "altitude"}, ["altitude", "indice_global"]),
        ("/indices", {"commune": "x"}, ["commune", "millesime"]),
        ("/axes", {"axe": "DATA,FOO"}, ["axe", "FOO", "LAB, EADM"]),
        ("/axes", {"millesime": "deux-mille"}, ["millesime"]),
    ],
)
def test_a_bad_parameter_is_a_french_400_naming_it_and_what_is_accepted(
    api_url, path, params, named
):
    answer = call(api_url, path, params)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert (body["statut"], body["erreur"]) == (400, "parametre_invalide")
    for word in named:
        assert word in body["message"], body["message"]


def test_a_repeated_conditional_request_is_answered_304(api_url, latest):
    first = call(api_url, "/axes", {"millesime": latest, "axe": "LAB"})
    assert first.status_code == 200 and first.headers["ETag"]
    again = call(
        api_url,
        "/axes",
        {"millesime": latest, "axe": "LAB"},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304 and not again.content
