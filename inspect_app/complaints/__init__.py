"""Hotline complaints (12345 / 12369 / 12319): entry, matching to a site, the task, the reply."""
