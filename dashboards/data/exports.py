"""Téléchargements: the open datasets, as frames (``dashboards.downloads`` writes the files)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboards.data.connection import read
from dashboards.data.reference import axes
from schemas.vocabulary import TERRITORY_KINDS


def export_indices(millesime: int | None, source: Path | None = None) -> pd.DataFrame:
    """The ``indices`` open dataset: one row per territory and millésime (all when None), of
    the current publication or of the published file ``source`` (an edition)."""
    frame = read(
        "export_indices",
        """
        select s.millesime, t.code as code_territoire, t.name as nom, t.kind as categorie,
               t.kind_label as categorie_libelle, t.region as code_region,
               r.name as region, t.population,
               s.global_index as indice_global, s.maturity_level as niveau,
               s.maturity_label as niveau_libelle, s.coverage as couverture,
               k.rank as rang_categorie, k.peers as effectif_categorie,
               k.rank_p05 as rang_p05, k.rank_p95 as rang_p95,
               k.population_band as tranche_population
        from territory_scores s
        join territories t on t.code = s.territory
        left join territories r on r.code = t.region
        left join territory_ranks k on k.territory = s.territory and k.millesime = s.millesime
        where $millesime is null or s.millesime = $millesime
        order by s.millesime, t.code
        """,
        {"millesime": millesime},
        source=source,
    )
    wide = read(
        "export_axes_wide",
        """
        select millesime, territory as code_territoire, axis, score from axis_scores
        where $millesime is null or millesime = $millesime
        """,
        {"millesime": millesime},
        source=source,
    )
    pivot = wide.pivot_table(
        index=["millesime", "code_territoire"], columns="axis", values="score", dropna=False
    )
    pivot = pivot.reindex(columns=list(axes(source)["code"]))
    pivot.columns = [f"axe_{code.lower()}" for code in pivot.columns]
    return frame.merge(pivot.reset_index(), on=["millesime", "code_territoire"], how="left")


def export_axes(millesime: int | None, source: Path | None = None) -> pd.DataFrame:
    """The ``axes`` open dataset: one row per territory, millésime and axis (of the published
    file ``source`` when given)."""
    return read(
        "export_axes",
        """
        select p.millesime, p.territory as code_territoire, t.name as nom,
               t.kind as categorie, p.axis as code_axe, a.label as axe, p.score as score,
               p.peer_median as mediane_categorie, p.gap as ecart_mediane,
               p.position as position
        from axis_positions p
        join territories t on t.code = p.territory
        join axes a on a.code = p.axis
        where $millesime is null or p.millesime = $millesime
        order by p.millesime, p.territory, a.position
        """,
        {"millesime": millesime},
        source=source,
    )


def export_answers(millesime: int | None) -> pd.DataFrame:
    """The ``reponses`` open dataset: each answer and the score it earned."""
    return read(
        "export_answers",
        """
        select s.millesime, s.territory as code_territoire, t.name as nom,
               s.axis as code_axe, s.question as code_question, q.label as question,
               s.answer as reponse, s.score as score, s.weight as poids
        from question_scores s
        join territories t on t.code = s.territory
        join methodology_versions v on v.millesime = s.millesime
        join questions q on q.code = s.question and q.version = v.version
        where $millesime is null or s.millesime = $millesime
        order by s.millesime, s.territory, s.question
        """,
        {"millesime": millesime},
    )


def export_achievements(millesime: int | None = None) -> pd.DataFrame:
    """The ``realisations`` open dataset: one row per published sheet, its fields under the
    names of the sheet's template. Sheets are not tied to a millésime: ``millesime`` is
    ignored (the dataset is the same for every period)."""
    del millesime
    return read(
        "export_achievements",
        """
        select a.achievement_id as code_realisation, a.territory as code_territoire,
               t.name as nom_territoire, t.kind as categorie, a.identifier as identifiant,
               a.title as titre, a.axes, a.questions, a.context as contexte,
               a.description as realisation, a.partners_public as partenaires_publics,
               a.partners_academic as partenaires_academiques,
               a.partners_private as partenaires_prives,
               a.partners_associative as partenaires_associatifs, a.budget_euros,
               a.funding as financements, a.start_date as date_debut,
               a.end_date as date_fin, a.year as annee, a.results as resultats,
               a.lessons as retours_experience, a.transferability as transferabilite,
               a.target_kinds as territoires_cibles,
               a.adaptation_cost_euros as cout_adaptation_euros, a.links as liens,
               a.contact_role as contact_fonction, a.licence, a.version,
               a.submitted_at as deposee_le, a.published_at as publiee_le,
               a.supports as soutiens, a.adaptations, a.comments as commentaires
        from achievements a
        left join territories t on t.code = a.territory
        order by a.territory, a.identifier
        """,
    )


def export_territories(millesime: int | None = None) -> pd.DataFrame:
    """The ``territoires`` open dataset: every territory of the publication, its kind,
    population and parents (région, département, EPCI), by kind then code. Territories are
    not tied to a millésime: ``millesime`` is ignored."""
    del millesime
    return read(
        "export_territories",
        """
        select code as code_territoire, name as nom, kind as categorie,
               kind_label as categorie_libelle, population, region as code_region,
               departement as code_departement, epci as code_epci, insee_code as code_insee
        from territories
        order by list_position(?, kind), code
        """,
        [list(TERRITORY_KINDS)],
    )
