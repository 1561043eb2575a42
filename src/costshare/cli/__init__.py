"""The costshare command line: thin typer commands over the use cases and the writers (STYLE: cli → formats → documents → app → io → core).

base.py holds what every command shares (options, errors, the reading of the config); commands.py, billing.py and
population.py the commands; spoken.py builds the app with its help in one language. costshare.launch builds it for
the language the run asks for; `app` here is one built, when asked for, for the language the environment asks for,
for running the commands in-process (`from costshare.cli import app`).
"""

from __future__ import annotations

import typer

from .spoken import build_app
from .streams import run_app

__all__ = ["app", "build_app", "run_app"]


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        import os

        from ..run import startup_lang

        return build_app(startup_lang([], os.environ))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
