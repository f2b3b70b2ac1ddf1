"""Open data: downloads of what the portal shows and of every dataset, with a datapackage.

* :mod:`.schema`: columns, datasets and the table a download renders;
* :mod:`.datasets`: the datasets (programs, objectives, states, institutions,
  population groups, good practices, panorama figures, coverage);
* :mod:`.renderers`: CSV, JSON and XLSX, by format;
* :mod:`.package`: the Frictionless ``datapackage.json`` descriptor;
* :mod:`.sources`: sources and terms of use;
* :mod:`.views`: ``/buscar/programas.<formato>``, ``/datos/``, ``/datos/<conjunto>.<formato>``
  and ``/datos/datapackage.json``.
"""
