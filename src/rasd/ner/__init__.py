"""Named-entity recognition: a CRF over clitic-aware features, shipped in ``model/``.

``NerTagger.load()`` (tagger.py) is the pipeline stage; ``python -m rasd.ner.train`` rebuilds
the model; ``python -m rasd.eval.ner`` scores it. See docs/ner.md.
"""
