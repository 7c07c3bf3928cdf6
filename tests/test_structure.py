from rasd.text.sentences import split_sentences
from rasd.text.structure import paragraphs, sections


def sents(text):
    return [text[s.start:s.end] for s in split_sentences(text)]


def test_sentences_arabic_punctuation_numbers_abbreviations():
    t = "وقال د. أحمد إن النمو بلغ 3.5 بالمئة، وإنه مستمر؛ فهل يستمر؟ نعم! انتهى"
    assert sents(t) == ["وقال د. أحمد إن النمو بلغ 3.5 بالمئة، وإنه مستمر؛ فهل يستمر؟", "نعم!",
                        "انتهى"]


def test_sentences_quotes_and_headline_dots():
    assert sents("من الرجمة.. ألمانيا ترفض الحل") == ["من الرجمة.. ألمانيا ترفض الحل"]
    assert sents("قال: «هذا جيد. وذاك أيضا» ثم غادر. وبعد") == [
        "قال: «هذا جيد. وذاك أيضا» ثم غادر.", "وبعد"]
    assert sents("انتهى الاجتماع.» وغادر") == ["انتهى الاجتماع.»", "وغادر"]


def test_line_break_ends_sentence():
    assert sents("سطر أول\nسطر ثان.") == ["سطر أول", "سطر ثان."]


def test_headline_and_subheadings():
    text = ("عنوان الخبر الرئيسي\n\nفقرة أولى طويلة بما يكفي لتكون نصا.\n\nعنوان فرعي\n\n"
            "فقرة ثانية في القسم الثاني.\nفقرة ثالثة.\n")
    ps = paragraphs(text)
    assert [text[p.start:p.end] for p in ps][0] == "عنوان الخبر الرئيسي"
    secs = sections(text, ps)
    assert [s.heading.text for s in secs] == ["عنوان الخبر الرئيسي", "عنوان فرعي"]
    assert text[secs[1].start:secs[1].end].endswith("فقرة ثالثة.")


def test_no_headline_when_first_line_is_a_sentence():
    text = "هذه فقرة كاملة تنتهي بنقطة.\nوهذه أخرى."
    secs = sections(text, paragraphs(text))
    assert len(secs) == 1 and secs[0].heading is None
