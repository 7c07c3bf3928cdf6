from hypothesis import given, settings
from hypothesis import strategies as st

from rasd.text.tokenize import TOKEN_RE, Analysis, Tokenizer, tokenize


def segs(word):
    (tok,) = tokenize(word)
    return [(g.text, g.kind) for g in tok.segments]


def test_token_kinds_and_offsets():
    text = "قال 3.5% من U.S. في ٢٠١٩، «حفتر»!"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["قال", "3.5%", "من", "U", ".", "S", ".", "في", "٢٠١٩",
                                      "،", "«", "حفتر", "»", "!"]
    for t in toks:
        assert text[t.start:t.end] == t.text


def test_clitics_split():
    assert segs("بحفتر") == [("ب", "prep"), ("حفتر", "stem")]
    assert segs("وطرابلس") == [("و", "conj"), ("طرابلس", "stem")]
    assert segs("لقائهم") == [("لقائ", "stem"), ("هم", "pron")]
    assert segs("وبالرجمة") == [("و", "conj"), ("ب", "prep"), ("ال", "det"), ("رجمة", "stem")]
    assert segs("للاتحاد") == [("ل", "prep"), ("ل", "det"), ("اتحاد", "stem")]
    assert segs("سيكون") == [("س", "fut"), ("يكون", "stem")]


def test_words_that_begin_with_clitic_letters_stay_whole():
    for w in ("وزير", "بريطانيا", "وليد", "ألمانيا", "برلين", "كان", "التقى", "بوك", "سوريا"):
        assert segs(w) == [(w, "stem")], w


def test_segments_keep_diacritics_and_tatweel_with_their_letters():
    for word in ("بِحَفْتَر", "وـطرابلس", "وَالحُكُومَة"):
        (tok,) = tokenize(word)
        assert "".join(g.text for g in tok.segments) == word
        assert tok.segments[0].start == tok.start and tok.segments[-1].end == tok.end
        for a, b in zip(tok.segments, tok.segments[1:], strict=False):
            assert a.end == b.start


def test_norm_view():
    (tok,) = tokenize("بِالأُمَّةِ")
    assert tok.norm == "بالامه"


@settings(max_examples=200)
@given(st.text())
def test_offset_rule_for_arbitrary_unicode(text):
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text
        assert t.segments
        for g in t.segments:
            assert text[g.start:g.end] == g.text
        assert t.segments[0].start == t.start and t.segments[-1].end == t.end


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from(list("وبلكفسالتهمنيةىأإـَُّ \u200f\u200c"))))
def test_offset_rule_for_arabic_like_input(text):
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text
        pos = t.start
        for g in t.segments:
            assert g.start == pos and text[g.start:g.end] == g.text
            pos = g.end
        assert pos == t.end


def test_name_kept_whole_only_in_its_context():
    # بان is usually ب+ان (بأن), but not in بان كي مون (resources/segmenter/keep_before.tsv).
    table = tokenize("قال بان كي مون بان الحل سياسي")
    kinds = [[g.kind for g in t.segments] for t in table]
    assert [t.text for t in table][:4] == ["قال", "بان", "كي", "مون"]
    assert kinds[1] == ["stem"]
    assert len(kinds[4]) > 1  # the second بان (= بأن) is still split


def test_analysis_stem_is_the_tokens_stem_text():
    """Stages that skip building Token objects read a form's stem off its shared analysis;
    it must be what ``Token.stem`` gives for every token of that form."""
    text = ("وبالرجمة قال المتحدث باسم حكومة الوفاق لـ«الشرق» إن وللحكومة ولقواتها ١٢ "
            "Trump، والرئيس 2019 ... فسيكتبونها")
    table = tokenize(text)
    assert len(table) > 15
    for i, tok in enumerate(table):
        assert table.analyses[i].stem == tok.stem.text, tok.text


def test_invisible_marks_inside_words_do_not_split_them(shared):
    """Issue #21.9: one RLM inside every word dropped the sample's events from 25 to 0-10."""
    from rasd.ingest import document_from_text
    from rasd.pipeline import Pipeline

    text = shared("samples/libya-2019-rajma.txt").read_text(encoding="utf-8")
    marked = " ".join(w[:1] + "\u200f" + w[1:] if len(w) > 2 else w for w in text.split(" "))
    p = Pipeline(ner="fast")
    a, b = p(document_from_text(text)), p(document_from_text(marked))
    b.check_offsets()
    assert (len(b.events), len(b.claims), len(b.entities)) == \
        (len(a.events), len(a.claims), len(a.entities))
    assert {e.kb_id for e in b.entities} == {e.kb_id for e in a.entities}
    # A mark between a word and a space or punctuation stays outside the word.
    toks = tokenize("قال\u200f حفتر\u202c.")
    assert [t.text for t in toks][:2] == ["قال", "حفتر"]


def test_an_analysis_carries_its_stem_and_view_fields():
    """The lexeme carries what follows from its form and cut, computed once: equality, hashing
    and pickling see only form, norm, pieces and arabic."""
    import pickle

    from rasd.text.views import form_fields

    tok = Tokenizer()
    a = tok("وبالحكومة").analyses[0]
    assert len(a.pieces) > 1 and a.stem == tok("وبالحكومة")[0].stem.text
    assert a.view_fields == form_fields(a.form, a.norm,
                                        [(a.form[x:y], k) for x, y, k in a.pieces])
    assert tok("وبالحكومة").analyses[0] is a  # one shared object per form
    b = pickle.loads(pickle.dumps(a))
    assert b == a and hash(b) == hash(a) and b.view_fields == a.view_fields
    assert Analysis(a.form, a.norm, a.pieces, a.arabic) == a


def test_a_form_alone_says_whether_it_is_arabic():
    tok = Tokenizer()
    for text in ("قال", "Trump", "2019", "«", "\u0640قال"):
        for m in TOKEN_RE.finditer(text):
            assert tok.analyse(m.group(), m.lastgroup == "ar") == tok._lexeme(m.group())
