"""What the workflow announces (sent by :mod:`observatorio.programs.actions`).

Every signal is sent inside the transaction that made the change, so a receiver that
writes (the public search index) commits or rolls back with it. Receivers take
``program`` and ``by`` (the user who acted) as keyword arguments.
"""

from django.dispatch import Signal

#: Any status change; also ``action`` (``submit``, ``return``, …), ``comment``, ``before``.
transitioned = Signal()
#: A report became public.
program_published = Signal()
#: A report was taken out of publication.
program_withdrawn = Signal()
#: A council member commented on a report in review; also ``comment`` (the CouncilComment).
commented = Signal()
