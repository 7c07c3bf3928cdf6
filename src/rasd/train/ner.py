"""Train the shipped NER model: a linear-chain CRF (python-crfsuite) over rasd.ner.features.

    rasd train ner [--data ../shared/data] [--out DIR] [--reuse-clusters] [--tune]

Steps: (1) word clusters from the unlabeled news + training text (:mod:`rasd.train.clusters`),
unless
``--reuse-clusters``; (2) features for ANERcorp's CAMeL-Lab *train* split (plus the 8 AQMAR
dev articles when ``TRAIN_ON_AQMAR_DEV``); (3) L-BFGS CRF training with the hyperparameters in
:data:`PARAMS`, chosen by :func:`tune` (3-fold CV on train), never on test; (4) scores
on ANERcorp test (as released, and with first tokens restored) and on the AQMAR test articles;
(5) ``model/ner.npz`` and ``model/ner1.npz`` (the two CRFs' weights, exported from CRFsuite's
model files for the tagger, see :mod:`rasd.train.crf`), ``model/scores.json``,
``model/PROVENANCE.md``.
NewsFANE is never used: it re-annotates ANERcorp's text, test included.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from rasd.ner import clusters as clusters_mod
from rasd.ner.data import Sentence, anercorp, aqmar
from rasd.ner.features import FeatureExtractor, add_consistency, stems
from rasd.ner.gazetteer import Gazetteer
from rasd.ner.labels import to_bilou, to_bio
from rasd.ner.tagger import DEFAULT_MODEL, FIRST_PASS_FILE
from rasd.train import clusters as build_clusters
from rasd.train.crf import export

MODEL_DIR = DEFAULT_MODEL.parent
MODEL_FILE = DEFAULT_MODEL.name
TRAIN_ON_AQMAR_DEV = False
# L-BFGS (not the averaged perceptron, which scores the same, 72.24 vs 72.36 CV F1, in a sixth of
# the time) because its marginals are probabilities: mention confidence comes from them.
# 3-fold CV on train, pooled F1 (BILOU labels, 150 iterations), c1/c2: 0.05/0.01 → 72.13,
# 0.1/0.1 → 72.36, 0.2/0.1 → 72.09, 0.1/0.5 → 72.55 (docs/ner.md). Rerun with `--tune`.
ALGORITHM = "lbfgs"
# First pass of two (see features.add_consistency): the fast averaged perceptron, whose labels
# only feed the second pass; 15 iterations was the best of 8/15/30/60 in 3-fold CV on train.
FIRST_PASS = {"max_iterations": 15, "feature.possible_transitions": True}
JACKKNIFE = 5
PARAMS: dict[str, float | int | bool] = {
    "c1": 0.1,
    "c2": 0.5,
    "max_iterations": 150,
    "feature.possible_transitions": True,
}


def training_sentences(data: Path) -> list[Sentence]:
    """The training corpus: ANERcorp train (+ AQMAR dev when enabled)."""
    sents = anercorp(data, "train")
    if TRAIN_ON_AQMAR_DEV:
        sents = sents + aqmar(data, "dev")
    return sents


def featurize(fx: FeatureExtractor, sents: Sequence[Sentence]) -> list[list[list[str]]]:
    return [fx.sentence(words) for words, _ in sents]


def fit(X: list, Y: list, model: Path, params: dict | None = None, log=print,
        algorithm: str | None = None) -> float:
    """Train a CRF on feature lists ``X`` and tag lists ``Y``; returns seconds taken."""
    t0 = time.time()
    trainer = pycrfsuite.Trainer(verbose=False)
    for x, y in zip(X, Y, strict=True):
        trainer.append(x, to_bilou(y))
    trainer.select(algorithm or ALGORITHM)
    trainer.set_params(dict(params or PARAMS))
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))
    secs = time.time() - t0
    log(f"crf: trained on {len(X):,} sentences in {secs:.0f}s → {model}")
    return secs


def predict(model: Path, X: list) -> list[list[str]]:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [to_bio(tagger.tag(x)) for x in X]


def cross_validate(data: Path, params: dict, folds: int = 3, log=print) -> dict:
    """Pooled entity F1 of ``folds``-fold CV over ANERcorp train (single pass, contiguous)."""
    from rasd.eval.chunks import score

    sents = anercorp(data, "train")
    fx = FeatureExtractor.from_model_dir(MODEL_DIR)
    X = featurize(fx, sents)
    Y = [t for _, t in sents]
    n = len(sents)
    gold: list = []
    pred: list = []
    model = Path(tempfile.mkdtemp(prefix="rasd-ner-cv-")) / "cv.crfsuite"
    for k in range(folds):
        a, b = n * k // folds, n * (k + 1) // folds
        fit(X[:a] + X[b:], Y[:a] + Y[b:], model, params, log=lambda *_: None)
        gold += Y[a:b]
        pred += predict(model, X[a:b])
    s = score(gold, pred)
    out = {**params, "f1": s["overall"]["f1"], "p": s["overall"]["p"], "r": s["overall"]["r"]}
    log(json.dumps(out))
    return out


def tune(data: Path, grid: Sequence[dict] | None = None, log=print) -> list[dict]:
    """3-fold CV on ANERcorp train for each setting in ``grid`` (never the test set)."""
    grid = grid or [{"c1": c1, "c2": c2} for c1, c2 in ((0.05, 0.01), (0.1, 0.1), (0.2, 0.1),
                                                        (0.1, 0.5))]
    return [cross_validate(data, {**PARAMS, **g}, log=log) for g in grid]


def train(data: Path, out: Path | None = None, reuse_clusters: bool = False,
          log=print) -> dict:
    """Build clusters, train the CRF on the train split, score it, write model + provenance.

    ``out`` is the model directory (default: the package's ``model/``). Returns the scores.
    """
    from rasd.eval.ner import evaluate

    t0 = time.time()
    out = out or MODEL_DIR
    out.mkdir(parents=True, exist_ok=True)
    cl_path = out / "clusters.tsv"
    cl_stats: dict = {}
    if not (reuse_clusters and cl_path.exists()):
        cl_stats = build_clusters.build(data, cl_path, log=log)
    fx = FeatureExtractor(Gazetteer.load(), clusters_mod.load(cl_path))
    sents = training_sentences(data)
    X = featurize(fx, sents)
    Y = [t for _, t in sents]
    log(f"features: {len(sents):,} sentences, {sum(map(len, Y)):,} tokens "
        f"({time.time() - t0:.0f}s)")
    write_common_words(fx, sents, out / "common_words.txt")
    work = Path(tempfile.mkdtemp(prefix="rasd-ner-"))
    X = second_pass_features(fx, sents, X, Y, work / "ner1.crfsuite", log=log)
    secs = fit(X, Y, work / "ner.crfsuite", PARAMS, log=log)
    export(work / "ner1.crfsuite", out / FIRST_PASS_FILE)
    n_feats = export(work / "ner.crfsuite", out / MODEL_FILE)["state_features"]
    shutil.rmtree(work, ignore_errors=True)  # the CRFsuite files: only their export ships
    model = out / MODEL_FILE
    scores = {
        "trained_on": {"anercorp_train_sentences": len(anercorp(data, "train")),
                       "aqmar_dev": TRAIN_ON_AQMAR_DEV, "tokens": sum(map(len, Y))},
        "params": PARAMS,
        "state_features": n_feats,
        "train_seconds": round(secs),
        "clusters": cl_stats or "reused",
    }
    from rasd.ner.tagger import NerTagger

    tg = NerTagger(model, fx)
    for corpus in ("anercorp", "aqmar"):
        scores[corpus] = evaluate(corpus, data, tagger=tg)
    scores["total_seconds"] = round(time.time() - t0)
    (out / "scores.json").write_text(json.dumps(scores, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    write_provenance(out, scores)
    log(f"done in {time.time() - t0:.0f}s")
    return scores


def second_pass_features(fx: FeatureExtractor, sents: Sequence[Sentence], X: list, Y: list,
                         first_model: Path, log=print) -> list:
    """Train the first pass on all of ``X`` and return ``X`` with consistency features.

    The first-pass labels the second pass learns from are jackknifed (each fold tagged by a
    model that did not see it), so they are as noisy as at run time.
    """
    n = len(X)
    first: list[list[str]] = [[] for _ in range(n)]
    tmp = Path(tempfile.mkdtemp(prefix="rasd-ner-jk-")) / "fold.crfsuite"
    t0 = time.time()
    for k in range(JACKKNIFE):
        a, b = n * k // JACKKNIFE, n * (k + 1) // JACKKNIFE
        fit(X[:a] + X[b:], Y[:a] + Y[b:], tmp, FIRST_PASS, log=lambda *_: None,
            algorithm="ap")
        first[a:b] = predict(tmp, X[a:b])
    fit(X, Y, first_model, FIRST_PASS, log=lambda *_: None, algorithm="ap")
    log(f"first pass: {JACKKNIFE}-fold jackknife + full model in {time.time() - t0:.0f}s")
    return add_consistency(X, [stems(fx, w) for w, _ in sents], first)


def write_common_words(fx: FeatureExtractor, sents: Sequence[Sentence], path: Path,
                       min_count: int = 3, max_entity_share: float = 0.1) -> int:
    """Stems seen ≥ ``min_count`` times in training, < 10% of them inside an entity.

    The tagger's name propagation skips these, so a surname that is also a common word
    (صالح in لصالح) is not spread through a document.
    """
    from collections import Counter

    total: Counter[str] = Counter()
    ent: Counter[str] = Counter()
    for words, tags in sents:
        for w, t in zip(words, tags, strict=True):
            k = fx.info(fx.token_for_word(w)).stem
            total[k] += 1
            ent[k] += t != "O"
    keep = sorted(k for k, n in total.items()
                  if n >= min_count and ent[k] < max_entity_share * n and k and k.isalpha())
    path.write_text("# stems usually not inside a name in the NER training data\n"
                    + "\n".join(keep) + "\n", encoding="utf-8")
    return len(keep)


def _size(p: Path) -> str:
    if not p.exists():
        return "absent"
    n = p.stat().st_size
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def write_provenance(out: Path, scores: dict) -> None:
    """``PROVENANCE.md`` beside the model: data, licences, split, command, scores."""
    a = scores["anercorp"]
    q = scores["aqmar"]
    cl = scores["clusters"]
    dim = cl.get("dim", 200) if isinstance(cl, dict) else 200
    timing = (f"about {scores['total_seconds']} s on 2 cores; the second-pass CRF itself "
              f"{scores['train_seconds']} s")
    if not isinstance(cl, dict):
        timing += "; this run reused clusters.tsv (`--reuse-clusters`), which takes ~2 min more"

    def row(name: str, s: dict) -> str:
        o = s["overall"]
        per = " / ".join(f"{t} {s['types'][t]['f1']:.1f}" for t in ("PER", "LOC", "ORG", "MISC")
                         if t in s["types"])
        return f"| {name} | {o['p']:.2f} | {o['r']:.2f} | **{o['f1']:.2f}** | {per} |"

    text = f"""# NER model — provenance

Files: `ner.npz` (the CRF, {_size(out / MODEL_FILE)}), `ner1.npz` (its first pass,
{_size(out / FIRST_PASS_FILE)}): the weights of the CRFsuite models trained here, exported
with `rasd.train.crf.export` and read by rasd's tagger (`rasd/ner/crf.py`, `emissions.py`);
`clusters.tsv` (word clusters,
{_size(out / 'clusters.tsv')}), `common_words.txt` (stems the name propagation skips,
{_size(out / 'common_words.txt')}), `scores.json`; gazetteers in
`src/rasd/resources/gazetteer/` (see its README.md). Rebuilt from scratch by

    rasd train ner --data ../shared/data

({timing}).

## Trained on
- **ANERcorp, CAMeL Lab train split** (`ANERCorp_CamelLab_train.txt`, all
  {scores['trained_on']['anercorp_train_sentences']:,} sentences, \
{scores['trained_on']['tokens']:,} tokens) — Benajiba, Rosso & Benedí Ruiz (2007); split by
  Obeid et al. (2020). Licence **CC BY-SA 4.0**.
- AQMAR dev articles: {"yes (8 articles, CC BY-SA 3.0)" if scores['trained_on']['aqmar_dev']
                        else "no (tried; see docs/ner.md)"}.
- **Not** NewsFANE (it re-annotates ANERcorp text, test sentences included), and nothing from
  either test set. No test data was used for any choice: features and the label scheme were
  compared on the last 15% of the train split or by 3-fold CV on train, and c1/c2 by 3-fold
  CV on train (`rasd train ner --tune`).
- Tags: ANERcorp PERS→PER, LOC, ORG, MISC in IOB2 (MISC is learned and scored but dropped from
  rasd output; LOC becomes GPE/LOC/FAC by its head word, see docs/ner.md).

## Word clusters (`clusters.tsv`)
PPMI co-occurrence (±2 words, left/right apart) + randomized SVD ({dim} dims) + spherical
k-means at 64, 128, 256, 512, 1024 and 2048 clusters, over the normalized stems seen ≥ 3 times.
Text: `shared/data/news/*.jsonl` (SaudiNewsNet, Mazen Abdulaziz Alhagri, **CC BY-NC-SA 4.0**,
research use), ANERcorp train and the AQMAR dev articles (never test text). Because the
clusters are derived from CC BY-NC-SA 4.0 text, **the shipped clusters, and so this model,
fall under CC BY-NC-SA 4.0 terms** (non-commercial, share-alike, with attribution to
SaudiNewsNet, ANERcorp and AQMAR); the code stays Apache-2.0. `common_words.txt` is derived
from ANERcorp train (CC BY-SA 4.0).

## CRF
python-crfsuite (CRFsuite), first-order linear chains, BILOU labels, two passes. First pass
(`ner1.npz`): averaged perceptron, `{json.dumps(FIRST_PASS)}`. Second pass
(`ner.npz`): `{ALGORITHM}`, `{json.dumps(scores['params'])}`, {scores['state_features']:,}
state features; its extra features are the first-pass labels of the word and its neighbours
and the labels the first pass gave the same stem within 15 sentences — on the training data
those labels come from a {JACKKNIFE}-fold jackknife, so they are as noisy as at run time.

## Scores (entity-level micro P/R/F1, CoNLL exact span, seqeval semantics)
| test set | P | R | F1 | per type F1 |
|---|---|---|---|---|
{row("ANERcorp test, official file", a["official"])}
{row("ANERcorp test, first tokens restored", a["restored"])}
{row("AQMAR test (20 articles)", q["test"])}

Scored with `rasd eval ner --corpus anercorp|aqmar --data ../shared/data`.
"""
    (out / "PROVENANCE.md").write_text(text, encoding="utf-8")
