"""Write ``THIRD_PARTY_LICENSES``: the licence of every component that ships with CopperLoop.

The frozen bundle carries the Python runtime, Qt and every Python distribution CopperLoop depends on
(directly or not). This script walks that dependency closure in the current environment and copies
each distribution's own licence files (from its installed metadata) into one text file, after the
Python licence and Qt's LGPL. Run it in the environment that builds the bundle, so the file names the
versions actually shipped::

    python installer/third_party_licenses.py            # rewrites THIRD_PARTY_LICENSES at the repo root
    python installer/third_party_licenses.py --check    # exit 1 when a distribution is missing from it

``installer/build_windows.ps1`` and the Windows workflow run it before PyInstaller; the committed file
is the one from the Linux development environment (a test checks it names every distribution).
"""

from __future__ import annotations

import argparse
import re
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "THIRD_PARTY_LICENSES"
LICENCE_TEXTS = Path(__file__).resolve().parent / "licenses"
LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE)[^/]*$|coin-license\.txt$", re.IGNORECASE)
RULE = "=" * 100


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(root: str = "copperloop") -> list[metadata.Distribution]:
    """Every installed distribution ``root`` needs at run time (extras left out), ``root`` excluded."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a marker-less requirement not installed here (another platform's)
        key = canonical(dist.metadata["Name"])
        if key in seen:
            continue
        seen[key] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    seen.pop(canonical(root), None)
    return sorted(seen.values(), key=lambda d: canonical(d.metadata["Name"]))


def licence_of(dist: metadata.Distribution) -> str:
    """The SPDX expression, else the short License field, else the licence classifiers."""
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return expression
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 80:
        return short
    classifiers = [
        c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License")
    ]
    return ", ".join(classifiers) or "see the licence text below"


def licence_files(dist: metadata.Distribution) -> list[tuple[str, str]]:
    """(path, text) of the licence files the distribution installed; CBC's only for this platform."""
    out = []
    for file in dist.files or []:
        path = str(file)
        if not LICENCE_FILE.search(path) or path.endswith((".py", ".pyc")):
            continue
        if "solverdir/cbc/" in path and not _is_this_platforms_cbc(path):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        out.append((path, text.replace("\r\n", "\n").strip()))
    return out


def _is_this_platforms_cbc(path: str) -> bool:
    from pulp.apis.coin_api import PULP_CBC_CMD

    folder = Path(PULP_CBC_CMD.pulp_cbc_path).resolve().parent
    return path.replace("\\", "/").startswith("pulp/" + folder.as_posix().split("/pulp/", 1)[-1])


def python_licence() -> str:
    for folder in (Path(sysconfig.get_paths()["stdlib"]), Path(sys.base_prefix)):
        path = folder / "LICENSE.txt"
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return "Python is distributed under the PSF License Agreement: https://docs.python.org/3/license.html"


def document(dists: list[metadata.Distribution]) -> str:
    python = ".".join(str(p) for p in sys.version_info[:3])
    parts = [
        "CopperLoop: third-party components and their licences",
        RULE,
        "CopperLoop itself is MIT-licensed. Its installer and app folder also contain the components below,\n"
        "each under its own licence. Qt is used under the GNU LGPL version 3: the Qt libraries are separate\n"
        "shared libraries (Qt6*.dll / libQt6*.so) in the app folder and can be replaced by the user with\n"
        "compatible builds; the source of Qt is at https://download.qt.io/official_releases/qt/ and of\n"
        "Qt for Python at https://code.qt.io/cgit/pyside/pyside-setup.git/. Qt's own third-party parts are\n"
        "listed at https://doc.qt.io/qt-6/licenses-used-in-qt.html. OR-Tools' wheel carries its native\n"
        "dependencies (Abseil and RE2: Apache-2.0 and BSD-3-Clause; Protocol Buffers: BSD-3-Clause; SCIP:\n"
        "Apache-2.0; COIN-OR CBC, CLP, CGL, OSI and CoinUtils: EPL-2.0; HiGHS: MIT; zlib, bzip2), and\n"
        "highspy's module contains HiGHS (MIT).\n"
        "The map's orientation layer (optimizer/resources/geography.json) is derived from DCW-GMT 2.1.1 (The GMT\n"
        "Team; China's province outlines) and the GSHHS crude-resolution shorelines (P. Wessel and\n"
        "W. H. F. Smith, as packaged in cartopy 0.21.1's data), both under the GNU LGPL version 3 or later\n"
        "(text below). It was simplified by app/resources/build_geography.py, which rebuilds it from the\n"
        "Debian packages gmt-dcw and python-cartopy-data; it is a separate data file the user may replace.\n"
        "It is for orientation only, not a reviewed map. The same file carries the names (English and Chinese)\n"
        "and seats of 336 prefecture-level cities from CopperLoop's own table sample_networks/data/cities.csv\n"
        "(MIT, like CopperLoop).",
        "",
        "Summary",
        RULE,
        f"Python {python}  —  PSF-2.0  —  the runtime",
        *(f"{d.metadata['Name']} {d.version}  —  {licence_of(d)}" for d in dists),
        "",
        RULE,
        f"Python {python}",
        RULE,
        python_licence(),
        "",
        RULE,
        "Qt 6 (in PySide6-Essentials and shiboken6): GNU Lesser General Public License v3",
        RULE,
        (LICENCE_TEXTS / "LGPL-3.0.txt").read_text(encoding="utf-8").strip(),
        "",
        RULE,
        "GNU General Public License v3 (incorporated by reference in the LGPL v3 above)",
        RULE,
        (LICENCE_TEXTS / "GPL-3.0.txt").read_text(encoding="utf-8").strip(),
    ]
    for dist in dists:
        name = dist.metadata["Name"]
        home = dist.metadata.get("Home-page") or next(
            (u.split(",", 1)[1].strip() for u in dist.metadata.get_all("Project-URL") or []), ""
        )
        parts += ["", RULE, f"{name} {dist.version}  —  {licence_of(dist)}  {home}".rstrip(), RULE]
        files = licence_files(dist)
        if not files:
            parts.append(f"(no licence file in the distribution; licence: {licence_of(dist)})")
        for path, text in files:
            parts += [f"--- {path}", text, ""]
    return "\n".join(parts).rstrip() + "\n"


def missing_from(text: str, dists: list[metadata.Distribution]) -> list[str]:
    """Distributions of the closure that ``text`` has no section for."""
    return [d.metadata["Name"] for d in dists if f"\n{d.metadata['Name']} " not in text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that every distribution is named")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    dists = dependency_closure()
    if args.check:
        missing = missing_from(args.output.read_text(encoding="utf-8"), dists)
        if missing:
            print(f"{args.output.name} lacks: {', '.join(missing)}; run installer/third_party_licenses.py")
            return 1
        print(f"{args.output.name} names all {len(dists)} distributions")
        return 0
    args.output.write_text(document(dists), encoding="utf-8", newline="\n")
    print(f"wrote {args.output} ({len(dists)} distributions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
