"""Build ``geography.json``: the map's orientation layer (coastlines and China's province outlines).

The app draws these lines under the network so a planner sees where the nodes are; it never needs a
network connection for it. The sources are Debian's packaged copies of two LGPL-3+ data sets:

* ``gmt-dcw`` 2.1.1 (Digital Chart of the World for GMT, ``/usr/share/gmt-dcw/dcw-gmt.nc``): the
  outlines of China's provinces, autonomous regions, municipalities and special administrative regions;
* ``python-cartopy-data`` 0.21.1 (GSHHS crude-resolution shorelines, level 1,
  ``/usr/share/cartopy/data/shapefiles/gshhs/c/GSHHS_c_L1.shp``): coastlines of the region around China.

City names come from the project's own table ``sample_networks/data/cities.csv`` (the seats of the 4
municipalities and 332 prefecture-level divisions of mainland China, English and Chinese names,
coordinates checked against Wikipedia infoboxes; see ``sample_networks/README.md``), under
CopperLoop's own licence. Each city gets a label rank (:func:`city_rank`) so the map names the
municipalities and provincial capitals at country zoom and more cities as one zooms in. Searched
first: no Debian or PyPI package here ships Natural Earth's populated places (``r-cran-rnaturalearthdata``
has no places layer, cartopy downloads them at first use), and the Chinese-boundary packages on PyPI
do not say where their data comes from.

Both are simplified here (Douglas-Peucker, :data:`PROVINCE_TOLERANCE_DEG` and
:data:`COAST_TOLERANCE_DEG`) and written as compact JSON with coordinates in thousandths of a degree,
about 0.1 km: plenty for orientation and well under the 2 MB the app may ship. The result is an
orientation layer, not a reviewed map; the app says so on the map and lets the user switch it off or
load an outline of their own (for example a reviewed one).

To rebuild (needs ``h5py`` and ``numpy`` only at build time)::

    apt-get download gmt-dcw python-cartopy-data
    dpkg-deb -x gmt-dcw_*.deb ex && dpkg-deb -x python-cartopy-data_*.deb ex
    python app/resources/build_geography.py --root ex      # writes optimizer/resources/geography.json
"""

from __future__ import annotations

import argparse
import csv
import json
import struct
from pathlib import Path

import numpy as np

#: the app's map and the plan report's map both draw it, so it ships with optimizer (package data)
OUTPUT = Path(__file__).resolve().parents[2] / "optimizer" / "resources" / "geography.json"
DCW = "usr/share/gmt-dcw/dcw-gmt.nc"
GSHHS = "usr/share/cartopy/data/shapefiles/gshhs/c/GSHHS_c_L1.shp"
#: The coastline is kept inside this box (lon0, lat0, lon1, lat1): China and its neighbours' coasts.
REGION = (60.0, 0.0, 150.0, 60.0)
PROVINCE_TOLERANCE_DEG = 0.01
COAST_TOLERANCE_DEG = 0.03
SCALE = 1000  # coordinates stored as integers in thousandths of a degree
CITIES = Path(__file__).resolve().parents[2] / "sample_networks" / "data" / "cities.csv"

MUNICIPALITIES = frozenset({"Beijing", "Tianjin", "Shanghai", "Chongqing"})
#: The seats of the 27 provinces and autonomous regions of mainland China (names as in cities.csv).
CAPITALS = frozenset(
    {
        "Shijiazhuang",
        "Taiyuan",
        "Hohhot",
        "Shenyang",
        "Changchun",
        "Harbin",
        "Nanjing",
        "Hangzhou",
        "Hefei",
        "Fuzhou",
        "Nanchang",
        "Jinan",
        "Zhengzhou",
        "Wuhan",
        "Changsha",
        "Guangzhou",
        "Nanning",
        "Haikou",
        "Chengdu",
        "Guiyang",
        "Kunming",
        "Lhasa",
        "Xi'an",
        "Lanzhou",
        "Xining",
        "Yinchuan",
        "Ürümqi",
    }
)

