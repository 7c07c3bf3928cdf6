"""Small learned decisions on the encoder's vectors (claims, events): features and models.

Run time is numpy only (``mlp.Mlp`` reads an ``.npz``); training lives in ``rasd.train``.
"""
