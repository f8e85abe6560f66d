"""The API's reference collections through the real server (gunicorn, as ``make run``
starts it): territories and their parents, a territory's answers, millésimes, methodology
versions and tree, réalisations exemplaires; French 404s for what does not exist."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboards import data
from dashboards.api.filters import folded
from dashboards.data.achievements import achievement_fundings
from tests.support.api import api_get
from tests.support.api_rows import all_rows, call, same


def call_file(api_url: str, name: str) -> bytes:
    """The bytes of the download file ``name`` served by the same server."""
    answer = api_get(api_url, f"/donnees/{name}")
    assert answer.status_code == 200, answer.text
    return answer.content


@pytest.fixture(scope="module")
def territories_page(api_url) -> dict:
    """Every territory, in one page."""
    answer = call(api_url, "/territoires", {"par_page": 1000})
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.fixture(scope="module")
def sheets(api_url) -> list[dict]:
    """Every published réalisation, in one page."""
    answer = call(api_url, "/realisations", {"par_page": 1000})
    assert answer.status_code == 200, answer.text
    return answer.json()["donnees"]


@pytest.fixture
def dashboard_data(published_database, tmp_path, monkeypatch):
    """:mod:`dashboards.data` reading what the server serves, as the pages read it."""
    monkeypatch.setenv(data.PUBLISHED_ENV, str(published_database))
    monkeypatch.setenv(data.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return data


def test_territories_are_the_download_file_s_rows_paged_without_overlap(api_url, territories_page):
    rows = territories_page["donnees"]
    served = pd.read_csv(io.BytesIO(call_file(api_url, "territoires-tous.csv")), dtype=str)
    assert [row["code_territoire"] for row in rows] == list(served["code_territoire"])
    assert list(rows[0]) == list(served.columns)
    assert all(isinstance(row["population"], int) for row in rows if row["population"])
    paged = all_rows(api_url, "/territoires", {"par_page": 40})
    assert [row["code_territoire"] for row in paged] == [row["code_territoire"] for row in rows]


def test_territories_filter_by_kind_region_and_words_of_the_name(api_url, territories_page):
    rows = territories_page["donnees"]
    department = next(row for row in rows if row["categorie"] == "DEP")
    region = department["code_region"]
    kept = call(api_url, "/territoires", {"region": region, "categorie": "DEP"}).json()
    assert [row["code_territoire"] for row in kept["donnees"]] == [
        row["code_territoire"]
        for row in rows
        if row["categorie"] == "DEP" and row["code_region"] == region
    ]
    # Accents and case aside: « RHONE » finds « Rhône » and « Bouches-du-Rhône ».
    names = [row["nom"] for row in call(api_url, "/territoires", {"q": "RHONE"}).json()["donnees"]]
    assert "Rhône" in names and "Bouches-du-Rhône" in names
    assert all("rhône" in name.lower() or "rhone" in name.lower() for name in names)
    # Sorted the French way: « Île-de-France » among the I, not after the Z.
    by_name = call(api_url, "/territoires", {"tri": "-nom", "categorie": "REG"}).json()["donnees"]
    names = [row["nom"] for row in by_name]
    assert names == sorted(names, key=folded, reverse=True)
    assert names != sorted(names, reverse=True)


def test_one_territory_has_its_parents(api_url, territories_page):
    by_code = {row["code_territoire"]: row for row in territories_page["donnees"]}
    department = next(row for row in by_code.values() if row["categorie"] == "DEP")
    answer = call(api_url, f"/territoires/{department['code_territoire']}")
    assert answer.status_code == 200
    body = answer.json()["donnees"]
    assert {key: body[key] for key in department} == department
    region = by_code[department["code_region"]]
    assert body["parents"] == [
        {"code_territoire": region["code_territoire"], "nom": region["nom"], "categorie": "REG"}
    ]
    # A commune's parents: its région, département and EPCI, those of the observatory.
    commune = next(row for row in by_code.values() if row["categorie"] == "COM")
    parents = call(api_url, f"/territoires/{commune['code_territoire']}").json()["donnees"]
    expected = [
        commune[column]
        for column in ("code_region", "code_departement", "code_epci")
        if commune[column] in by_code
    ]
    assert [parent["code_territoire"] for parent in parents["parents"]] == expected
    assert expected[:2] == [commune["code_region"], commune["code_departement"]]


def test_a_territory_s_answers_are_the_published_ones(api_url, territories_page, dashboard_data):
    code = next(
        row["code_territoire"] for row in territories_page["donnees"] if row["categorie"] == "DEP"
    )
    latest = max(dashboard_data.millesimes())
    answer = call(api_url, f"/territoires/{code}/reponses", {"millesime": latest, "par_page": 1000})
    assert answer.status_code == 200, answer.text
    rows = answer.json()["donnees"]
    expected = dashboard_data.export_answers(latest)
    expected = expected.loc[expected["code_territoire"] == code]
    assert [row["code_question"] for row in rows] == list(expected["code_question"])
    for row, (_, line) in zip(rows, expected.iterrows(), strict=True):
        assert all(same(value, line[column]) for column, value in row.items())
    data_only = call(api_url, f"/territoires/{code}/reponses", {"axe": "DATA", "par_page": 1000})
    data_rows = data_only.json()["donnees"]
    assert data_rows and {row["code_axe"] for row in data_rows} == {"DATA"}
    assert len({row["millesime"] for row in data_rows}) == len(dashboard_data.millesimes())


def test_millesimes_name_their_methodology_and_count_what_was_scored(api_url, dashboard_data):
    rows = call(api_url, "/millesimes").json()["donnees"]
    assert [row["millesime"] for row in rows] == dashboard_data.millesimes()
    for row in rows:
        assert row["version_methodologie"] == dashboard_data.methodology_version(row["millesime"])
        assert row["territoires_notes"] <= row["territoires"]
        assert row["fichiers_acceptes"] <= row["fichiers_recus"]
    scored = call(api_url, "/indices", {"millesime": rows[-1]["millesime"], "par_page": 1})
    assert rows[-1]["territoires"] == scored.json()["pagination"]["total"]


def test_the_methodology_tree_is_the_one_the_pages_explain(api_url, dashboard_data):
    versions = call(api_url, "/methodologies").json()["donnees"]
    assert [row["version"] for row in versions] == [
        version.version for version in dashboard_data.methodology_versions()
    ]
    version = versions[-1]["version"]
    tree = call(api_url, f"/methodologies/{version}").json()["donnees"]
    expected = dashboard_data.methodology(version)
    assert tree["racine"] == expected.root
    assert [node["code"] for node in tree["noeuds"]] == list(expected.nodes)
    root = expected.nodes[expected.root]
    weights = {node["code"]: node["poids"] for node in tree["noeuds"]}
    assert [weights[axis] for axis in root.children] == list(root.weights)
    questions = dashboard_data.methodology_questions(version)
    assert [row["code_question"] for row in tree["indicateurs"]] == list(questions["code"])
    for indicator in tree["indicateurs"]:
        axis = expected.nodes[indicator["code_axe"]]
        assert indicator["poids"] == axis.weights[axis.children.index(indicator["code_question"])]
    assert [level["niveau"] for level in tree["niveaux"]] == [1, 2, 3, 4, 5]
    assert call(api_url, f"/methodologies/{version}", {"format": "csv"}).status_code == 406


def test_achievements_filter_and_one_sheet_has_its_fundings(api_url, sheets, dashboard_data):
    served = pd.read_csv(io.BytesIO(call_file(api_url, "realisations-tous.csv")))
    assert [row["code_realisation"] for row in sheets] == list(served["code_realisation"])
    axis_rows = call(api_url, "/realisations", {"axe": "DATA", "par_page": 1000}).json()["donnees"]
    assert axis_rows and all("DATA" in row["axes"].split("|") for row in axis_rows)
    assert len(axis_rows) == sum("DATA" in row["axes"].split("|") for row in sheets)
    kind = sheets[0]["categorie"]
    kind_rows = call(api_url, "/realisations", {"categorie": kind, "par_page": 1000}).json()
    assert kind_rows["pagination"]["total"] == sum(row["categorie"] == kind for row in sheets)
    word = sheets[0]["titre"].split()[-1]
    found = call(api_url, "/realisations", {"q": word.upper(), "par_page": 1000}).json()
    assert sheets[0]["code_realisation"] in [row["code_realisation"] for row in found["donnees"]]

    funded = next(
        (row for row in sheets if not achievement_fundings(row["code_realisation"]).empty),
        sheets[0],
    )
    answer = call(api_url, f"/realisations/{funded['code_realisation']}")
    assert answer.status_code == 200, answer.text
    sheet = answer.json()["donnees"]
    assert {key: sheet[key] for key in funded} == funded
    fundings = achievement_fundings(funded["code_realisation"])
    assert [row["financeur"] for row in sheet["financeurs"]] == list(fundings["funder"])


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/territoires/DEP-999", "DEP-999"),
        ("/territoires/DEP-999/reponses", "DEP-999"),
        ("/methodologies/v99", "v99"),
        ("/realisations/DEP-13/aucune-fiche", "DEP-13/aucune-fiche"),
    ],
)
def test_what_does_not_exist_is_a_french_404(api_url, path, named):
    answer = call(api_url, path)
    assert answer.status_code == 404
    body = answer.json()
    assert (body["statut"], body["erreur"]) == (404, "introuvable")
    assert named in body["message"] and "inconnu" in body["message"]


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/territoires", {"categorie": "DEPT"}, ["categorie", "DEPT", "REG, DEP"]),
        ("/territoires", {"region": "REG-00"}, ["region", "REG-00"]),
        ("/territoires/DEP-13/reponses", {"axe": "X"}, ["axe", "X", "LAB"]),
        ("/territoires/DEP-13/reponses", {"millesime": "1999"}, ["millesime", "1999"]),
        ("/realisations", {"territoire": "DEP-999"}, ["territoire", "/api/v1/territoires"]),
        ("/realisations", {"tri": "auteur"}, ["auteur", "titre"]),
        ("/millesimes", {"par_page": "0"}, ["par_page"]),
    ],
)
def test_a_bad_parameter_of_a_collection_is_a_french_400(api_url, path, params, named):
    answer = call(api_url, path, params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["erreur"] == "parametre_invalide"
    for word in named:
        assert word in body["message"], body["message"]


def test_outside_clients_cannot_add_cache_entries_by_territory_or_search_text(published_copy):
    """A territory's answers are cut from each millésime's cached rows, and the free-text
    search runs uncached: neither adds a shared-cache entry per territory or per text."""
    from dashboards.api.answers import territory_answers
    from dashboards.data.achievements import AchievementQuery, search_achievements

    cache = data.cache_dir()
    codes = list(data.territories()["code"])[:4]
    first = territory_answers(codes[0], None)
    assert set(first["code_territoire"]) == {codes[0]}
    search_achievements(AchievementQuery(text="numérique"), cache=False)
    entries = set(cache.iterdir())
    for code in codes[1:]:
        assert set(territory_answers(code, None)["code_territoire"]) <= {code}
    for text in ("données", "école", "réseau"):
        search_achievements(AchievementQuery(text=text), cache=False)
    assert set(cache.iterdir()) == entries
