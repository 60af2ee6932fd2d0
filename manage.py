#!/usr/bin/env python
"""Django's manage.py for those who expect one; `tandem` does the same."""

from tandem.cli import main

if __name__ == "__main__":
    main()
