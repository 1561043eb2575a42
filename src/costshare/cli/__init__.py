"""The costshare command line: thin typer commands over the pipeline and the writers (STYLE: cli → outputs → pipeline → io → words → core).

base.py holds the app, the shared options and the error handling; commands.py and population.py the commands.
"""

from . import billing, commands, population
from .base import app

__all__ = ["app", "billing", "commands", "population"]