#: DCW state code -> (English, Chinese) names of China's provincial-level divisions.
PROVINCES: dict[str, tuple[str, str]] = {
    "AH": ("Anhui", "安徽"),
    "BJ": ("Beijing", "北京"),
    "CQ": ("Chongqing", "重庆"),
    "FJ": ("Fujian", "福建"),
    "GD": ("Guangdong", "广东"),
    "GS": ("Gansu", "甘肃"),
    "GX": ("Guangxi", "广西"),
    "GZ": ("Guizhou", "贵州"),
    "HA": ("Henan", "河南"),
    "HB": ("Hubei", "湖北"),
    "HE": ("Hebei", "河北"),
    "HI": ("Hainan", "海南"),
    "HK": ("Hong Kong", "香港"),
    "HL": ("Heilongjiang", "黑龙江"),
    "HN": ("Hunan", "湖南"),
    "JL": ("Jilin", "吉林"),
    "JS": ("Jiangsu", "江苏"),
    "JX": ("Jiangxi", "江西"),
    "LN": ("Liaoning", "辽宁"),
    "MO": ("Macao", "澳门"),
    "NM": ("Inner Mongolia", "内蒙古"),
    "NX": ("Ningxia", "宁夏"),
    "QH": ("Qinghai", "青海"),
    "SC": ("Sichuan", "四川"),
    "SD": ("Shandong", "山东"),
    "SH": ("Shanghai", "上海"),
    "SN": ("Shaanxi", "陕西"),
    "SX": ("Shanxi", "山西"),
    "TJ": ("Tianjin", "天津"),
    "TW": ("Taiwan", "台湾"),
    "XJ": ("Xinjiang", "新疆"),
    "XZ": ("Tibet", "西藏"),
    "YN": ("Yunnan", "云南"),
    "ZJ": ("Zhejiang", "浙江"),
}


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker: the fewest points that stay within ``tolerance`` of the line (iterative)."""
    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        seg = points[b] - points[a]
        rel = points[a + 1 : b] - points[a]
        length = float(np.hypot(*seg))
        if length == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / length
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            k = a + 1 + i
            keep[k] = True
            stack += [(a, k), (k, b)]
    return points[keep]


def dcw_lines(path: Path, code: str) -> list[np.ndarray]:
    """The outline rings of DCW state ``CN<code>`` (lon, lat arrays split at the 65535 separators)."""
    import h5py

    with h5py.File(path, "r") as f:
        parts = []
        for axis in ("lon", "lat"):
            var = f[f"CN{code}_{axis}"]
            raw = var[:].astype(np.int64)
            parts.append((raw, float(var.attrs["min"][0]), float(var.attrs["scale"][0])))
    (lon_raw, lon_min, lon_scale), (lat_raw, lat_min, lat_scale) = parts
    rings: list[np.ndarray] = []
    start = 0
    breaks = [*np.flatnonzero(lon_raw == 65535).tolist(), len(lon_raw)]
    for stop in breaks:
        if stop - start >= 2:
            ring = np.column_stack(
                (lon_raw[start:stop] / lon_scale + lon_min, lat_raw[start:stop] / lat_scale + lat_min)
            )
            rings.append(ring)
        start = stop + 1
    return rings


def shapefile_rings(path: Path) -> list[np.ndarray]:
    """Every ring of a polygon shapefile (shape type 5), read with the standard library only."""
    data = path.read_bytes()
    rings: list[np.ndarray] = []
    pos = 100
    while pos + 8 <= len(data):
        _number, length_words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length_words]
        pos += 8 + 2 * length_words
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type != 5:
            continue
        num_parts, num_points = struct.unpack("<ii", content[36:44])
        starts = list(struct.unpack(f"<{num_parts}i", content[44 : 44 + 4 * num_parts]))
        offset = 44 + 4 * num_parts
        xy = np.frombuffer(content[offset : offset + 16 * num_points], dtype="<f8").reshape(-1, 2)
        for a, b in zip(starts, [*starts[1:], num_points], strict=True):
            rings.append(xy[a:b])
    return rings


def clip_to_region(ring: np.ndarray) -> list[np.ndarray]:
    """The runs of ``ring`` inside :data:`REGION` (a coastline leaving the box is cut, not closed)."""
    lon0, lat0, lon1, lat1 = REGION
    inside = (ring[:, 0] >= lon0) & (ring[:, 0] <= lon1) & (ring[:, 1] >= lat0) & (ring[:, 1] <= lat1)
    runs: list[np.ndarray] = []
    start = None
    for i, flag in enumerate([*inside.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= 2:
                runs.append(ring[start:i])
            start = None
    return runs


def city_rank(name_en: str, weight: int) -> int:
    """0 for a municipality, 1 for a provincial capital, then 2-4 by the table's ``weight`` (5-3, 2, 1):
    its estimate of how much scrap a city generates, which follows its size and industry. The map shows
    lower ranks first and at wider zoom."""
    if name_en in MUNICIPALITIES:
        return 0
    if name_en in CAPITALS:
        return 1
    return 2 if weight >= 3 else 3 if weight == 2 else 4


def read_cities(path: Path = CITIES) -> list[list[object]]:
    """[lon, lat (thousandths of a degree), English name, Chinese name, rank] of every city, by rank."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = (MUNICIPALITIES | CAPITALS) - {r["name_en"] for r in rows}
    if missing:
        raise SystemExit(f"{path}: no row for {sorted(missing)}")
    cities = [
        [
            round(float(r["lon"]) * SCALE),
            round(float(r["lat"]) * SCALE),
            r["name_en"],
            r["name_zh"],
            city_rank(r["name_en"], int(r["weight"])),
        ]
        for r in rows
    ]
    return sorted(cities, key=lambda c: (c[4], c[2]))


