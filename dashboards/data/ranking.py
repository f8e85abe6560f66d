"""Classements: every territory that answered a millésime, with its rank and axis scores."""

from __future__ import annotations

import pandas as pd

from dashboards.data.connection import read
from dashboards.data.national import axis_scores_of


def rankings(millesime: int) -> pd.DataFrame:
    """One row per territory that answered in ``millesime``, with everything the rankings
    grid shows: identity, région, population and band, global index and level, rank among
    its kind with the Monte Carlo 5–95 % rank interval, the index of the previous millésime
    the territory answered in and the change since, and one column per axis score."""
    frame = read(
        "rankings",
        """
        with previous as (
            select s.territory, arg_max(s.global_index, s.millesime) as previous_index,
                   max(s.millesime) as previous_millesime
            from territory_scores s
            where s.millesime < $millesime
            group by s.territory
        )
        select t.code, t.name, t.kind, t.kind_label, t.region, r.name as region_name,
               t.population, k.population_band,
               s.global_index, s.maturity_level, s.maturity_label, s.coverage,
               k.rank, k.peers, k.rank_p05, k.rank_p95,
               p.previous_index, p.previous_millesime,
               s.global_index - p.previous_index as change
        from territory_scores s
        join territories t on t.code = s.territory
        left join territories r on r.code = t.region
        left join territory_ranks k on k.territory = s.territory and k.millesime = s.millesime
        left join previous p on p.territory = s.territory
        where s.millesime = $millesime
        order by s.global_index desc nulls last, t.name
        """,
        {"millesime": millesime},
    )
    return frame.merge(axis_scores_of(millesime), on="code", how="left")
