"""Time expressions: each pattern family, the offset rule, resolution, Hijri conversion."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.document import Document
from rasd.time import TimeStage, find_times, hijri
from rasd.time.resolve import parse_published

PUB = "2019-06-25"  # a Tuesday


def found(text: str, published: str | None = PUB) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_times(text, published)]


def one(text: str, published: str | None = PUB) -> tuple[str, str | None]:
    got = found(text, published)
    assert len(got) == 1, got
    return got[0]


def assert_offsets(text: str, published: str | None = PUB) -> None:
    for t in find_times(text, published):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert t.text == t.text.strip()


# -- the sample article -------------------------------------------------------------------
def test_sample_article(shared):
    text = shared("samples/libya-2019-rajma.txt").read_text(encoding="utf-8")
    times = find_times(text, "2019-06-25")
    got = [(t.text, t.value) for t in times]
    assert ("الاثنين", "2019-06-24") in got
    assert ("الأحد", "2019-06-23") in got
    assert ("منذ أسبوع", "2019-06-18") in got
    assert ("بعد أكثر من 80 يوما", "P80D") in got
    assert ("بعد نحو 3 أشهر", "P3M") in got
    assert [t.id for t in times] == [f"t{i}" for i in range(1, len(times) + 1)]
    assert [t.start for t in times] == sorted(t.start for t in times)
    doc = Document(text=text, published="2019-06-25")
    TimeStage()(doc)
    doc.check_offsets()
    assert [t.text for t in doc.times] == [t.text for t in times]


# -- pattern families ---------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("قال الاثنين إن", ("الاثنين", "2019-06-24")),
    ("التقى حفتر الأحد في", ("الأحد", "2019-06-23")),
    ("وصل يوم الثلاثاء إلى", ("يوم الثلاثاء", "2019-06-25")),  # publication day itself
    ("اجتمعوا الأحد الماضي", ("الأحد الماضي", "2019-06-23")),
    ("اجتمعوا الثلاثاء الماضي", ("الثلاثاء الماضي", "2019-06-18")),  # strictly before
    ("يعقد الخميس المقبل", ("الخميس المقبل", "2019-06-27")),
    ("سيعقد الاجتماع الخميس", ("الخميس", "2019-06-27")),  # future cue before it
    ("والاثنين أعلن", ("الاثنين", "2019-06-24")),  # clitic outside the span
])
def test_weekdays(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("قتل أمس في", ("أمس", "2019-06-24")),
    ("وقع بالأمس", ("الأمس", "2019-06-24")),
    ("وصل أول من أمس", ("أول من أمس", "2019-06-23")),
    ("وصل أمس الأول", ("أمس الأول", "2019-06-23")),
    ("أعلن اليوم أن", ("اليوم", "2019-06-25")),
    ("يصل غداً إلى", ("غداً", "2019-06-26")),
    ("مساء أمس في الدوحة", ("مساء أمس", "2019-06-24")),
    ("الليلة الماضية", ("الليلة الماضية", "2019-06-24")),
    ("يوم أمس السبت", ("يوم أمس السبت", "2019-06-22")),
    ('أمس "الأحد"', ('أمس "الأحد"', "2019-06-23")),
    ("اليوم (الاثنين)", ("اليوم (الاثنين)", "2019-06-24")),  # the weekday wins
])
def test_relative_days(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text", ["عين اليوم – بغداد", "في اليوم التالي", "لليوم الرابع على",
                                  "في الوقت نفسه", "بين الاثنين", "الأمين العام السابق"])
def test_not_time(text):
    assert found(text) == []


@pytest.mark.parametrize("text, expected", [
    ("في 24 يونيو 2019", ("24 يونيو 2019", "2019-06-24")),
    ("في 24 حزيران 2019", ("24 حزيران 2019", "2019-06-24")),
    ("في 24 يونيو (حزيران) 2019", ("24 يونيو (حزيران) 2019", "2019-06-24")),
    ("في 10 حزيران/يونيو من العام الماضي", ("10 حزيران/يونيو من العام الماضي", "2018-06-10")),
    ("في 26 شباط - فبراير عام 2016", ("26 شباط - فبراير عام 2016", "2016-02-26")),
    ("في 17 يوليو تموز", ("17 يوليو تموز", "2018-07-17")),  # no year: the past one
    ("في 3 آب (أغسطس) الجاري", ("3 آب (أغسطس) الجاري", "2019-08-03")),
    ("الأول من يناير 2015", ("الأول من يناير 2015", "2015-01-01")),
    ("في يناير 2013", ("يناير 2013", "2013-01")),
    ("في كانون الأول 2013", ("كانون الأول 2013", "2013-12")),
    ("في 5 جوان 2019", ("5 جوان 2019", "2019-06-05")),
    ("في 5 جويلية 2019", ("5 جويلية 2019", "2019-07-05")),
    ("في مايو الماضي", ("مايو الماضي", "2019-05")),
    ("في سبتمبر الماضي", ("سبتمبر الماضي", "2018-09")),
    ("خلال شهر يوليو المقبل", ("شهر يوليو المقبل", "2019-07")),
    ("في 24/6/2019", ("24/6/2019", "2019-06-24")),
    ("في 2019-06-24", ("2019-06-24", "2019-06-24")),
    ("الخميس 14 – 10 – 1436 هـ", ("الخميس 14 – 10 – 1436 هـ", "2015-07-30")),
])
def test_gregorian_and_numeric_dates(text, expected):
    assert one(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("في عام 2013", ("عام 2013", "2013")),
    ("لسنة 2013", ("سنة 2013", "2013")),
    ("بين 1998 و2002م", None),
    ("منذ 2011", ("2011", "2011")),
    ("العام الماضي", ("العام الماضي", "2018")),
    ("للعام الماضي", ("للعام الماضي", "2018")),  # ل fused with the article stays inside
    ("هذا العام", ("هذا العام", "2019")),
    ("الشهر الماضي", ("الشهر الماضي", "2019-05")),
    ("الأسبوع الماضي", ("الأسبوع الماضي", "2019-W25")),
    ("الأسبوع المقبل", ("الأسبوع المقبل", "2019-W27")),
])
def test_years_and_periods(text, expected):
    if expected is None:
        assert found(text) == [("1998", "1998"), ("2002م", "2002")]
    else:
        assert one(text) == expected


def test_bare_numbers_are_not_years():
    assert found("قرار مجلس الأمن 2216 ومقتل 2015 شخصا") == []


@pytest.mark.parametrize("text, expected", [
    ("منذ أسبوع", ("منذ أسبوع", "2019-06-18")),
    ("منذ يومين", ("منذ يومين", "2019-06-23")),
    ("قبل 3 أشهر", ("قبل 3 أشهر", "2019-03")),
    ("منذ عامين", ("منذ عامين", "2017")),
    ("قبل أسبوع من الانتخابات", ("قبل أسبوع", "P1W")),  # anchored to an event: a duration
    ("بعد أكثر من 80 يوما على", ("بعد أكثر من 80 يوما", "P80D")),
    ("بعد نحو 3 أشهر على", ("بعد نحو 3 أشهر", "P3M")),
    ("لمدة 4 سنوات", ("4 سنوات", "P4Y")),
    ("لمدة خمس سنوات", ("خمس سنوات", "P5Y")),
    ("خلال 72 ساعة", ("72 ساعة", "PT72H")),
    ("نحو 3 أشهر", ("نحو 3 أشهر", "P3M")),
    ("خلال أسبوعين", ("أسبوعين", "P2W")),
    ("نصف ساعة", ("نصف ساعة", "PT30M")),
    ("عام ونصف", ("عام ونصف", "P18M")),
    ("الأربعة الأشهر الماضية", ("الأربعة الأشهر الماضية", "P4M")),
    ("الأشهر العشرة الماضية", ("الأشهر العشرة الماضية", "P10M")),
    ("في الـ11 عاما الأخيرة", ("الـ11 عاما الأخيرة", "P11Y")),
    ("خلال اليومين القادمين", ("اليومين القادمين", "P2D")),
    ("منذ أيام", ("منذ أيام", None)),  # vague
    ("خلال الأيام القليلة المقبلة", ("الأيام القليلة المقبلة", None)),
])
def test_durations_and_relative(text, expected):
    assert one(text) == expected


def test_year_after_unit_word_is_a_year():
    assert found("منذ عام 2013") == [("عام 2013", "2013")]


@pytest.mark.parametrize("text, expected", [
    ("25 شوال 1436 هـ", ("25 شوال 1436 هـ", "2015-08-10")),
    ("1 رمضان 1440هـ", ("1 رمضان 1440هـ", "2019-05-06")),
    ("1436/10/30 هـ", ("1436/10/30 هـ", "2015-08-15")),
    ("30 / 10 / 1436هـ", ("30 / 10 / 1436هـ", "2015-08-15")),
    ("في شهر رمضان 1440", ("شهر رمضان 1440", "2019-05-06/2019-06-03")),
    ("عام 1436هـ", ("عام 1436هـ", "2014-10-25/2015-10-13")),
    ("في 10 ذي الحجة 1440", ("10 ذي الحجة 1440", "2019-08-11")),
    ("في ربيع الأول 1441", ("ربيع الأول 1441", "2019-10-29/2019-11-27")),
])
def test_hijri_dates(text, expected):
    assert one(text) == expected


def test_hijri_month_without_year_resolves_near_publication():
    # Ramadan 1440 ran 2019-05-06 … 2019-06-03; the last one before 2019-06-25
    assert one("خلال شهر رمضان الماضي") == ("شهر رمضان الماضي", "2019-05-06/2019-06-03")
    assert one("في 7 شوال", "2019-06-25") == ("7 شوال", "2019-06-10")


def test_ambiguous_hijri_and_month_names_need_context():
    assert found("قال طارق رمضان") == []
    assert found("مارس الضغط على") == []
    assert found("الرقم صفر") == []
    assert one("في مارس") == ("مارس", "2019-03")


# -- publication date ---------------------------------------------------------------------
def test_without_publication_date_relative_values_are_null():
    text = "قال أمس الأحد منذ أسبوع إنه التقى في 24 يونيو 2019 وفي يونيو الماضي وبعد 3 أشهر"
    got = found(text, None)
    assert got == [("أمس الأحد", None), ("منذ أسبوع", None), ("24 يونيو 2019", "2019-06-24"),
                   ("يونيو الماضي", None), ("بعد 3 أشهر", "P3M")]


@pytest.mark.parametrize("published", ["2019-06-25", "2019-06-25T10:00:00",
                                       "2019-06-25 10:00:00", "2019-06-25T10:00:00Z",
                                       "2019-06-25T10:00:00+03:00"])
def test_published_formats(published):
    assert one("أمس", published) == ("أمس", "2019-06-24")


def test_unreadable_published_is_none():
    assert parse_published("yesterday") is None
    assert one("أمس", "yesterday") == ("أمس", None)


def test_normalization_and_diacritics_keep_exact_offsets():
    text = "وقال الإثنينَ إن الاجتماعَ يُعقد ١٠ حزيرانَ ٢٠١٩ وبالأمْس"
    assert_offsets(text)
    got = found(text)
    assert got[0] == ("الإثنينَ", "2019-06-24")
    assert got[1] == ("١٠ حزيرانَ ٢٠١٩", "2019-06-10")
    assert got[2] == ("الأمْس", "2019-06-24")


# -- Hijri converter ----------------------------------------------------------------------
@pytest.mark.parametrize("hdate, gdate", [
    ((1440, 9, 1), date(2019, 5, 6)),
    ((1436, 10, 1), date(2015, 7, 17)),
    ((1436, 10, 30), date(2015, 8, 15)),
    ((1445, 1, 1), date(2023, 7, 19)),
    ((1343, 1, 1), date(1924, 8, 1)),
])
def test_hijri_known_dates(hdate, gdate):
    assert hijri.to_gregorian(*hdate) == gdate
    assert hijri.from_gregorian(gdate) == hdate


def test_hijri_round_trip_and_month_lengths():
    d = date(1925, 1, 1)
    while d < date(2077, 1, 1):
        y, m, day = hijri.from_gregorian(d)
        assert hijri.to_gregorian(y, m, day) == d
        # the published table has a few 28/31-day months before 1365 AH (1946)
        assert hijri.month_length(y, m) in ((29, 30) if y >= 1365 else (28, 29, 30, 31))
        d += timedelta(days=37)


def test_hijri_tabular_outside_table():
    # 1 Muharram 1 AH = 19 July 622 (proleptic Gregorian) in the civil tabular calendar
    assert hijri.to_gregorian(1, 1, 1) == date(622, 7, 19)
    for d in (date(1800, 3, 1), date(2100, 6, 15)):
        assert hijri.to_gregorian(*hijri.from_gregorian(d)) == d
    with pytest.raises(hijri.HijriError):
        hijri.to_gregorian(1440, 13, 1)
    with pytest.raises(hijri.HijriError):
        hijri.to_gregorian(1436, 9, 30)  # Ramadan 1436 had 29 days


def test_hijri_table_matches_hijridate():
    hd = pytest.importorskip("hijridate")
    for y in range(1343, 1501, 7):
        for m in (1, 5, 9, 12):
            expected = date(*hd.Hijri(y, m, 1).to_gregorian().datetuple())
            assert hijri.to_gregorian(y, m, 1) == expected


# -- robustness ---------------------------------------------------------------------------
_ALPHABET = ("أمس اليوم الاثنين الأحد منذ قبل بعد أسبوع يومين 80 يوما 3 أشهر نحو أكثر من "
             "يونيو حزيران شوال رمضان 1436 هـ 2019 م / - ( ) « » ، . الماضي المقبل عام العام "
             "ال ـ َ ً ّ \u200f ٢٠١٩ و ب ل لل \n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET.split(" ")) | st.text(max_size=3), max_size=30),
       st.sampled_from([None, PUB, "2015-07-21 10:00:00"]))
def test_offset_rule_on_arbitrary_text(words, published):
    text = " ".join(words)
    assert_offsets(text, published)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_offset_rule_on_any_unicode(text):
    times = find_times(text, PUB)
    for t in times:
        assert text[t.start:t.end] == t.text
        assert 0 <= t.start < t.end <= len(text)


def test_gold_offsets_hold(shared):
    """The evaluation gold's offsets still point at its expressions in the shared data."""
    from rasd.eval.times import GOLD, load_gold

    shared("data/news/saudinewsnet-2015.jsonl")
    shared("data/news/saudinewsnet-conflict.jsonl")
    gold = load_gold(shared("."))
    n = sum(len(d["items"]) for d in gold)
    assert n >= 80
    assert len(json.loads(GOLD.read_text(encoding="utf-8"))["docs"]) == len(gold)
