"""Overseas insets of the national map: the five overseas départements (and their régions)
drawn in boxes beside metropolitan France, as French maps do, instead of off-screen.

Pure geometry on longitudes and latitudes: each overseas territory is moved and scaled into
its box on the left of metropolitan France. The map is drawn with a Mercator projection, so
a box (constant longitudes and latitudes) is a rectangle on screen; the move keeps each
territory's shape (its width is measured at its own latitude, its height in Mercator units
of the box). Outlines (GeoJSON) and markers (points) go through the same transform, so a
marker stays on its territory; the feature ids and the markers' codes are unchanged, so
hover and click still give the real territory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Where metropolitan France is (longitudes, latitudes), Corsica included.
METROPOLE_BOUNDS = (-5.3, 41.2, 9.7, 51.2)
#: Left column of the insets: longitudes, and gap between boxes in Mercator degrees.
INSET_COLUMN = (-10.4, -6.3)
INSET_GAP = 0.35
#: Share of each box kept empty around the territory, and at the top for the label.
INSET_PADDING = 0.06
INSET_LABEL_SHARE = 0.2
FRAME_COLOUR = "#8a94a6"


@dataclass(frozen=True)
class Inset:
    """An overseas département, its région, its name and where it really is.

    ``source`` is a box (longitude and latitude, min then max) holding the whole territory;
    points inside it are moved into the inset.
    """

    departement: str
    region: str
    label: str
    source: tuple[float, float, float, float]


#: The overseas départements, from the top of the column to its bottom.
INSETS: tuple[Inset, ...] = (
    Inset("DEP-971", "REG-01", "Guadeloupe", (-61.9, 15.8, -60.95, 16.55)),
    Inset("DEP-972", "REG-02", "Martinique", (-61.25, 14.35, -60.78, 14.9)),
    Inset("DEP-973", "REG-03", "Guyane", (-54.65, 2.08, -51.58, 5.8)),
    Inset("DEP-974", "REG-04", "La Réunion", (55.19, -21.42, 55.86, -20.85)),
    Inset("DEP-976", "REG-06", "Mayotte", (44.98, -13.03, 45.32, -12.6)),
)
#: The inset of each overseas territory (département or région) by code.
INSET_OF: dict[str, Inset] = {
    code: inset for inset in INSETS for code in (inset.departement, inset.region)
}


def mercator_y(latitude: np.ndarray | float) -> np.ndarray:
    """Mercator ordinate of ``latitude``, in degrees (equal to the latitude near the equator)."""
    phi = np.radians(np.asarray(latitude, dtype=float))
    return np.degrees(np.log(np.tan(np.pi / 4 + phi / 2)))


def mercator_latitude(y: np.ndarray | float) -> np.ndarray:
    """Inverse of :func:`mercator_y`."""
    return np.degrees(2 * np.arctan(np.exp(np.radians(np.asarray(y, dtype=float)))) - np.pi / 2)


def inset_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Each inset's box (longitude, latitude, min then max), by overseas département code:
    equal boxes stacked in the column left of metropolitan France, as tall together as it."""
    top = float(mercator_y(METROPOLE_BOUNDS[3]))
    bottom = float(mercator_y(METROPOLE_BOUNDS[1]))
    height = (top - bottom - INSET_GAP * (len(INSETS) - 1)) / len(INSETS)
    boxes = {}
    for number, inset in enumerate(INSETS):
        box_top = top - number * (height + INSET_GAP)
        boxes[inset.departement] = (
            INSET_COLUMN[0],
            float(mercator_latitude(box_top - height)),
            INSET_COLUMN[1],
            float(mercator_latitude(box_top)),
        )
    return boxes


def map_bounds() -> tuple[tuple[float, float], tuple[float, float]]:
    """Longitude and latitude ranges that show metropolitan France and every inset, with a
    margin (Plotly clips what lies outside them)."""
    return (
        (INSET_COLUMN[0] - 0.2, METROPOLE_BOUNDS[2] + 0.2),
        (METROPOLE_BOUNDS[1] - 1.2, METROPOLE_BOUNDS[3] + 1.2),
    )


