"""gunicorn's settings for production: ``.venv/bin/gunicorn config.wsgi --config gunicorn.conf.py``.

Flags on the command line override these (``--bind``, ``--workers``…). The values come from
measurements (bench/RESULTS.md, "The slowest legitimate requests"):

- ``workers``: synchronous workers, 3 on 2 cores (the work is CPU-bound Python; a third keeps
  both cores busy while another waits on PostgreSQL); ``WEB_CONCURRENCY`` overrides it.
- ``timeout``: a worker silent for longer is killed, whatever it was doing, and a sync worker
  is silent for the whole of a request, writing a streamed download included. The longest
  legitimate requests (``bench/slowest.py`` at the benchmark's 51,900 programs) are the full
  XLSX downloads, about 20 s on this 2-core machine and up to about 45 s when the machine is
  saturated, then a bulk publication of 500 reports; a 1,000-report spreadsheet upload takes
  2–5 s and any upload is read in well under 2 s (``bench/spreadsheet.py``). 120 s leaves
  those room and still frees a worker stuck on anything else.
- ``graceful_timeout``: on a restart a worker may finish its request for as long.
- Request limits: the longest request line gunicorn takes (8,190 bytes), so that every address
  the API's schema allows gets through and one a little longer gets the API's own JSON 414
  (``api.views.MAX_QUERY_BYTES``, 8,000 bytes of parameters) rather than gunicorn's HTML;
  fewer header fields than its 100 (a browser never sends half as many).
"""

import os

bind = "127.0.0.1:8000"  # behind the TLS proxy on the same host
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = 120
graceful_timeout = 120
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190
