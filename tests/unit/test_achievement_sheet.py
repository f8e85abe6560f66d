"""Achievement sheets: the schema as data, every way a sheet is written (CSV in the house's
dialects, xlsx, Markdown, the form), and a French report naming the field for each rule."""

from __future__ import annotations

import csv
import io
import json

import duckdb
import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.achievements.sheet import (
    achievement_id,
    format_funding,
    format_number,
    read_sheet,
    render_sheet_markdown,
    sheet_from_form,
    slug,
)
from domain.achievements.template import TEMPLATE_FORMATS, sheet_template
from domain.achievements.values import (
    ValueProblem,
    looks_like_contact,
    parse_amount,
    parse_date,
)
from domain.submissions.report import RULE_LABELS
from schemas.achievement_sheet import SheetSchema, load_sheet_schema
from schemas.vocabulary import ERROR, WARNING
from schemas.yaml_files import FileInvalid, check_document, parse_yaml
from tests.unit.test_dialects import libreoffice_convert, needs_libreoffice

TERRITORIES = {"DEP-13": "DEP", "REG-93": "REG", "COM-13055": "COM"}
AXES = ["LAB", "EADM", "SERV", "DATA", "INFRA", "SMART", "INCL", "ENTR", "FILI", "GOUV"]
QUESTIONS = {"SERV_01", "SERV_02", "EADM_01", "LAB_01"}

FORM = {
    "code_territoire": "DEP-13",
    "identifiant": "",
    "titre": "Un guichet numérique unique pour les démarches",
    "axes": "SERV, EADM",
    "questions": "serv_01 | EADM_01",
    "contexte": "Douze guichets différents.\nObjectif : un seul, « simple ».",
    "realisation": "Une plateforme commune.\n\n## Étape 1\n- recensement ; 2 mois",
    "partenaires_publics": "Région Sud | Préfecture des Bouches-du-Rhône",
    "partenaires_academiques": "Université d'Aix-Marseille",
    "partenaires_prives": "",
    "partenaires_associatifs": "Réseau des médiathèques, lecture publique",
    "budget_euros": "120 000,50 €",
    "financements": "Région : 40 % | FEDER : 30 % (36 000 €) | Département : 30 %",
    "date_debut": "03/2024",
    "date_fin": "15/06/2025",
    "annee": "",
    "resultats": "3 000 usagers par mois ; délai moyen divisé par 2.",
    "retours_experience": "Associer les agents d'accueil dès le début.",
    "transferabilite": "Un chef de projet à mi-temps pendant 6 mois.",
    "territoires_cibles": "DEP | REG",
    "cout_adaptation_euros": "30000",
    "liens": "https://data.exemple.fr/guichet\nhttps://exemple.fr/bilan.pdf",
    "contact_fonction": "Direction du numérique",
    "licence": "",
}


def form_sheet(**changes: str) -> dict:
    reading = sheet_from_form({**FORM, **changes}, TERRITORIES, AXES, QUESTIONS)
    assert reading.accepted, reading.issues
    return reading.sheet


def read(content: bytes, name: str = "fiche.csv"):
    return read_sheet(content, name, TERRITORIES, AXES, QUESTIONS)


def two_columns(sheet: dict) -> list[list[str]]:
    """The ``champ;valeur`` rows of a sheet, values as a person would type them."""
    rows = [["champ", "valeur"]]
    for name, value in sheet.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            text = " | ".join(format_funding(funding) for funding in value)
        elif isinstance(value, list):
            text = " | ".join(value)
        elif isinstance(value, float):
            text = format_number(value)
        else:
            text = "" if value is None else str(value)
        rows.append([name, text])
    return rows


