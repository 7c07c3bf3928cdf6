"""Arabic text below the stages: normalization, diacritic classes, closed word classes,
sentences, structure, clitic-aware tokens and their views."""
