"""Open data: downloads of what the portal shows and of every dataset, with a datapackage.

* :mod:`.schema`: columns, datasets and the table a download renders;
* :mod:`.datasets`: the datasets (programs, their figures, objectives, states,
  institutions, population groups, good practices, panorama figures, coverage), with
  Spanish column names and a label column beside each code;
* :mod:`.renderers`: CSV (UTF-8 with a byte-order mark), CSV para Excel (Windows-1252),
  JSON and XLSX, registered as ``("dataset", <format>)`` in ``lib/renderers``;
* :mod:`.package`: the Frictionless ``datapackage.json`` descriptor;
* :mod:`.sources`: sources and terms of use.

The views (``/buscar/programas.<formato>``, ``/datos/``, ``/datos/<conjunto>.<formato>``
and ``/datos/datapackage.json``) are in ``portal/views_opendata.py``; releases in
``publications/releases.py``.
"""