def test_the_schema_file_names_every_field_of_the_contract():
    schema = load_sheet_schema()
    assert schema.names == [
        "code_territoire", "identifiant", "titre", "axes", "questions", "contexte",
        "realisation", "partenaires_publics", "partenaires_academiques", "partenaires_prives",
        "partenaires_associatifs", "budget_euros", "financements", "date_debut", "date_fin",
        "annee", "resultats", "retours_experience", "transferabilite", "territoires_cibles",
        "cout_adaptation_euros", "liens", "contact_fonction", "licence",
    ]  # fmt: skip
    assert all(spec.label and len(spec.help) > 20 for spec in schema.fields)
    assert schema.field("licence").default == "Licence Ouverte 2.0"


def test_the_schema_refuses_an_unknown_key_with_its_line():
    text = "version: x\ntitle: y\nfields:\n  - name: titre\n    label: Titre\n"
    text += "    help: Le nom de la réalisation.\n    type: texte\n    requird: true\n"
    with pytest.raises(FileInvalid) as error:
        check_document(SheetSchema, parse_yaml(text))
    assert "ligne 8" in str(error.value) and "vouliez-vous dire « required »" in str(error.value)


def test_the_form_gives_a_sheet_and_its_identifier():
    sheet = form_sheet()
    assert sheet["identifiant"] == "un-guichet-numerique-unique-pour-les-demarches"
    assert achievement_id(sheet) == "DEP-13/un-guichet-numerique-unique-pour-les-demarches"
    assert sheet["axes"] == ["SERV", "EADM"] and sheet["questions"] == ["SERV_01", "EADM_01"]
    assert sheet["budget_euros"] == 120000.5
    assert sheet["financements"][1] == {
        "financeur": "FEDER",
        "part": 30.0,
        "montant_euros": 36000.0,
    }
    assert (sheet["date_debut"], sheet["date_fin"], sheet["annee"]) == (
        "2024-03",
        "2025-06-15",
        2025,
    )
    assert sheet["licence"] == "Licence Ouverte 2.0"
    assert sheet["partenaires_associatifs"] == ["Réseau des médiathèques, lecture publique"]
    assert sheet["liens"] == ["https://data.exemple.fr/guichet", "https://exemple.fr/bilan.pdf"]
    assert sheet["contexte"] == FORM["contexte"]


def test_markdown_round_trips():
    for sheet in (
        form_sheet(),
        form_sheet(budget_euros="", financements="", date_fin="", annee="2026"),
    ):
        assert read(render_sheet_markdown(sheet).encode(), "fiche.md").sheet == sheet


def test_a_csv_in_windows_1252_with_a_multiline_cell_reads_the_same_sheet():
    sheet = form_sheet()
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(two_columns(sheet))
    content = buffer.getvalue().encode("cp1252")
    assert b';"Douze guichets diff\xe9rents.\nObjectif' in content  # a quoted multi-line cell
    reading = read(content)
    assert reading.issues == [] and reading.sheet == sheet


def test_an_xlsx_written_by_openpyxl_reads_the_same_sheet():
    sheet = form_sheet(date_fin="2025")
    workbook = openpyxl.Workbook()
    for row in two_columns(sheet):
        workbook.active.append(row)
    cells = {row[0].value: row[1] for row in workbook.active.iter_rows()}
    cells["budget_euros"].value = 120000.5  # numbers as numbers, as Excel saves them
    cells["annee"].value = 2025
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), "fiche.xlsx")
    assert reading.issues == [] and reading.sheet == sheet


def test_field_names_are_read_by_label_without_case_or_accents():
    schema = load_sheet_schema()
    rows = [["Champ", "Valeur"]] + [
        [schema.field(name).label.upper(), value] for name, value in two_columns(form_sheet())[1:]
    ]
    rows[1][0] = "code territoire"
    rows[2][0] = "IDENTIFIANT"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t").writerows(rows)
    reading = read(buffer.getvalue().encode("utf-8-sig"), "fiche.txt")
    assert reading.issues == [] and reading.sheet == form_sheet()


