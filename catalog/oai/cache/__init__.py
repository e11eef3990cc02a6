"""Serialised OAI-PMH metadata, kept per item and format: see fragments.py."""
