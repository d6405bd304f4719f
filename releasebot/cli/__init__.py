"""The `releasebot` command (main) and the reports its rules tools print (reports)."""

from releasebot.cli.main import main

__all__ = ["main"]