def issue_of(reading, field: str):
    issues = [issue for issue in reading.issues if issue.column == field]
    assert issues, reading.issues
    return issues[0]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("code_territoire", "DEP-99", ["« Code du territoire » (code_territoire)", "DEP-13"]),
        ("identifiant", "Guichet Unique", ["(identifiant)", "« guichet-unique »"]),
        ("titre", "", ["« Titre » (titre) obligatoire", "une phrase"]),
        ("titre", "x" * 151, ["(titre)", "151 caractères pour 150 au plus"]),
        ("axes", "SERV | XYZ", ["« Axes » (axes)", "« XYZ » inconnu", "GOUV"]),
        ("axes", "LAB|SERV|DATA|GOUV", ["(axes)", "4 éléments pour 3 au plus"]),
        ("questions", "SERV_99", ["(questions)", "SERV_99", "SERV_01"]),
        ("contexte", "a\x07b", ["(contexte)", "caractère de contrôle"]),
        ("realisation", "Texte\n## Résultats\nsuite", ["(realisation)", "retirez les « ## »"]),
        ("budget_euros", "1.200", ["« Budget total (euros) » (budget_euros)", "1 200"]),
        ("budget_euros", "1,5 M€", ["(budget_euros)", "1 500 000"]),
        ("budget_euros", "-3", ["(budget_euros)", "négatif"]),
        ("financements", "Région : 70 % | État : 40 %", ["(financements)", "110 %"]),
        ("financements", "Région 40 %", ["(financements)", "« : »"]),
        ("financements", "Région : 40", ["(financements)", "en %"]),
        ("date_debut", "mars 2024", ["« Date de début » (date_debut)", "03/2024"]),
        ("date_debut", "31/02/2024", ["(date_debut)", "calendrier"]),
        ("date_fin", "01/2024", ["« Date de fin » (date_fin)", "précède le début"]),
        ("annee", "2023", ["« Année décrite » (annee)", "2024 à 2100"]),
        ("territoires_cibles", "DEP | VILLE", ["(territoires_cibles)", "« VILLE »", "COM"]),
        ("liens", "www.exemple.fr", ["« Liens » (liens)", "https://"]),
        ("contact_fonction", "dsi@exemple.fr", ["(contact_fonction)", "adresse électronique"]),
        ("contact_fonction", "DSI, 04 91 00 00 00", ["(contact_fonction)", "téléphone"]),
        ("contact_fonction", "", ["(contact_fonction) obligatoire", "Direction du numérique"]),
        ("licence", "MIT", ["« Licence du texte » (licence)", "CC BY-SA 4.0"]),
    ],
)
def test_each_rule_names_the_field_and_the_fix(field, value, words):
    reading = sheet_from_form({**FORM, field: value}, TERRITORIES, AXES, QUESTIONS)
    assert not reading.accepted and reading.sheet is None
    issue = issue_of(reading, field)
    assert issue.severity == ERROR and issue.rule in RULE_LABELS
    for word in words:
        assert word in issue.message


def test_a_question_outside_the_axes_is_a_warning_only():
    reading = sheet_from_form({**FORM, "questions": "LAB_01"}, TERRITORIES, AXES, QUESTIONS)
    assert reading.accepted
    assert issue_of(reading, "questions").severity == WARNING


def test_an_unknown_field_is_named_with_the_closest_known_one():
    content = "champ;valeur\n" + "\n".join(
        f"{name};{value}" for name, value in two_columns(form_sheet())[1:] if "\n" not in value
    )
    reading = read((content + "\nbudjet;12\n").encode())
    assert not reading.accepted
    (issue,) = [issue for issue in reading.issues if issue.rule == "champ_inconnu"]
    assert "« budjet » inconnu" in issue.message and "« budget_euros »" in issue.message
    assert issue.line == content.count("\n") + 2


def test_a_repeated_field_and_lines_are_reported_where_they_are():
    reading = read(b"champ;valeur\ntitre;Un\ntitre;Deux\n")
    repeated = [issue for issue in reading.issues if issue.rule == "champ_en_double"]
    assert repeated[0].line == 3 and "déjà ligne 2" in repeated[0].message
    assert "« Axes » (axes) obligatoire : il est absent." in issue_of(reading, "axes").message


