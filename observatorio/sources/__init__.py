"""Provenance: the documents records come from, the log of imports, safe reading of a source.

Below the domain apps (``programs``, ``practices`` keep a ``SourceDocument`` on every
imported record) and above ``catalog``; it imports neither the domain apps nor the
importers, which write them.
"""
