"""Scoring an inspection sheet: pure functions over plain data (see ``rules.py``)."""