def encode(ring: np.ndarray) -> list[int]:
    """A ring as a flat list of integer thousandths of a degree: lon0, lat0, lon1, lat1, ..."""
    return np.round(ring * SCALE).astype(np.int64).ravel().tolist()


def build(root: Path) -> dict[str, object]:
    provinces = []
    for code, (name_en, name_zh) in sorted(PROVINCES.items()):
        rings = [simplify(r, PROVINCE_TOLERANCE_DEG) for r in dcw_lines(root / DCW, code)]
        rings = [r for r in rings if len(r) >= 3]
        biggest = max(rings, key=len)
        centre = biggest.mean(axis=0)
        provinces.append(
            {
                "code": code,
                "name_en": name_en,
                "name_zh": name_zh,
                "label": [round(float(centre[0]), 3), round(float(centre[1]), 3)],
                "lines": [encode(r) for r in rings],
            }
        )
    coast = []
    for ring in shapefile_rings(root / GSHHS):
        for run in clip_to_region(ring):
            simple = simplify(run, COAST_TOLERANCE_DEG)
            if len(simple) >= 3:
                coast.append(encode(simple))
    return {
        "format": 1,
        "scale": SCALE,
        "attribution": (
            "Province outlines: DCW-GMT 2.1.1, The GMT Team (LGPL-3.0-or-later). Coastlines: GSHHS/GSHHG "
            "crude resolution, P. Wessel and W. H. F. Smith, via cartopy 0.21.1 data (LGPL-3.0-or-later). "
            "Simplified by CopperLoop; for orientation, not a reviewed map. City names: CopperLoop's "
            "table of prefecture seats (sample_networks/data/cities.csv)."
        ),
        "provinces": provinces,
        "coast": coast,
        "cities": read_cities(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/"), help="where the Debian packages are unpacked")
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.root)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
