from rasd.claims.attribution import ClaimStage
from rasd.claims.cues import lexicon
from rasd.document import Document, Mention
from rasd.pipeline import Pipeline
from rasd.text.normalize import norm


def run(text, mentions=()):
    """The claims stage on the given mentions, after the stages it reads before them."""
    doc = Pipeline(ner="none", until="times")(Document(text=text))
    doc.mentions = list(mentions)
    ClaimStage()(doc)
    doc.check_offsets()
    return doc


def mention(text, word, type_, entity, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Mention(f"m{start}", start, start + len(word), word, type_, entity)


def test_lexicon_stances_and_kinds():
    lex = lexicon()
    assert lex.words[norm("نفت")].stance == "deny"
    assert lex.words[norm("يزعم")].stance == "doubt"
    assert lex.words[norm("ادعاءات")].kind == "noun"
    assert lex.words[norm("أكدت")].stance == "assert"
    assert norm("مضيف") not in lex.words  # a bare participle is usually a noun (host)


def test_vso_claim_with_channel_and_continuation():
    text = ("قال السفير الألماني في تغريدة له، إن برلين ترفض الحل العسكري.\n"
            "وأضاف أنه التقى حفتر في بنغازي.")
    doc = run(text)
    c1, c2 = doc.claims
    assert c1.cue.text == "قال" and c1.source_text == "السفير الألماني"
    assert c1.channel == "tweet" and c1.content.text.startswith("إن برلين")
    assert c2.cue.text == "وأضاف" and c2.source_text == "السفير الألماني"
    assert c2.content.text == "أنه التقى حفتر في بنغازي."


def test_stances_and_anonymous_sources():
    text = "ونفت الحكومة أن تكون قواتها قصفت المدينة. وزعم مصدر عسكري أن الهجوم فشل."
    doc = run(text)
    assert [c.stance for c in doc.claims] == ["deny", "doubt"]
    assert doc.claims[1].anonymous and not doc.claims[0].anonymous


def test_definite_back_reference_takes_the_earlier_source_entity():
    text = ("ووصف موقع الدفاع الإيطالي الوضع بالفوضى.\n"
            "وذكر الموقع أن القوات تراجعت.")
    m = mention(text, "موقع الدفاع الإيطالي", "ORG", "e1")
    doc = run(text, [m])
    assert doc.claims[0].source == "e1"
    assert doc.claims[1].source_text == "الموقع" and doc.claims[1].source == "e1"


def test_attribution_phrase_and_via_chain():
    text = "وبحسب وكالة رويترز، فإن الوزير قال إن المفاوضات فشلت."
    doc = run(text)
    by_cue = {c.cue.text: c for c in doc.claims}
    outer = by_cue["وبحسب"]
    assert outer.source_text.startswith("وكالة رويترز")
    inner = by_cue["قال"]
    assert inner.via == outer.id and inner.source_text == "الوزير"


def test_preposition_complement_and_facebook():
    text = "وأعربت السفارة في حسابها الرسمي بفيسبوك، عن تطلعها لتبادل الآراء."
    (c,) = run(text).claims
    assert c.channel == "facebook" and c.content.text.startswith("عن تطلعها")


def test_quote_spanning_sentences():
    text = "وقال الوزير: «لن نتراجع. سنواصل القتال حتى النهاية» ثم غادر."
    (c,) = run(text).claims
    assert c.content.text.startswith("«لن نتراجع.") and "النهاية»" in c.content.text


def test_name_that_looks_like_a_complementizer_stays_in_the_source():
    # بان (كي مون) normalizes like بأن; inside a name it must not end the source phrase.
    text = "وقال الأمين العام للأمم المتحدة بان كي مون إن الحل سياسي."
    doc = run(text, [mention(text, "الأمين العام للأمم المتحدة", "ORG", "e1"),
                     mention(text, "بان كي مون", "PER", "e2")])
    [c] = doc.claims
    assert c.source_text == "الأمين العام للأمم المتحدة بان كي مون"
    assert c.source == "e2"  # the person speaks, not the organization
    assert c.content.text.startswith("إن الحل")


def test_by_saying_and_addressee_are_not_sources():
    text = ("وقال وزير الإعلام مايكل مكواي إن بلاده لا تشتري السلاح.\n"
            "واستدرك بالقول إن من حقها أن تشتري السلاح.\n"
            "وقال للموقع إن الصفقة لم تتم.")
    doc = run(text, [mention(text, "مايكل مكواي", "PER", "e1")])
    c1, c2, c3 = doc.claims
    assert c1.source == "e1"
    assert c2.cue.text == "واستدرك" and c2.source == "e1" and c2.content.text.startswith("إن من")
    assert c3.source == "e1" and c3.source_text != "للموقع"


def test_mention_cover_equals_a_scan_of_every_mention() -> None:
    """The bisection over the mentions' reach answers as the scan it replaced, also for
    nested and overlapping mentions and for offsets before, between and after them."""
    import random

    from rasd.claims.attribution import _Mentions

    rng = random.Random(3)
    for _ in range(300):
        spans = []
        for _ in range(rng.randrange(0, 8)):
            a = rng.randrange(0, 60)
            spans.append((a, a + rng.randrange(1, 15)))
        ms = [Mention(f"m{i}", a, b, "x" * (b - a), "PER") for i, (a, b) in enumerate(spans)]
        cover = _Mentions(sorted(ms, key=lambda m: m.start))
        for pos in range(-2, 80):
            assert cover.covers(pos) == any(m.start <= pos < m.end for m in ms), (spans, pos)


def test_subject_after_a_pronoun_preposition():
    """وطالب بها المواطنون / دعا إليها المئات: the noun phrase after بها is the source, even
    after a named subject of the sentence before the verb."""
    text = "أقرت الحكومة العراقية الإصلاحات وطالب بها المواطنون في المحافظات."
    m = mention(text, "الحكومة العراقية", "ORG", "e1")
    (c,) = run(text, [m]).claims
    assert c.cue.text == "وطالب" and c.source_text == "المواطنون" and c.source is None
    text = "قال الوزير إن الاتفاق قريب. وقال له السفير إن بلاده تدعمه."
    doc = run(text)
    assert [c.source_text for c in doc.claims] == ["الوزير", "السفير"]


def test_saying_participle_after_the_verb_is_no_source():
    text = "قال المتحدث إن القوات تقدمت. وأضاف قائلا إن الهجوم فاجأ المتمردين."
    doc = run(text)
    assert [c.source_text for c in doc.claims] == ["المتحدث", "المتحدث"]
    assert doc.claims[1].content.text.startswith("إن الهجوم")


def test_unnamed_subject_before_the_verb():
    text = "وصل البشير إلى جوهانسبرغ رغم أن مصدرا دبلوماسيا كبيرا أكد أن سفره يمثل تهديدا له."
    m = mention(text, "البشير", "PER", "e1")
    (c,) = run(text, [m]).claims
    assert c.source_text == "مصدرا دبلوماسيا كبيرا" and c.anonymous and c.source is None


def test_as_and_an_addressee_are_not_the_speaker():
    text = "قالت الوزيرة إن المواقف مختلفة. وقالت كما نقلت عنها الوكالة «مواقفنا مختلفة»."
    doc = run(text)
    assert [c.source_text for c in doc.claims][:2] == ["الوزيرة", "الوزيرة"]
    text = "قالت الناشطة إن الشبان وصلوا. وقالت لرويترز إن الحدود مغلقة."
    m = mention(text, "رويترز", "ORG", "e2")
    doc = run(text, [m])
    assert [c.source_text for c in doc.claims] == ["الناشطة", "الناشطة"]


def test_a_relative_clause_verb_is_a_claim_only_with_a_complementizer():
    doc = run("وقال الشمري إن العيد الذي يعد مظهرا من مظاهر الفرح يطل علينا.")
    assert [c.cue.text for c in doc.claims] == ["وقال"]
    doc = run("نقلت الجثة إلى الطبيب الشرعي الذي أكد في تقريره أن الوفاة خنقا.")
    (c,) = doc.claims
    assert c.cue.text == "أكد" and c.source_text == "الطبيب الشرعي"


def test_a_verb_that_does_not_agree_with_the_relative_has_its_own_subject():
    """حكومة الوفاق التي يزعم أن …: masculine يزعم after التي — Haftar claims, not the GNA."""
    text = "ومع استمرار ادعاءات حفتر بأنه يقاتل حكومة الوفاق التي يزعم أن تأوي إرهابيين."
    m1, m2 = mention(text, "حفتر", "PER", "e1"), mention(text, "حكومة الوفاق", "ORG", "e2")
    doc = run(text, [m1, m2])
    (c,) = [c for c in doc.claims if c.cue.text == "يزعم"]
    assert c.stance == "doubt" and c.source != "e2"


def test_a_subjectless_verb_continues_the_speaker_it_agrees_with() -> None:
    """وأضافت (feminine) after a man's claim continues the ministry before him; the
    masculine وأضاف continues him (train cue+source 0.702 -> 0.708)."""
    from rasd.claims.attribution import _agreeing_speaker, _Speaker, _verb_gender

    assert [_verb_gender(w) for w in ("وأضافت", "وأضاف", "تقول", "يقول", "مضيفة", "مضيفا",
                                      "وأضافوا")] == ["f", "m", "f", "m", "f", "m", None]
    ministry = _Speaker("وزارة الخارجية", norm("وزارة"), "e1", "c1")
    minister = _Speaker("الوزير محمد سيالة", norm("الوزير"), "e3", "c2")
    assert _agreeing_speaker([ministry, minister], "وأضافت") is ministry
    assert _agreeing_speaker([ministry, minister], "وأضاف") is minister
    assert _agreeing_speaker([minister], "وأضافت") is minister  # none agrees: the last
    text = ("قالت وزارة الخارجية الليبية إن الهجوم على طرابلس فشل. وقال الوزير محمد سيالة "
            "إن الحوار مستمر. وأضافت أن القوات صدت الهجوم.")
    doc = Pipeline(ner="fast", until="claims")(Document(text=text))
    third = next(c for c in doc.claims if c.cue.text == "وأضافت")
    assert third.source_text == "وزارة الخارجية الليبية"


def test_a_name_between_commas_after_a_title_is_the_speaker() -> None:
    """وأكد وزير الخارجية الإيطالي، باولو جينتيلوني، عدم …: the speaker is the person, and
    what was said starts after the second comma (train cue+source 0.708 -> 0.714)."""
    text = ("وأكد وزير الخارجية الإيطالي، باولو جينتيلوني، عدم فهم الحكومة الإيطالية "
            "لأسباب اختطاف رعاياها الأربعة في ليبيا.")
    doc = Document(text=text)
    Pipeline(ner="fast", until="claims")(doc)
    c = next(c for c in doc.claims if c.cue.text == "وأكد")
    assert c.source_text == "وزير الخارجية الإيطالي، باولو جينتيلوني"
    assert c.content is not None and c.content.text.startswith("عدم فهم")


def test_the_subject_after_the_one_spoken_to_is_the_speaker() -> None:
    """قال لرويترز وزير الخارجية … إن: verb, addressee, subject; with no subject after the
    addressee (وقالت لرويترز إن) the speaker is still the one before."""
    p = Pipeline(ner="fast", until="claims")
    for text, cue, speaker in (
            ("وقال لرويترز وزير الخارجية الليبي محمد سيالة إن الحوار مستمر.", "وقال",
             "وزير الخارجية الليبي محمد سيالة"),
            ("وقال للصحفيين المتحدث باسم الجيش أحمد المسماري إن القوات تتقدم.", "وقال",
             "المتحدث باسم الجيش أحمد المسماري"),
            ("قال محمد سيالة إن الحوار مستمر. وقالت لرويترز إن الحوار مستمر.", "وقالت",
             "محمد سيالة")):
        doc = p(Document(text=text))
        c = next(c for c in doc.claims if c.cue.text == cue)
        assert c.source_text == speaker, (text, c.source_text)


def test_a_relay_quotes_the_speaker() -> None:
    """نقلت X عن Y أن …: Y speaks (X relays); نقل without أن is no claim (to carry)."""
    p = Pipeline(ner="fast", until="claims")
    doc = p(Document(text="ونقلت الإذاعة الإسرائيلية عن مصدر أمني كبير أن الهجوم فشل."))
    [c] = doc.claims
    assert c.source_text == "مصدر أمني كبير" and c.anonymous
    doc = p(Document(text="ونقلت رويترز عن مسؤول أمريكي قوله إن الهجوم فشل."))
    assert doc.claims[0].source_text == "مسؤول أمريكي"  # قوله is the saying
    assert p(Document(text="ونقلت الطائرات المساعدات إلى عدن.")).claims == []
