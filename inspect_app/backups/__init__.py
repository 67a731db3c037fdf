"""Backup and restore (``flask backup create DIR`` / ``flask backup restore DIR``): the database and every
stored object, with a manifest that lets a restore prove it got everything back."""
