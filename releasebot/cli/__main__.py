"""`python -m releasebot.cli`: the `releasebot` command, where the console script is not on PATH."""

import sys

from releasebot.cli.main import main

sys.exit(main())
