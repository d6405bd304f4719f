"""The `releasebot` command (main, and cli, its click group) and the reports its rules tools print (reports)."""

from cli.main import cli, main

__all__ = ["cli", "main"]
