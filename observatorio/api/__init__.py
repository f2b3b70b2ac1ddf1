"""The REST API (``/api/v1/``): public reads of published data, token-authenticated writes.

The API adds no rule of its own. Which programs a client sees and what it may do
with them is decided by :mod:`observatorio.programs.permissions` (the same
policy the web pages ask); how programs are filtered is
:class:`observatorio.published.filters.ProgramFilter` (the same definition the
portal uses); a report's content is validated by
:class:`observatorio.programs.forms.ReportForm` (the same form the web uses).
"""
