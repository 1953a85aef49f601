"""Development: everything works with nothing set."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", True)
