"""HTML: the 10 real Arabic pages in ../shared/data/html — text, title, outlet, date — and bad HTML.

Expectations come from the pages' gold (manifest.json, expected/) where it exists; the
boilerplate snippets were read off the pages themselves (navigation, related-article lists,
comment forms, footers) and must not reach the text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasd.document import Document
from rasd.ingest import InputError, iter_documents, read_bytes

# page → (title, outlet, snippets that must be in the text, snippets that must not)
PAGES = {
    "assabah.com.tn_164913_sudan-interview": (
        "الناشط الحقوقي السوداني خالد عبد الكريم ماسا لـ«الصباح»: كل الشروط متوفرة لثورة "
        "سودانية ولا حاجة لنستورد شيئا", "Assabah News",
        ["حوار: آسيا العتروس", "*كيف يمكن تقييم حصيلة ثلاثة عقود في ظل حكم البشير؟"],
        ["المـــؤســـس", "تابعونا على"]),
    "cnnarabic_2013-08-03_syria-clashes": (
        "معارضون يسيطرون على مخازن للصواريخ بريف دمشق", "CNNArabic",
        ["دمشق، سوريا (CNN) --"],
        ["ترحب شبكة CNN بالنقاش", "الآراء الواردة أدناه", "Cable News Network"]),
    "htmldate_1550981615_arabic.sputniknews.com": (
        "مصر تسجل 30 إصابة جديدة وحالتي وفاة بفيروس كورونا", "Sputnik_Ar",
        ["أعلنت وزارة الصحة والسكان المصرية، اليوم الثلاثاء، تسجيل 30 حالة جديدة",
         "وصنفت منظمة الصحة العالمية يوم 11 مارس"],
        ["تابعنا عبر", "moderator.arabic@sputniknews.com", "انسخ الرابط"]),
    "htmldate_1588107198_almadenahnews.com": (
        "أميركا :50 الفا حصيلة الوفيات بسبب فيروس كورونا", "المدينة نيوز",
        ["بلغت حصيلة الوفيات الناجمة عن فيروس كورونا المستجدّ", "--(بترا)"],
        ["شارك هذا الخبر", "مواضيع ساخنة", "اختيارات القراء", "Toggle navigation"]),
    "htmldate_1623715966_albayan.ae": (
        "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات", "البيان",
        ["ثمّن أحمد ساير داودزي", "وحث جميع الأفغان المقيمين"],
        ["استطلاع الرأي", "مواقيت الصلاة", "تابعوا أخبار الإمارات من البيان"]),
    "htmldate_1691196862_youm7.com": (
        "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة",
        "اليوم السابع",
        ["شهد الدكتور محمد عبد العاطي وزير الموارد المائية", "وأثني الدكتور عبدالعاطي"],
        ["الموضوعات المتعلقة", "اضف تعليقاً", "بروتوكول نشر التعليقات", "اليوم السابع\n"]),
    "htmldate_1731695567_akhbarelyom.com": (
        "36 عامًا.. سر رحيل نعيمة عاكف في سن مبكر", "بوابة اخبار اليوم",
        ["يصادف اليوم ذكرى ميلاد الفنانة نعيمة عاكف", "بعد رحلة مع مرض سرطان الأمعاء"],
        ["الحقوق محفوظة", "أخر الأخبار", "رئيس مجلس الإدارة"]),
    "htmldate_1764731404_beirutobserver.com": (
        "سرقة منزل أميرة سعودية في باريس يضم أغراضاً فاخرة بقيمة 700 ألف دولار",
        "Beirut Observer",
        ["نشر موقع Middle East Eye البريطاني", "حيث تقع شقة الأميرة السعودية"],
        ["شريط الأحداث", "Previous:", "Ziad Sankary"]),
    "htmldate_1784190729_alyaum.com": (
        "طهران تدفن «زادة».. وتتهم المعارضة الإيرانية باغتياله", "alyaum",
        ["وسط تهديدات إيرانية بالانتقام", "\nانتكاسة جديدة\n", "\nروايات وهمية\n",
         "\nاتهام إسرائيل\n", "وشدد كوهين على أن إسرائيل"],
        ["مواضيع ذات علاقة", "المزيد من المقالات", "DAMMAM"]),
    "htmldate_1806793639_elbaladtv.net": (
        "تركى آل الشيخ بعد إصابة يسرا بكورونا: يارب يرفع عنك", "قناة صدى البلد",
        ["انتشر خبر خلال الساعات الأخيرة", "إلا أن يسرا لم تثبت أو تنفي الأمر",
         "يذكر أن أخر أعمال الفنانة يسرا"],
        ["إقرأ أيضاً", "مصر تكسر حاجز ألف إصابة", "powered by", "الإشراف العام"]),
}


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def html_dir(shared) -> Path:
    return shared("data/html")


@pytest.fixture
def manifest(html_dir) -> dict[str, dict]:
    entries = json.loads((html_dir / "manifest.json").read_text(encoding="utf-8"))
    return {Path(e["file"]).stem: e for e in entries}


def read_page(html_dir: Path, stem: str) -> Document:
    [doc] = iter_documents([str(html_dir / "pages" / f"{stem}.html")])
    assert isinstance(doc, Document), doc
    return doc


def test_the_table_covers_every_page(manifest):
    assert sorted(manifest) == sorted(PAGES)


@pytest.mark.parametrize("stem", sorted(PAGES))
def test_real_page(stem, html_dir, manifest):
    title, outlet, present, absent = PAGES[stem]
    entry = manifest[stem]
    doc = read_page(html_dir, stem)
    assert doc.title == title
    assert squash(title) in squash(entry["title"])  # the <title> minus the outlet's name
    assert doc.outlet == outlet
    assert doc.source == str(html_dir / entry["file"])
    assert doc.text.startswith(title + "\n\n")
    assert doc.text.count("\n") >= 3  # paragraphs stay on their own lines
    for snippet in present:
        assert snippet in doc.text
    for snippet in absent:
        assert snippet not in doc.text
    gold = entry["gold"].get("publication_date") or entry["gold"].get("publication_date_from_url")
    if gold:
        assert doc.published is not None and doc.published[:10] == gold


def test_local_date_wins_over_utc(html_dir):
    # og:article:published_time says 2020-12-24T23:59:50+00:00; JSON-LD says 01:59:50+02:00.
    doc = read_page(html_dir, "htmldate_1806793639_elbaladtv.net")
    assert doc.published == "2020-12-25T01:59:50+02:00"


def test_no_date_from_a_copyright_line(html_dir):
    # The CNN page's only year in markup is "© 2013 Cable News Network"; the date comes from
    # its URL (/2013/middle_east/8/3/), never as 2013-01-01.
    doc = read_page(html_dir, "cnnarabic_2013-08-03_syria-clashes")
    assert doc.published == "2013-08-03"


def test_cnn_text_is_the_expected_text(html_dir):
    expected = (html_dir / "expected" / "cnnarabic_2013-08-03_syria-clashes.newspaper.txt")
    paragraphs = [p for p in expected.read_text(encoding="utf-8").split("\n") if p.strip()]
    meta = json.loads((html_dir / "expected" /
                       "cnnarabic_2013-08-03_syria-clashes.newspaper4k.json").read_text())
    doc = read_page(html_dir, "cnnarabic_2013-08-03_syria-clashes")
    assert doc.title == meta["title"]
    assert [p for p in doc.text.split("\n") if p.strip()] == [meta["title"], *paragraphs]


def test_assabah_trafilatura_gold(html_dir):
    [entry] = json.loads((html_dir / "expected" /
                          "assabah.com.tn_164913_sudan-interview.trafilatura-evaldata.json")
                         .read_text(encoding="utf-8")).values()
    doc = read_page(html_dir, "assabah.com.tn_164913_sudan-interview")
    assert squash(doc.title) == squash(entry["title"])
    for snippet in entry["with"]:
        assert snippet in doc.text
    for snippet in entry["without"]:
        assert snippet not in doc.text


def test_windows_1256_page_reads_like_the_utf8_one(html_dir):
    stem = "htmldate_1784190729_alyaum.com"
    page = (html_dir / "pages" / f"{stem}.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="windows-1256"').replace(
        "charset=utf-8", "charset=windows-1256")
    [doc] = read_bytes(page.encode("cp1256", errors="xmlcharrefreplace"), f"{stem}.html")
    utf8 = read_page(html_dir, stem)
    assert (doc.title, doc.text, doc.published) == (utf8.title, utf8.text, utf8.published)


@pytest.mark.parametrize("html, reason", [
    (b"<html></html>", "no article text found in HTML"),
    (b"<<<<<<>>>>>>", "no article text found in HTML"),
    (b"</p></div></body><html><head><p>", "no article text found in HTML"),
    (b"<html><body><div><p><<<>>></p></div></body></html>", "no letters in the text"),
    (b"<html><body><article><p>Only English in this page, a few words.</p></article></body>"
     b"</html>", "not Arabic text"),
])
def test_html_without_arabic_article_text_is_an_input_error(html, reason):
    with pytest.raises(InputError) as info:
        read_bytes(html, "page.html")
    assert info.value.input == "page.html"
    assert info.value.reason.startswith(reason)


def test_truncated_page_does_not_crash(html_dir):
    raw = (html_dir / "pages" / "htmldate_1764731404_beirutobserver.com.html").read_bytes()
    for cut in (200, 5000, len(raw) // 2, len(raw) - 7):
        try:
            read_bytes(raw[:cut], "cut.html")
        except InputError as err:
            assert str(err).startswith("cut.html: ")


def test_text_nested_past_the_tree_depth_limit_is_read():
    """Issue #21.9: text inside 10,000 nested divs (past libxml2's depth limit, so trafilatura
    sees no tree) is read by the streaming fallback; scripts and navigation stay out."""
    prose = "قال فائز السراج إن قوات حكومة الوفاق صدت هجوما على طرابلس. " * 3
    html = ("<html><head><title>عنوان الخبر</title><script>var x = 'لا';</script></head><body>"
            "<nav>الرئيسية أخبار رياضة</nav>" + "<div>" * 10_000 + f"<p>{prose}</p>"
            + "</div>" * 10_000 + "</body></html>").encode("utf-8")
    [doc] = read_bytes(html, "deep.html")
    assert doc.title == "عنوان الخبر"
    assert prose.strip() in doc.text
    assert "var x" not in doc.text and "الرئيسية" not in doc.text
    # and a deep page without Arabic prose is still "no article text"
    empty = ("<html><body>" + "<div>" * 10_000 + "menu" + "</div>" * 10_000
             + "</body></html>").encode()
    with pytest.raises(InputError, match="no article text"):
        read_bytes(empty, "empty.html")
