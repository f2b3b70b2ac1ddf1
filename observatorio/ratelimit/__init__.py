"""Rate limits: the site's one counter (:mod:`.counters`) and who the client is (:mod:`.clients`).

The lowest layer after ``lib``: it imports no other app, and both ``accounts`` (the log-in
throttle) and ``api`` (its request rates) build on it.
"""
