"""The dashboard's single door to data: the published DuckDB file, read-only, cached.

Pages read everything through this package (``from dashboards import data`` then
``data.territories()``), never the pipeline's warehouse, its code or its source files. One
module per concept or page holds the queries:

- :mod:`~dashboards.data.connection`: the published file, its version and the shared cache;
- :mod:`~dashboards.data.reference`: publication, millésimes, levels, axes, territories;
- :mod:`~dashboards.data.national`: Vue nationale (headline figures, scores, map);
- :mod:`~dashboards.data.ranking`: Classements;
- :mod:`~dashboards.data.achievements`: Réalisations (search, filters, statistics of the
  published sheets; one sheet, its funding, feedback, comments and its author's scores);
- :mod:`~dashboards.data.territory_profile`: Fiche territoire;
- :mod:`~dashboards.data.comparison`: Comparer;
- :mod:`~dashboards.data.axis_statistics`: Axes;
- :mod:`~dashboards.data.quality`: Qualité des données;
- :mod:`~dashboards.data.methodology`: Méthodologie (versions, tree, rules, robustness);
- :mod:`~dashboards.data.recommendations`: réalisations exemplaires linked to the scores
  (recommended on a fiche's weak axes, a territory's own, an axis's);
- :mod:`~dashboards.data.exports`: Téléchargements (open datasets);
- :mod:`~dashboards.data.open_api`: what only the open-data API lists (millésimes summed up);
- :mod:`~dashboards.data.editions`: the version of a publication, and each millésime's
  edition (its figures as published then), read through the ``source`` of the readers.

Every reader raises :class:`PublicationError` (with a French message a page can show as
is) when the published file is missing or unreadable.
"""

from dashboards.data.axis_statistics import axis_distribution, axis_medians, question_spread
from dashboards.data.comparison import index_histories
from dashboards.data.connection import (
    CACHE_DIR_ENV,
    MISSING_MESSAGE,
    PUBLISHED_ENV,
    PublicationError,
    PublicationMissing,
    PublicationUnreadable,
    cache_dir,
    on_publication,
    publication_version,
    published_path,
    source_version,
)
from dashboards.data.editions import (
    EDITION_COLUMNS,
    edition_publication,
    edition_source,
    editions,
    editions_signature,
    publication_of,
)
from dashboards.data.exports import (
    export_achievements,
    export_answers,
    export_axes,
    export_indices,
    export_territories,
)
from dashboards.data.methodology import (
    SENSITIVITY_FACTORS,
    Indicator,
    Methodology,
    MethodologyVersion,
    Node,
    UncertaintySettings,
    axis_descriptions,
    current_version,
    methodology,
    methodology_questions,
    methodology_version,
    methodology_versions,
    open_millesimes,
    rank_sensitivity,
    series_breaks,
    uncertainty_settings,
)
from dashboards.data.national import (
    MAP_LEVELS,
    NationalSummary,
    axis_scores_of,
    map_geojson,
    measure,
    national_summary,
    scores,
)
from dashboards.data.open_api import millesime_summaries
from dashboards.data.quality import (
    QualitySummary,
    problem_files,
    quality_summary,
    report_sizes,
    response_status,
    rule_counts,
    territory_submissions,
    validation_report_page,
)
from dashboards.data.ranking import RankingQuery, ranking_count, ranking_page, rankings
from dashboards.data.recommendations import (
    axis_achievements,
    peer_achievements,
    territory_achievements,
)
from dashboards.data.reference import (
    axes,
    maturity_levels,
    millesimes,
    publication,
    regions,
    territories,
    territory,
)
from dashboards.data.territory_profile import (
    answer_contributions,
    axis_history,
    axis_positions,
    axis_profile,
    index_contributions,
    peer_median_history,
    peer_median_index,
    peers_to_learn_from,
    territory_history,
    territory_rank,
)

__all__ = [
    "CACHE_DIR_ENV",
    "EDITION_COLUMNS",
    "MAP_LEVELS",
    "MISSING_MESSAGE",
    "PUBLISHED_ENV",
    "SENSITIVITY_FACTORS",
    "Indicator",
    "Methodology",
    "MethodologyVersion",
    "Node",
    "UncertaintySettings",
    "NationalSummary",
    "axis_descriptions",
    "PublicationError",
    "PublicationMissing",
    "PublicationUnreadable",
    "QualitySummary",
    "answer_contributions",
    "axis_achievements",
    "export_achievements",
    "peer_achievements",
    "territory_achievements",
    "axes",
    "axis_distribution",
    "axis_history",
    "axis_medians",
    "axis_positions",
    "axis_profile",
    "axis_scores_of",
    "cache_dir",
    "current_version",
    "edition_publication",
    "edition_source",
    "editions",
    "editions_signature",
    "export_answers",
    "export_axes",
    "export_indices",
    "export_territories",
    "index_contributions",
    "index_histories",
    "map_geojson",
    "maturity_levels",
    "measure",
    "methodology",
    "methodology_questions",
    "methodology_version",
    "methodology_versions",
    "millesime_summaries",
    "millesimes",
    "national_summary",
    "on_publication",
    "open_millesimes",
    "peer_median_history",
    "peer_median_index",
    "peers_to_learn_from",
    "problem_files",
    "publication",
    "publication_of",
    "publication_version",
    "published_path",
    "quality_summary",
    "question_spread",
    "rank_sensitivity",
    "RankingQuery",
    "ranking_count",
    "ranking_page",
    "rankings",
    "regions",
    "report_sizes",
    "response_status",
    "rule_counts",
    "scores",
    "series_breaks",
    "source_version",
    "territories",
    "territory",
    "territory_history",
    "territory_rank",
    "territory_submissions",
    "uncertainty_settings",
    "validation_report_page",
]
