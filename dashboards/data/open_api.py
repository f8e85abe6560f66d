"""What only the open-data API lists: one summary row per millésime of the publication.

The other collections of the API are the open datasets themselves
(:mod:`~dashboards.data.exports`), the methodology (:mod:`~dashboards.data.methodology`)
and the réalisations (:mod:`~dashboards.data.achievements`).
"""

from __future__ import annotations

import pandas as pd

from dashboards.data.connection import read
from schemas.vocabulary import ACCEPTED, REJECTED


def millesime_summaries() -> pd.DataFrame:
    """One row per millésime of the publication (scores or files received), oldest first.

    Columns: ``millesime``, ``version_methodologie`` (the questionnaire version that scores
    it; NULL when none is published), ``territoires`` (territories with a row of scores),
    ``territoires_notes`` (with a global index), ``indice_median`` (median global index),
    ``fichiers_recus``, ``fichiers_acceptes`` (files whose answers are published),
    ``fichiers_rejetes``.
    """
    return read(
        "millesime_summaries",
        """
        with scored as (
            select millesime, count(*) as territoires,
                   count(global_index) as territoires_notes,
                   median(global_index) as indice_median
            from territory_scores group by millesime
        ),
        received as (
            select millesime, count(*) as fichiers_recus,
                   count(*) filter (where status = $accepted) as fichiers_acceptes,
                   count(*) filter (where status = $rejected) as fichiers_rejetes
            from submission_files where millesime is not null group by millesime
        ),
        published as (
            select millesime from scored union select millesime from received
        )
        select p.millesime::integer as millesime, v.version as version_methodologie,
               coalesce(s.territoires, 0)::integer as territoires,
               coalesce(s.territoires_notes, 0)::integer as territoires_notes,
               s.indice_median,
               coalesce(r.fichiers_recus, 0)::integer as fichiers_recus,
               coalesce(r.fichiers_acceptes, 0)::integer as fichiers_acceptes,
               coalesce(r.fichiers_rejetes, 0)::integer as fichiers_rejetes
        from published p
        left join scored s on s.millesime = p.millesime
        left join received r on r.millesime = p.millesime
        left join methodology_versions v on v.millesime = p.millesime
        order by p.millesime
        """,
        {"accepted": ACCEPTED, "rejected": REJECTED},
    )
