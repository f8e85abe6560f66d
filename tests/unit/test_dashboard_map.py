"""The national map at every scale: overseas insets beside metropolitan France, and a bounded
number of points whatever the number of communes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboards import figures
from dashboards.figures import insets
from tests.support.synthetic_scope import synthetic_communes

LEVELS = pd.DataFrame(
    {
        "level": [1, 2, 3, 4, 5],
        "label": ["Découverte", "Émergent", "Structuré", "Avancé", "Exemplaire"],
        "min_score": [0, 20, 40, 60, 80],
        "max_score": [20, 40, 60, 80, 100],
    }
)


def _inside(lon, lat, box, margin: float = 1e-6) -> bool:
    lon_min, lat_min, lon_max, lat_max = box
    lon, lat = np.asarray(lon), np.asarray(lat)
    return bool(
        (lon >= lon_min - margin).all()
        and (lon <= lon_max + margin).all()
        and (lat >= lat_min - margin).all()
        and (lat <= lat_max + margin).all()
    )


def test_insets_are_stacked_left_of_metropolitan_france_without_overlap():
    boxes = insets.inset_boxes()
    assert list(boxes) == ["DEP-971", "DEP-972", "DEP-973", "DEP-974", "DEP-976"]
    metropole_west = insets.METROPOLE_BOUNDS[0]
    ordered = list(boxes.values())
    for box in ordered:
        assert box[2] < metropole_west, "every inset lies west of Brittany"
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert lower[3] < upper[1], "boxes are stacked from top to bottom, apart"
    (lon_min, lon_max), (lat_min, lat_max) = insets.map_bounds()
    assert lon_min < ordered[0][0] and lat_max > ordered[0][3] and lat_min < ordered[-1][1]


@pytest.mark.parametrize("inset", insets.INSETS, ids=lambda inset: inset.label)
def test_an_overseas_outline_is_drawn_inside_its_inset_with_its_shape(inset):
    lon_min, lat_min, lon_max, lat_max = inset.source
    # A ring along the territory's box, as a real outline would lie inside it.
    ring = [
        [lon_min, lat_min],
        [lon_max, lat_min],
        [lon_max, lat_max],
        [lon_min, lat_max],
        [lon_min, lat_min],
    ]
    for code in (inset.departement, inset.region):
        placed = insets.place_geometry({"type": "Polygon", "coordinates": [ring]}, code)
        points = np.asarray(placed["coordinates"][0])
        box = insets.inset_boxes()[inset.departement]
        assert _inside(points[:, 0], points[:, 1], box)
        # Proportions kept: width (at its latitude) over height, before and after, in the
        # units of the drawn map (longitudes; Mercator ordinates).
        before = (lon_max - lon_min) * np.cos(np.radians((lat_min + lat_max) / 2))
        before /= lat_max - lat_min
        y = insets.mercator_y(points[:, 1])
        after = (points[:, 0].max() - points[:, 0].min()) / (y.max() - y.min())
        assert after == pytest.approx(before, rel=0.01)


def test_metropolitan_outlines_and_points_stay_where_they_are():
    square = {"type": "Polygon", "coordinates": [[[2, 48], [3, 48], [3, 49], [2, 49], [2, 48]]]}
    assert insets.place_geometry(square, "DEP-75") is square
    lon, lat = insets.place_points([2.35, -52.33, 55.45, None], [48.86, 4.94, -20.88, None])
    assert (lon[0], lat[0]) == (2.35, 48.86)
    assert _inside(lon[1], lat[1], insets.inset_boxes()["DEP-973"]), "Cayenne, in Guyane's box"
    assert _inside(lon[2], lat[2], insets.inset_boxes()["DEP-974"]), "Saint-Denis, La Réunion"
    assert np.isnan(lon[3]) and np.isnan(lat[3])


def test_frames_close_each_box():
    lon, lat = insets.frame_lines()
    assert lon.count(None) == lat.count(None) == len(insets.INSETS)
    first = lon.index(None)
    assert (lon[0], lat[0]) == (lon[first - 1], lat[first - 1]), "a closed line"


def test_a_layer_of_35000_communes_is_drawn_as_one_disc_per_departement():
    communes = synthetic_communes(35_000)
    names = {f"DEP-{number:02d}": f"Département {number}" for number in range(1, 102)}
    drawn = figures.bounded_markers(communes, names)
    assert len(drawn) == 101 and drawn["aggregated"].all()
    ain = drawn.set_index("code").loc["DEP-01/communes"]
    members = communes[communes["departement"] == "DEP-01"]
    assert ain["name"] == f"Département 1 — {figures.maps.format_integer(len(members))} communes"
    assert ain["value"] == pytest.approx(members["value"].mean())
    assert ain["population"] == members["population"].sum()
    assert ain["maturity_label"] == (
        f"moyenne des {figures.maps.format_integer(members['value'].count())} évaluées"
    )

    outlines = pd.DataFrame(columns=[*communes.columns]).assign(value=pd.Series(dtype=float))
    values = figures.map_values(outlines, drawn, "Indice global", ["communes"])
    points = sum(len(trace.get(("lon",), [])) for trace in values[-2:])
    assert points == 101
    # A disc opens no fiche (no code in its hover data), and says what it stands for.
    customdata = values[figures.MAP_TRACES.index("markers_scored")][("customdata",)]
    assert all(row[-1] == "" for row in customdata)
    assert customdata[0][2].startswith("Communes regroupées par département — moyenne des")
    # Discs grow with the number of communes they stand for, and stay small enough not to
    # hide the map.
    sizes = values[figures.MAP_TRACES.index("markers_scored")][("marker", "size")]
    assert max(sizes) == figures.maps.GROUP_MAX_SIZE and min(sizes) >= figures.MARKER_MIN_SIZE

    figure = figures.territory_map(
        outlines, drawn, "/carte/DEP.geojson?v=1", LEVELS, layers=["communes"]
    )
    size = len(json.dumps(figure.to_plotly_json(), default=str))
    assert size < 100_000, f"the map of 35,000 communes weighs {size} bytes"


def test_a_layer_within_the_bound_keeps_one_point_per_territory():
    communes = synthetic_communes(figures.MAX_LAYER_POINTS)
    drawn = figures.bounded_markers(communes, {})
    assert len(drawn) == figures.MAX_LAYER_POINTS and not drawn["aggregated"].any()
    assert drawn["code"].tolist() == communes["code"].tolist()
