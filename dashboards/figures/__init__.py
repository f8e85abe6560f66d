"""Plotly figures of the dashboard, built by pure functions from data frames.

Nothing here reads the published file: pages fetch frames through ``dashboards.data`` and
pass them in, so every figure can be checked in a unit test without a server or a browser.
Numbers shown to visitors are formatted in Python (French style) and passed as
``customdata``, rather than trusting each hover template to apply ``separators``.

One module per page or concept:

- :mod:`~dashboards.figures.style`: config, fonts, colours and short names shared by all;
- :mod:`~dashboards.figures.maps` (with its overseas insets,
  :mod:`~dashboards.figures.insets`) and :mod:`~dashboards.figures.levels`: Vue nationale;
- :mod:`~dashboards.figures.profile` (radar, evolution) and :mod:`~dashboards.figures.ranks`
  (rank interval, ordinals): Fiche territoire;
- :mod:`~dashboards.figures.comparison`: Comparer;
- :mod:`~dashboards.figures.axes`: Axes;
- :mod:`~dashboards.figures.quality`: Qualité des données;
- :mod:`~dashboards.figures.methodology`: Méthodologie;
- :mod:`~dashboards.figures.achievements`: Réalisations.
"""

from dashboards.figures.achievements import achievements_by_axis_chart
from dashboards.figures.axes import (
    CHOSEN_COLOUR,
    OTHER_COLOUR,
    axis_box_chart,
    axis_medians_chart,
    discriminating_questions,
    distribution_summary,
    questions_chart,
)
from dashboards.figures.comparison import (
    COMPARE_COLOURS,
    COMPARE_PATTERNS,
    COMPARE_SYMBOLS,
    comparison_chart,
    comparison_evolution,
)
from dashboards.figures.levels import (
    distribution_chart,
    level_distribution,
)
from dashboards.figures.maps import (
    DEFAULT_MAP_LAYERS,
    HALO_COLOUR,
    HALO_WIDTH,
    MAP_LAYERS,
    MAP_TRACES,
    MARKER_LAYERS,
    MARKER_MAX_SIZE,
    MARKER_MIN_SIZE,
    MAX_LAYER_POINTS,
    TraceValues,
    bounded_markers,
    colour_bar,
    map_values,
    marker_sizes,
    territory_map,
)
from dashboards.figures.methodology import (
    FIRST_ORDER_COLOUR,
    TOTAL_COLOUR,
    sensitivity_chart,
)
from dashboards.figures.profile import (
    BREAK_COLOUR,
    BREAK_LABEL,
    break_texts,
    evolution_chart,
    radar,
)
from dashboards.figures.quality import (
    ANSWERED_COLOUR,
    ANSWERED_LABEL,
    NOT_ANSWERED_COLOUR,
    NOT_ANSWERED_LABEL,
    response_by_kind,
    response_chart,
)
from dashboards.figures.ranks import (
    INTERVAL_COLOUR,
    RANK_COLOUR,
    interval_bounds,
    ordinal,
    rank_interval_chart,
    rank_ticks,
)
from dashboards.figures.style import (
    FONT_FAMILY,
    GRAPH_CONFIG,
    INSUFFICIENT_COLOUR,
    INSUFFICIENT_LABEL,
    LEVEL_COLOURS,
    NO_ANSWER_COLOUR,
    NO_ANSWER_LABEL,
    PEER_COLOUR,
    SHORT_AXIS_LABELS,
    TERRITORY_COLOUR,
    base_layout,
    level_name,
    short_axis_label,
    wrap_label,
)

__all__ = [
    "achievements_by_axis_chart",
    "ANSWERED_COLOUR",
    "ANSWERED_LABEL",
    "BREAK_COLOUR",
    "BREAK_LABEL",
    "CHOSEN_COLOUR",
    "COMPARE_COLOURS",
    "COMPARE_PATTERNS",
    "COMPARE_SYMBOLS",
    "DEFAULT_MAP_LAYERS",
    "FIRST_ORDER_COLOUR",
    "FONT_FAMILY",
    "GRAPH_CONFIG",
    "HALO_COLOUR",
    "HALO_WIDTH",
    "INSUFFICIENT_COLOUR",
    "INSUFFICIENT_LABEL",
    "INTERVAL_COLOUR",
    "LEVEL_COLOURS",
    "MAP_LAYERS",
    "MAP_TRACES",
    "MARKER_LAYERS",
    "MARKER_MAX_SIZE",
    "MARKER_MIN_SIZE",
    "MAX_LAYER_POINTS",
    "bounded_markers",
    "NOT_ANSWERED_COLOUR",
    "NOT_ANSWERED_LABEL",
    "NO_ANSWER_COLOUR",
    "NO_ANSWER_LABEL",
    "OTHER_COLOUR",
    "PEER_COLOUR",
    "RANK_COLOUR",
    "SHORT_AXIS_LABELS",
    "TERRITORY_COLOUR",
    "TOTAL_COLOUR",
    "TraceValues",
    "axis_box_chart",
    "axis_medians_chart",
    "base_layout",
    "break_texts",
    "colour_bar",
    "comparison_chart",
    "comparison_evolution",
    "discriminating_questions",
    "distribution_chart",
    "distribution_summary",
    "evolution_chart",
    "interval_bounds",
    "level_distribution",
    "level_name",
    "map_values",
    "marker_sizes",
    "ordinal",
    "questions_chart",
    "radar",
    "rank_interval_chart",
    "rank_ticks",
    "response_by_kind",
    "response_chart",
    "sensitivity_chart",
    "short_axis_label",
    "territory_map",
    "wrap_label",
]
