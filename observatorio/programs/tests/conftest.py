"""The report fixtures (open_cycle, make_report) are shared: see observatorio/conftest.py."""
