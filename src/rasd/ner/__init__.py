"""Named-entity recognition: a CRF over clitic-aware features, shipped in ``model/``.

``NerTagger.load()`` (tagger.py) is the pipeline stage; ``rasd train ner`` (rasd/train/ner.py)
rebuilds the model; ``rasd eval ner`` scores it. See docs/ner.md.
"""