def test_markdown_errors_carry_the_line_of_the_file():
    text = render_sheet_markdown(form_sheet()).replace(
        "budget_euros: 120 000,5", "budget_euros: beaucoup"
    )
    text = text.replace("## Résultats", "## Resultat")
    reading = read(text.encode(), "fiche.md")
    lines = text.split("\n")
    budget = issue_of(reading, "budget_euros")
    assert lines[budget.line - 1] == "budget_euros: beaucoup"
    (section,) = [issue for issue in reading.issues if "Section" in issue.message]
    assert lines[section.line - 1] == "## Resultat" and "« ## Résultats »" in section.message


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"code_territoire;millesime;code_question\nDEP-13;2025;LAB_01\n", "f.csv", "champ;valeur"),
        (b"# Ma fiche\n\nSans en-tete", "fiche.md", "« --- »"),
        (b"---\ntitre: a\n", "fiche.md", "refermé"),
        (b"---\ntitre: [a\n---\n", "fiche.md", "guillemets"),
        (b"\x00\x01\x02binaire" * 50, "f.csv", "pas un tableau"),
        (b"PK\x03\x04abime", "f.xlsx", "Classeur Excel illisible"),
        (b"champ;valeur\n", "f.csv", "aucun champ"),
    ],
)
def test_what_is_not_a_sheet_is_unreadable_with_a_french_reason(content, name, words):
    reading = read(content, name)
    assert not reading.readable and not reading.accepted
    assert words in reading.issues[0].message


def test_slug_cuts_at_a_word_within_sixty_characters():
    assert (
        slug("Données ouvertes : « un portail » pour tous !")
        == "donnees-ouvertes-un-portail-pour-tous"
    )
    long = slug("mot " * 40)
    assert len(long) <= 60 and not long.endswith("-") and long.startswith("mot-mot")


# --------------------------------------------------------------------------- templates


@pytest.mark.parametrize("file_format", TEMPLATE_FORMATS)
def test_a_blank_template_asks_only_for_the_required_fields(file_format):
    reading = read(sheet_template(file_format, "DEP-13"), f"modele.{file_format}")
    assert reading.readable and not reading.accepted
    required = {spec.name for spec in load_sheet_schema().fields if spec.required}
    assert {issue.column for issue in reading.issues} == required - {"code_territoire"}
    assert {issue.rule for issue in reading.issues} == {"champ_obligatoire"}


def test_every_field_of_the_csv_template_has_its_label_and_help():
    text = sheet_template("csv", "DEP-13").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["champ", "valeur", "intitulé", "comment le remplir"]
    assert [row[0] for row in rows[1:]] == load_sheet_schema().names
    assert rows[1][1] == "DEP-13" and rows[-1][1] == "Licence Ouverte 2.0"
    assert all(len(row) == 4 and row[2] and len(row[3]) > 20 for row in rows[1:])


def test_a_filled_xlsx_template_is_the_sheet_written_in_it():
    sheet = form_sheet()
    workbook = openpyxl.load_workbook(io.BytesIO(sheet_template("xlsx", "DEP-13")))
    values = dict(two_columns(sheet)[1:])
    for row in workbook["Fiche"].iter_rows(min_row=2):
        row[1].value = values[row[0].value] or None
    buffer = io.BytesIO()
    workbook.save(buffer)
    reading = read(buffer.getvalue(), "fiche.xlsx")
    assert reading.issues == [] and reading.sheet == sheet


def test_a_filled_markdown_template_is_the_sheet_written_in_it():
    sheet = form_sheet()
    schema = load_sheet_schema()
    text = sheet_template("md", "DEP-13").decode()
    for name, value in two_columns(sheet)[1:]:
        spec = schema.field(name)
        if spec.type == "texte_long":
            text = text.replace(f"## {spec.label}\n", f"## {spec.label}\n\n{value}\n", 1)
        elif value and name not in ("code_territoire", "licence"):
            text = text.replace(f"\n{name}:\n", f"\n{name}: {json.dumps(value)}\n", 1)
    reading = read(text.encode(), "fiche.md")
    assert reading.issues == [] and reading.sheet == sheet


