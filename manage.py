#!/usr/bin/env python
"""Django's manage.py; the installed ``observatorio`` command does the same."""

from observatorio.__main__ import main

if __name__ == "__main__":
    main()
