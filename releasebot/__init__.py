"""releasebot: which release shipped this Bitrix24 task, read from the task's chat."""

__version__ = "0.1.0"
