"""The root of every error releasebot raises on purpose."""


class ReleasebotError(Exception):
    """Base class: anything releasebot reports to an operator."""


class ConfigError(ReleasebotError):
    """A setting is missing or wrong; the message names it and says what to do."""
