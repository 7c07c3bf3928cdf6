"""Choose the place a name refers to, from the knowledge base and the rest of the document.

Many Arabic place names are shared: طرابلس is Tripoli in Libya and in Lebanon, البيضاء is a
city in Libya and in Yemen, عمان is Oman and Amman. :func:`resolve_place` scores each
candidate with

* a population prior (log scale), so that the capital beats a village of the same name;
* a strong bonus when the document names the candidate's country (ليبيا، or a nisba such as
  الليبية), and a bonus growing with the number of other places of that country in it;
* a proximity bonus when another place of the document lies within 50–150 km;
* a small bonus for the outlet's own country;
* a bonus for a country over a city of the same name (الكويت، الجزائر، تونس), smaller when
  the city lies in another country (عمان is Oman, unless the document is about Jordan);
* a bonus for capitals (موسكو is Moscow, not one of the American towns of that name).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rasd.link.kb import KBEntry, KnowledgeBase
from rasd.text.normalize import norm

# Weights (tuned on tests/data, checked on the held-out part of the geo gold; see
# docs/evaluation.md).
W_COUNTRY_NAMED = 2.0
W_COUNTRY_PLACES = 1.5
W_NEAR_50 = 0.8
W_NEAR_150 = 0.4
W_OUTLET = 0.3
W_IS_COUNTRY = 1.5  # a country over a city of the same name in that country (الكويت)
W_COUNTRY_OTHER = 0.5  # a country over a namesake city elsewhere (عمان: Oman / Amman)
W_CAPITAL = 0.5  # capitals are named far more often than their population suggests

_FEATURE_PRIOR = {"region": 0.75, "sea": 0.75, "continent": 0.9,
                  "base": 0.35, "airport": 0.35, "mosque": 0.35, "town": 0.45,
                  "district": 0.35, "city": 0.4}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class GeoContext:
    """What the document says about where it is: named countries and other places."""

    countries: Counter[str] = field(default_factory=Counter)  # ISO2 → mentions
    places: list[KBEntry] = field(default_factory=list)  # other places of the document
    outlet_country: str | None = None

    @classmethod
    def from_names(cls, names: Iterable[str], kb: KnowledgeBase | None = None,
                   adjectives: Iterable[str] = (), outlet_country: str | None = None,
                   exclude: str | None = None) -> GeoContext:
        """Context from the place names (and nisba adjectives) found in a document.

        Country names count as named countries; a name whose candidates all lie in one
        country is added as a place; ambiguous names are then resolved against that first
        context and added too. ``exclude`` drops a name (the one being resolved).
        """
        kb = kb or KnowledgeBase.load()
        skip = norm(exclude).strip() if exclude else None
        ctx = cls(outlet_country=outlet_country)
        pending: list[str] = []
        for name in names:
            if skip is not None and norm(name).strip() == skip:
                continue
            cands = kb.places(name)
            if not cands:
                continue
            if cands[0].feature == "country":
                ctx.countries[cands[0].country or ""] += 1
                continue
            if len({c.country for c in cands}) == 1:
                ctx.places.append(max(cands, key=_prior))
            else:
                pending.append(name)
        for adj in adjectives:
            e = kb.nisba(adj)
            if e is not None and e.feature == "country" and e.country:
                ctx.countries[e.country] += 1
        first = GeoContext(Counter(ctx.countries), list(ctx.places), outlet_country)
        for name in pending:
            best = resolve_place(name, first, kb)
            if best is not None:
                ctx.places.append(best)
        return ctx


def _prior(e: KBEntry) -> float:
    """Population prior in [0, ~1.1]; hand places without population by their feature."""
    if e.feature == "country":
        return 1.2
    if e.population > 0:
        return math.log10(e.population + 1) / 6.5
    return _FEATURE_PRIOR.get(e.feature, 0.3)


def score(c: KBEntry, context: GeoContext, rivals: list[KBEntry] = ()) -> float:
    """How well candidate ``c`` fits the document context (higher is better).

    ``rivals`` are the other candidates of the same name: a country gets its full bonus only
    over a city in that country.
    """
    s = _prior(c)
    if c.feature == "country":
        own = any(r.country == c.country for r in rivals if r.kb_id != c.kb_id)
        s += W_IS_COUNTRY if own or not rivals else W_COUNTRY_OTHER
    elif c.feature == "capital":
        s += W_CAPITAL
    if c.country and context.countries.get(c.country):
        s += W_COUNTRY_NAMED + 0.3 * math.log(context.countries[c.country])
    others = [p for p in context.places if p.kb_id != c.kb_id and p.name != c.name]
    if c.country:
        same = sum(1 for p in others if p.country == c.country)
        s += W_COUNTRY_PLACES * min(same, 3) / 3
    if c.lat is not None and c.lon is not None and c.feature != "country":
        near = [haversine_km(c.lat, c.lon, p.lat, p.lon) for p in others
                if p.lat is not None and p.lon is not None and p.feature != "country"]
        if near:
            d = min(near)
            s += W_NEAR_50 if d < 50 else W_NEAR_150 if d < 150 else 0.0
    if context.outlet_country and c.country == context.outlet_country:
        s += W_OUTLET
    return s


def resolve_place(name: str, context: GeoContext | None = None,
                  kb: KnowledgeBase | None = None) -> KBEntry | None:
    """The most likely place ``name`` refers to in this context, or None if the KB has none."""
    kb = kb or KnowledgeBase.load()
    cands = kb.places(name)
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    context = context or GeoContext()
    return max(cands, key=lambda c: (score(c, context, cands), c.population, c.kb_id))


def resolve_by_population(name: str, kb: KnowledgeBase | None = None) -> KBEntry | None:
    """Baseline: the candidate with the largest population (a country before any city)."""
    kb = kb or KnowledgeBase.load()
    cands = kb.places(name)
    if not cands:
        return None
    return max(cands, key=lambda c: (c.feature == "country", c.population, c.kb_id))
