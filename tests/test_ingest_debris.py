"""Scraper debris: removed at the end and in share bars; real sentences with the same words stay."""

from __future__ import annotations

import json

import pytest

from rasd.ingest import InputError, document_from_text, iter_documents
from rasd.ingest.debris import remove_debris

P1 = "أعلنت حكومة الوفاق الوطني اليوم الأحد خطة جديدة لمعالجة أزمة الكهرباء في طرابلس."
P2 = "وقال وزير الطاقة في مؤتمر صحفي إن الخطة ستنفذ على ثلاث مراحل خلال العام المقبل."


def test_sample_article_loses_its_four_debris_lines_and_nothing_else(shared):
    path = shared("samples/libya-2019-rajma.txt")
    raw = path.read_text(encoding="utf-8")
    lines = raw.rstrip("\n").split("\n")
    assert lines[-4:] == ["Total", "0", "Shares", "مقالات ذات صلة"]
    [doc] = iter_documents([str(path)])
    assert doc.text == "\n".join(lines[:-4]).rstrip()
    kept = doc.text.split("\n")
    for debris in ("Total", "0", "Shares", "مقالات ذات صلة"):
        assert debris not in kept


@pytest.mark.parametrize("name", ["snn-2015-07-23-aawsat-2", "snn-2015-08-04-3alyoum-7",
                                  "snn-2015-08-11-3alyoum-9"])
def test_gold_articles_lose_their_tag_lists(shared, name):
    gold = json.loads(shared(f"data/gold/{name}.json").read_text(encoding="utf-8"))
    raw = shared(f"data/gold/{name}.txt").read_text(encoding="utf-8")
    [doc] = iter_documents([str(shared(f"data/gold/{name}.txt"))])
    assert doc.title == gold["title"]
    for boilerplate in gold.get("boilerplate_absent", []):
        assert boilerplate not in doc.text
        tail = raw.rstrip()[: raw.rstrip().rindex(boilerplate)].rstrip()
        assert doc.text == tail.rstrip("\n")  # only the glued tag list went
    if not gold.get("boilerplate_absent"):
        assert doc.text == raw.rstrip()


@pytest.mark.parametrize("tail", [
    "Total\n0\nShares",
    "0\nShares\nTotal",
    "شارك\nفيسبوك\nتويتر\nواتساب\nطباعة",
    "Share on FacebookShare on Twitter",
    "مقالات ذات صلة\nوزير الداخلية يبحث الوضع الأمني في الجنوب\nبعثة الأمم المتحدة تدعو إلى هدنة",
    "اقرأ أيضاً:\nالبرلمان يناقش الميزانية\n12 تعليق",
    "أخبار ذات صلة\n\nحفتر يعلن هدنة... ثم يخرقها\nديسمبر 25, 2020",
    "سمات ليبيا طرابلس الكهرباء",
    "الوسوم: ليبيا، طرابلس، الكهرباء",
    "جميع الحقوق محفوظة © 2020",
    "نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا. موافق",
    "الآراء الواردة أدناه لا تعبر عن رأي الموقع، بل تعكس وجهات نظر أصحابها فقط.",
    "تابعوا أخبارنا عبر تيليجرام",
])
def test_trailing_debris_goes(tail):
    assert remove_debris(f"{P1}\n\n{P2}\n\n{tail}") == f"{P1}\n\n{P2}"


def test_tag_list_glued_to_the_last_sentence_goes():
    assert remove_debris(f"{P1}\n{P2} سمات ليبيا طرابلس علي عبدالله صالح ") == f"{P1}\n{P2}"


@pytest.mark.parametrize("line", [
    "شارك",
    "شارك فيسبوك تويتر",
    "طباعة",
    "اقرأ أيضا: البرلمان يناقش الميزانية الجديدة",
    "إقرأ أيضاً",
    "مواضيع ذات صلة",
])
def test_mid_text_debris_lines_go(line):
    assert remove_debris(f"{P1}\n\n{line}\n\n{P2}") == f"{P1}\n\n{P2}"


def test_share_bar_above_the_article_goes():
    assert remove_debris(f"فيسبوك\nتويتر\n\n{P1}\n{P2}") == f"{P1}\n{P2}"


@pytest.mark.parametrize("text", [
    # Sentences that use the debris words stay, wherever they are.
    f"{P1}\nشارك آلاف المتظاهرين في المسيرة التي جابت شوارع طرابلس.\n{P2}",
    f"{P1}\nوقال إن فيسبوك وتويتر حذفا مئات الحسابات المزيفة.\n{P2}",
    f"{P1}\n{P2}\nاقرأ أيضا ما كتبه المحلل السياسي عن الأزمة في عدد الأمس.",
    f"{P1}\n{P2}\nسمات المرحلة المقبلة تتطلب الحذر والحكمة في إدارة الأزمة.",
    f"{P1}\n{P2} سمات القيادة الناجحة، كما يقول الخبراء، هي الصبر",
    f"{P1}\nتويتر\n{P2}",  # a lone platform name mid-text may be a sub-heading
    f"{P1}\n2019\n{P2}",  # a number mid-text is not a share counter
    f"{P1}\nأخبار ذات صلة\n{P2}\n{P1} {P2} {P1}",
    f"{P1}\n{P2}\nوأكد الوزير أن الشركة تستخدم ملفات تعريف الارتباط في موقعها منذ سنوات.",
])
def test_real_sentences_stay(text):
    kept = remove_debris(text)
    if "أخبار ذات صلة" in text:  # the lone heading goes, its paragraph stays
        assert kept == text.replace("أخبار ذات صلة\n", "")
    else:
        assert kept == text


def test_related_heading_before_a_paragraph_at_the_end_keeps_the_paragraph():
    long_paragraph = f"{P1} {P2} {P1}"
    text = f"{P1}\n\nمقالات ذات صلة\n\n{long_paragraph}"
    assert remove_debris(text) == f"{P1}\n\n{long_paragraph}"


def test_only_debris_is_an_input_error():
    with pytest.raises(InputError, match="only share buttons"):
        document_from_text("Total\n0\nShares\nمقالات ذات صلة", source="x")
