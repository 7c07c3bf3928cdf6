"""Entity linking: the knowledge base of places, countries and actors, and its lookups."""

from rasd.link.kb import KBEntry, KnowledgeBase

__all__ = ["KBEntry", "KnowledgeBase"]
