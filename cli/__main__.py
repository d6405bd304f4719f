"""`python -m cli`: the `releasebot` command, where the console script is not on PATH."""

import sys

from cli.main import main

sys.exit(main())