# --------------------------------------------------------------------------- command line


@pytest.fixture
def published_territories(tmp_path) -> dict[str, str]:
    """A published copy holding only its territories, one of them made up: the command
    line knows it only if it reads the copy (and builds no reference)."""
    path = tmp_path / "publie.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "CREATE TABLE territories AS SELECT * FROM (VALUES ('DEP-13', 'DEP'), "
            "('EPCI-999999999', 'CC')) AS t(code, kind)"
        )
    return {"OBSERVATOIRE_PUBLISHED": str(path)}


def test_template_and_validate_commands(run_cli, tmp_path, published_territories):
    template = tmp_path / "fiche.md"
    made = run_cli(
        "template", "--realisation", "--territoire", "dep-13", "--format", "md",
        "-o", str(template), env=published_territories,
    )  # fmt: skip
    assert made.returncode == 0 and "24 champs, dont 11 obligatoires" in made.stdout
    blank = run_cli("realisations", "validate", str(template))
    assert blank.returncode == 1 and "fiche rejetée (10 erreurs)" in blank.stdout
    assert "« Titre » (titre) obligatoire" in blank.stdout
    filled = tmp_path / "guichet.md"
    filled.write_text(render_sheet_markdown(form_sheet()), encoding="utf-8")
    unreadable = tmp_path / "notes.txt"
    unreadable.write_bytes(b"bonjour")
    accepted = run_cli("realisations", "validate", str(filled))
    assert accepted.returncode == 0
    assert (
        "fiche acceptée (DEP-13/un-guichet-numerique-unique-pour-les-demarches)" in accepted.stdout
    )
    worst = run_cli("realisations", "validate", str(filled), str(unreadable))
    assert worst.returncode == 2 and "notes.txt : fiche illisible" in worst.stdout
    published_only = run_cli(
        "template", "--realisation", "--territoire", "EPCI-999999999", "-o", str(tmp_path / "m.csv")
    )
    assert published_only.returncode == 0, published_only.stderr
    unknown = run_cli("template", "--realisation", "--territoire", "DEP-99")
    assert unknown.returncode == 2 and "« DEP-99 » inconnu" in unknown.stderr


def test_the_survey_template_still_needs_its_territory_and_millesime(run_cli):
    result = run_cli("template", "--territoire", "DEP-13")
    assert result.returncode == 2 and "--millesime" in result.stderr


# --------------------------------------------------------------------------- LibreOffice


@needs_libreoffice
def test_a_sheet_saved_as_csv_by_libreoffice_reads_the_same(tmp_path):
    sheet = form_sheet()
    workbook = openpyxl.Workbook()
    for row in two_columns(sheet):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # CSV filter options: separator 59 (;), text delimiter 34 ("), charset 1 (Windows-1252).
    content = libreoffice_convert(
        tmp_path, buffer.getvalue(), ".xlsx", "csv:Text - txt - csv (StarCalc):59,34,1,1"
    )
    assert "Préfecture".encode("cp1252") in content and b'"Douze' in content
    reading = read(content)
    assert reading.issues == [] and reading.sheet == sheet


# --------------------------------------------------------------------------- properties

