"""Rate limits: the site's one counter (:mod:`.counters`).

The lowest layer after ``lib``: it imports no other app, and ``api`` (its request rates)
builds on it.
"""
