"""Evaluation of rasd components against the shared data."""
