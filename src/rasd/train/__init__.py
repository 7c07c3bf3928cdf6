"""Build-time code: every command that trains a model or builds a lexicon rasd ships.

Run through ``rasd train WHAT`` (rasd/cli/train.py). Nothing under rasd/ outside train/,
eval/ and cli/ imports from here: analysis reads only the files these modules write. Modules
here may need the ``[train]`` extra (python-crfsuite, torch, onnx) or the ``[kb]`` extra.
"""
