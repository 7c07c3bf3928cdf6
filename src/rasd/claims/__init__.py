"""Attributed claims: reporting cues, sources, channels and sourcing chains (rules)."""