@dataclass(frozen=True)
class Placement:
    """The move of one inset: scale then offset, in (cos-latitude, Mercator) units."""

    source_lon: float
    source_lat: float
    cos_latitude: float
    scale: float
    target_x: float
    target_y: float

    def apply(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where the points (``lon``, ``lat``) of the territory are drawn."""
        x = (np.asarray(lon, dtype=float) - self.source_lon) * self.cos_latitude
        y = np.asarray(lat, dtype=float) - self.source_lat
        return (
            self.target_x + x * self.scale,
            mercator_latitude(self.target_y + y * self.scale),
        )


def placement(inset: Inset) -> Placement:
    """How ``inset``'s territory is moved into its box: centred below the label, as large
    as the box allows, with its proportions."""
    lon_min, lat_min, lon_max, lat_max = inset.source
    cos_latitude = math.cos(math.radians((lat_min + lat_max) / 2))
    width, height = (lon_max - lon_min) * cos_latitude, lat_max - lat_min
    box_lon_min, box_lat_min, box_lon_max, box_lat_max = inset_boxes()[inset.departement]
    box_bottom, box_top = float(mercator_y(box_lat_min)), float(mercator_y(box_lat_max))
    box_width, box_height = box_lon_max - box_lon_min, box_top - box_bottom
    usable_width = box_width * (1 - 2 * INSET_PADDING)
    usable_height = box_height * (1 - 2 * INSET_PADDING - INSET_LABEL_SHARE)
    scale = min(usable_width / width, usable_height / height)
    centre_x = box_lon_min + box_width / 2
    centre_y = box_bottom + box_height * (INSET_PADDING + (1 - INSET_LABEL_SHARE) / 2)
    return Placement(
        source_lon=(lon_min + lon_max) / 2,
        source_lat=(lat_min + lat_max) / 2,
        cos_latitude=cos_latitude,
        scale=scale,
        target_x=centre_x,
        target_y=centre_y,
    )


def _place_rings(coordinates: Any, move: Placement, depth: int) -> Any:
    if depth == 0:
        points = np.asarray(coordinates, dtype=float)
        lon, lat = move.apply(points[:, 0], points[:, 1])
        return np.round(np.column_stack([lon, lat]), 5).tolist()
    return [_place_rings(part, move, depth - 1) for part in coordinates]


def place_geometry(geometry: dict[str, Any], code: str) -> dict[str, Any]:
    """The GeoJSON ``geometry`` of territory ``code`` moved into its inset (unchanged for a
    metropolitan territory). Polygons and MultiPolygons only, as the map's outlines are."""
    inset = INSET_OF.get(code)
    if inset is None:
        return geometry
    depth = {"Polygon": 1, "MultiPolygon": 2}[geometry["type"]]
    return {
        "type": geometry["type"],
        "coordinates": _place_rings(geometry["coordinates"], placement(inset), depth),
    }


def place_points(lon: Any, lat: Any) -> tuple[list[float], list[float]]:
    """Where points (markers at their seat) are drawn: a point of an overseas territory is
    moved into its inset, the others stay. Missing coordinates stay missing."""
    lon_drawn = np.asarray(lon, dtype=float).copy()
    lat_drawn = np.asarray(lat, dtype=float).copy()
    for inset in INSETS:
        lon_min, lat_min, lon_max, lat_max = inset.source
        inside = (
            (lon_drawn >= lon_min)
            & (lon_drawn <= lon_max)
            & (lat_drawn >= lat_min)
            & (lat_drawn <= lat_max)
        )
        if inside.any():
            moved_lon, moved_lat = placement(inset).apply(lon_drawn[inside], lat_drawn[inside])
            lon_drawn[inside], lat_drawn[inside] = moved_lon, moved_lat
    return [round(float(v), 5) for v in lon_drawn], [round(float(v), 5) for v in lat_drawn]


def frame_lines(step: float = 0.25) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of the insets' frames, one closed line per box separated by
    None. Edges along a parallel get a point every ``step`` degrees, so that the map's
    great-circle segments stay on the parallel."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for lon_min, lat_min, lon_max, lat_max in inset_boxes().values():
        count = max(2, math.ceil((lon_max - lon_min) / step) + 1)
        along = np.linspace(lon_min, lon_max, count).tolist()
        lons += along + along[::-1] + [lon_min, None]
        lats += [lat_max] * count + [lat_min] * count + [lat_max, None]
    return [None if v is None else round(v, 5) for v in lons], [
        None if v is None else round(v, 5) for v in lats
    ]


def label_positions() -> tuple[list[float], list[float], list[str]]:
    """Where each inset's name is written: inside its box, at the top left."""
    lons, lats, labels = [], [], []
    for inset in INSETS:
        lon_min, lat_min, _, lat_max = inset_boxes()[inset.departement]
        top = float(mercator_y(lat_max))
        bottom = float(mercator_y(lat_min))
        lons.append(round(lon_min + 0.12, 5))
        lats.append(round(float(mercator_latitude(top - (top - bottom) * 0.04)), 5))
        labels.append(inset.label)
    return lons, lats, labels