#: Text as people write it: accents, quotes, colons, hashes, dashes, YAML's special words.
WORDS = st.sampled_from(
    ["Données", "« ouvertes »", "l'été", "a: b", "#1", "---", "- item", "null", "yes", "~",
     "@mairie", "*", "%", "50 %", "3 000 €", "&", "|", "{x}", "[y]", '"cité"', "\t", "é"]
)  # fmt: skip
PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)
TEXT = st.lists(st.one_of(WORDS, PRINTABLE), min_size=1, max_size=12).map(" ".join)
LONG = st.lists(TEXT, min_size=1, max_size=5).map("\n".join)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(
    title=TEXT,
    context=LONG,
    partners=st.lists(TEXT, max_size=4),
    funders=st.lists(
        st.tuples(
            TEXT, st.none() | st.integers(1, 25), st.none() | st.floats(0, 1e6, allow_nan=False)
        ),
        max_size=3,
    ),
    budget=st.none() | st.floats(0, 1e9, allow_nan=False),
)
def test_any_accepted_sheet_round_trips_through_markdown_and_csv(
    title, context, partners, funders, budget
):
    form = {
        **FORM,
        "identifiant": "guichet-unique",
        "titre": title,
        "contexte": context,
        "partenaires_prives": " | ".join(partners),
        "budget_euros": "" if budget is None else format_number(budget),
        "financements": " | ".join(
            format_funding({"financeur": name, "part": share, "montant_euros": amount})
            for name, share, amount in funders
        ),
    }
    reading = sheet_from_form(form, TERRITORIES, AXES, QUESTIONS)
    assume(reading.accepted)
    sheet = reading.sheet
    assert read(render_sheet_markdown(sheet).encode(), "fiche.md").sheet == sheet
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(two_columns(sheet))
    assert read(buffer.getvalue().encode("utf-8")).sheet == sheet


@settings(max_examples=100, deadline=None, derandomize=True)
@given(
    file_format=st.sampled_from(["md", "csv", "xlsx"]),
    cut=st.integers(0, 10_000),
    inserted=st.binary(max_size=12),
)
def test_a_damaged_sheet_file_gets_a_report_never_a_crash(file_format, cut, inserted):
    if file_format == "md":
        content = render_sheet_markdown(form_sheet()).encode()
    else:
        content = sheet_template(file_format, "DEP-13")
    cut %= len(content) + 1
    reading = read(content[:cut] + inserted + content[cut:], f"fiche.{file_format}")
    assert reading.accepted or any(issue.severity == ERROR for issue in reading.issues)
    assert all(issue.message for issue in reading.issues)


def test_a_value_cut_by_an_unquoted_separator_is_an_error_not_a_loss():
    plain = read("champ,valeur\ntitre,Données, enfin\n".encode())
    in_template = read(
        sheet_template("csv", "DEP-13")
        .decode("utf-8-sig")
        .replace("titre;;Titre", "titre;Un; deux;Titre")
        .encode()
    )
    for reading in (plain, in_template):
        issue = issue_of(reading, "titre")
        assert issue.severity == ERROR and "« Titre » (titre)" in issue.message
        assert "entourez-la de guillemets" in issue.message


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("120000", 120000.0),
        ("120 000 €", 120000.0),
        ("120\u202f000,50 euros", 120000.5),
        ("1\u00a0200,5", 1200.5),
        ("120000.5", 120000.5),  # a spreadsheet's number
        ("0", 0.0),
    ],
)
def test_amounts_are_read_the_french_way(written, value):
    assert parse_amount(written) == value
    assert parse_amount(format_number(value)) == value


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("2024", "2024"),
        ("3/2024", "2024-03"),
        ("2024-3", "2024-03"),
        ("15/03/2024", "2024-03-15"),
        ("15.03.2024", "2024-03-15"),
        ("2024-03-15T00:00:00", "2024-03-15"),  # a date cell of a workbook
    ],
)
def test_dates_keep_the_precision_written(written, iso):
    assert parse_date(written, 1990, 2100) == iso


def test_ambiguous_and_out_of_range_values_are_refused_with_the_fix():
    with pytest.raises(ValueProblem, match="1200 ou 1 200"):
        parse_amount("1.200")
    with pytest.raises(ValueProblem, match="trop grand"):
        parse_amount("9" * 20)
    with pytest.raises(ValueProblem, match="1 à 12"):
        parse_date("13/2024", 1990, 2100)
    assert looks_like_contact("Tél. +33 4 91 00 00 00") and looks_like_contact("a.b@c.fr")
    assert not looks_like_contact("Direction du numérique (DSI 2030)")
