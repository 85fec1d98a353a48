#!/usr/bin/env python3
"""Build, check or serve the event microsite. See README.md, or run with --help."""

import sys

from eventsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
