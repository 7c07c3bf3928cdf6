"""The tokens stage: reads ``doc.text``; writes ``doc.tokens`` (a token table with each
word's clitic segments, rasd.text.tokenize)."""

from __future__ import annotations

from rasd.document import Document
from rasd.stages.resources import Resources, Stage
from rasd.text.tokenize import Tokenizer


class TokenStage:
    def __init__(self) -> None:
        self.tokenizer = Tokenizer()

    def __call__(self, doc: Document) -> None:
        doc.tokens = self.tokenizer(doc.text)


def build(res: Resources) -> list[Stage]:
    return [TokenStage()]
