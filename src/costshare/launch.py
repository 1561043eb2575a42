"""The costshare command's entry point: begin the run, choose the language of typer's own words, then run the CLI.

The run (costshare.run.Run) is made here, once, from the command line and the environment, and handed to
the app, which passes it to every command. typer makes its words ("Options", "Commands", "Error",
"[default: …]") with gettext when it is imported, so the language has to be chosen before: the "messages"
domain is bound to costshare's catalog of those words and gettext's LANGUAGE is set to the run's language.
The app's own help is built in that language too (costshare.cli.build_app). Library users who `import
costshare` are not affected; only the command does this.
"""

from __future__ import annotations

import gettext
import os
import sys


def main() -> None:
    from .run import Run
    from .words import LOCALE

    run = Run.start(sys.argv[1:], os.environ)
    os.environ["LANGUAGE"] = run.lang
    gettext.bindtextdomain("messages", str(LOCALE))
    from .cli import build_app, run_app

    run_app(build_app(run.lang), run)
