"""A synthetic scope of communes, for what the published demo is too small to show: the
national map's bound on points (unit test, ``benchmarks/national_map.py``)."""

import numpy as np
import pandas as pd


def synthetic_communes(count: int, departements: int = 101, seed: int = 12) -> pd.DataFrame:
    """``count`` communes spread over ``departements`` metropolitan-placed départements, about
    half of them scored, in the columns of the map's marker frame."""
    generator = np.random.default_rng(seed)
    departement = [f"DEP-{number % departements + 1:02d}" for number in range(count)]
    scored = generator.random(count) < 0.5
    values = np.where(scored, generator.uniform(0, 100, count), np.nan)
    return pd.DataFrame(
        {
            "code": [f"COM-{number:05d}" for number in range(count)],
            "kind": "COM",
            "kind_label": "Commune",
            "name": [f"Commune {number}" for number in range(count)],
            "population": generator.integers(50, 50_000, count),
            "maturity_level": pd.array([pd.NA] * count, dtype="Int64"),
            "maturity_label": None,
            "departement": departement,
            "longitude": generator.uniform(-4.5, 8, count),
            "latitude": generator.uniform(42.5, 51, count),
            "value": pd.array(values, dtype="Float64"),
        }
    )
