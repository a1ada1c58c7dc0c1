"""Cut the console map's offline background from the npm package @geo-maps/countries-land-10km.

``npm pack @geo-maps/countries-land-10km@0.6.0`` and unpack it, then
``python -m tools.vendor_map_outlines package/map.geo.json`` writes Thailand and its
neighbours to console/static/vendor/geo-maps/southeast-asia.geo.json (coordinates rounded
to 3 decimals, ~100 m, enough for a background). The app then serves the map with no
internet: no tile server is ever asked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COUNTRIES = {"THA", "MMR", "LAO", "KHM", "MYS", "VNM"}
OUT = Path(__file__).resolve().parents[1] / "console/static/vendor/geo-maps/southeast-asia.geo.json"


def _round(value):
    if isinstance(value, list):
        return [_round(v) for v in value]
    return round(value, 3)


def main(argv: list[str]) -> int:
    source = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "properties": {"a3": f["properties"]["A3"]},
            "geometry": {"type": f["geometry"]["type"], "coordinates": _round(f["geometry"]["coordinates"])},
        }
        for f in source["features"]
        if f["properties"].get("A3") in COUNTRIES
    ]
    OUT.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")), encoding="utf-8"
    )
    print(f"{len(features)} outlines written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
