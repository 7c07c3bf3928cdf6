"""The tagger's array-built CRF scores must equal the weights of the feature strings it was
trained on: each token's features (features.FeatureExtractor.sentence) and, for the second
pass, features.consistency of the first pass's labels."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from rasd.ner.crf import CrfModel
from rasd.ner.emissions import Emissions
from rasd.ner.features import consistency
from rasd.ner.labels import to_bio
from rasd.ner.tagger import NerTagger
from rasd.text.tokenize import tokenize

MODEL = Path(__file__).resolve().parents[1] / "src" / "rasd" / "ner" / "model" / "ner.npz"
needs_model = pytest.mark.skipif(not MODEL.exists(), reason="NER model not built")

TEXT = [
    "قال المشير خليفة حفتر إن قواته دخلت طرابلس فجر اليوم .",
    "وأكد رئيس المجلس الرئاسي فائز السراج أن حكومة الوفاق الوطني ستدافع عن العاصمة .",
    "وزار وزير الخارجية الأمريكي الولايات المتحدة الأمريكية | والأمم المتحدة في نيويورك",
    "حفتر",
    "وقال حفتر للصحفيين في بنغازي إن الجيش الوطني الليبي سيواصل عملياته ضد المجموعات المسلحة",
    "|| | a|b IBM CNN 2019",
    "",
    "واستقبل غسان سلامة في تونس وفدا من مجلس النواب في طبرق برئاسة عقيلة صالح .",
]


def _by_strings(model: CrfModel, feats: list[list[list[str]]]) -> list[np.ndarray]:
    return [np.array([model.vector(f) for f in sent]).reshape(len(sent), len(model.labels))
            for sent in feats]


def _scores(tagger: NerTagger) -> tuple[list[list[str]], np.ndarray, np.ndarray]:
    """TEXT's sentences as words, and the tagger's array-built scores and sentence starts."""
    sents = [[t.text for t in tokenize(s)] for s in TEXT]
    return (sents, *tagger.emissions([tagger.fx.sentence_infos(s) for s in sents]))


@needs_model
def test_scores_equal_the_sum_of_feature_string_weights():
    tagger = NerTagger.load()
    fx = tagger.fx
    sents, E, starts = _scores(tagger)
    assert starts.tolist() == np.cumsum([0] + [len(s) for s in sents]).tolist()

    feats = [fx.sentence(s) for s in sents]
    first = [tagger.first.labels[k] for k in
             tagger.first.decode(np.concatenate(_by_strings(tagger.first, feats)), starts)]
    first_bio = [to_bio(first[a:b]) for a, b in zip(starts[:-1], starts[1:], strict=True)]
    stems = [[inf.stem for inf in fx.sentence_infos(s)] for s in sents]
    extra = consistency(stems, first_bio)
    second = [[f + e for f, e in zip(fs, es, strict=True)]
              for fs, es in zip(feats, extra, strict=True)]
    want = np.concatenate(_by_strings(tagger.model, second))
    assert E.shape == want.shape
    np.testing.assert_allclose(E, want, rtol=0, atol=1e-5)  # float32 per-form sums
    # the text exercises what the arrays shortcut: bigrams, gazetteer spans, window counts
    assert any(f.startswith("gm=") for s in feats for t in s for f in t)
    assert any(f.startswith("dc=") for s in extra for t in s for f in t)
    known = {a for a in tagger.model.index if a.startswith(("s-1|s=", "s|s+1="))}
    assert any(f in known for s in feats for t in s for f in t)


@needs_model
def test_starting_over_gives_the_same_scores():
    tagger = NerTagger.load()
    fx = tagger.fx
    _, before, _ = _scores(tagger)
    gen = fx.generation
    assert fx.trim(0)  # as when the form cache is full
    tagger.emissions.start()
    assert fx.generation == gen + 1 and not tagger.emissions.filled.any()
    _, after, _ = _scores(tagger)
    np.testing.assert_array_equal(before, after)


@needs_model
def test_table_grows_past_its_first_size():
    tagger = NerTagger.load()
    em = Emissions(tagger.fx, tagger.model, tagger.first)
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    words = [a + b + c for a in letters for b in letters for c in letters][:3000]
    E, _ = em([tagger.fx.sentence_infos(words[i:i + 100]) for i in range(0, 3000, 100)])
    assert em.filled.sum() >= 2000 and np.isfinite(E).all()


@needs_model
def test_threads_sharing_the_tagger_get_the_labels_of_one_thread():
    from concurrent.futures import ThreadPoolExecutor

    tagger = NerTagger(MODEL)  # a fresh one: empty caches, so the threads add forms together
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    batches = [[[a + b + c for b in letters[k:k + 9] for c in "ايو"] + TEXT[0].split()]
               for a in letters for k in (0, 9)]
    alone = NerTagger(MODEL)
    want = [alone.tag_tokens(b) for b in batches]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so unguarded shared state would show
    try:
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(tagger.tag_tokens, batches))
    finally:
        sys.setswitchinterval(interval)
    assert got == want


@needs_model
def test_feature_ids_are_the_ids_of_the_feature_strings_in_their_order():
    """The tagger sums a new form's weights from ids found by value (FeatureIds); they must be
    the ids of exactly the strings the CRF was trained on, in order (the sums are then the
    same to the bit). Words with clitics, the article, nisba endings, Latin, digits, a
    gazetteer hit, an empty stem's edge cases; and a stem met again with other clitics."""
    from rasd.ner.emissions import FeatureIds
    from rasd.ner.features import feature_strings

    tagger = NerTagger.load()
    fx = tagger.fx
    feature: dict[str, int] = {}
    for m in (tagger.first, tagger.model):
        for a in m.index:
            feature.setdefault(a, len(feature))
    ids = FeatureIds(feature)
    words = [t.text for s in TEXT for t in tokenize(s)] + [
        "وبالحكومة", "والحكومة", "للحكومة", "الليبيين", "وليبيا", "Reuters", "REUTERS", "İstanbul",
        "a=b", "g=x", "2019م", "١٢٣", "ـ", "«", "ووو", "كتب", "فستكتبونها"]
    for word in words:
        inf = fx.info(fx.token_for_word(word))
        own, near, far = feature_strings(inf)
        want = [[feature.get(f, len(feature)) for f in group]
                for group in (own, near[0], near[1], far[0], far[1])]
        assert [list(g) for g in ids(inf)] == want, word
    assert any(f.startswith("g=") for w in words
               for f in feature_strings(fx.info(fx.token_for_word(w)))[0])


def test_gazetteer_word_hits_are_the_lists_holding_the_key_in_list_order():
    """word_hits reads one inverted index; it must name the lists that hold the key (then,
    for a definite key, those holding it without the article), in the lists' order."""
    from rasd.ner.gazetteer import Gazetteer

    gaz = Gazetteer.load()

    def reference(key: str) -> list[str]:
        out = [name for name, s in gaz.single.items() if key in s]
        if key.startswith("ال") and len(key) > 4:
            out += [name for name, s in gaz.single.items() if key[2:] in s and name not in out]
        return out

    words = sorted({w for s in gaz.single.values() for w in s})[::5]
    keys = words + ["ال" + w for w in words] + ["", "ال", "الا", "zz"]
    assert any(len(reference(k)) > 1 for k in keys)
    for key in keys:
        assert gaz.word_hits(key) == reference(key), key
    gaz.add("extra", ["قرية نائية", "نائيه"])  # adding a list refreshes the index
    assert gaz.word_hits("نائيه") == ["extra"]
