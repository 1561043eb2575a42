"""The costshare command's entry point: choose the language of typer's own words, then run the CLI.

typer makes its words ("Options", "Commands", "Error", "[default: …]") with gettext when it is
imported, so the language has to be chosen before: the "messages" domain is bound to costshare's
catalog of those words and gettext's LANGUAGE is set to the language of this run. Library users
who `import costshare` are not affected; only the command does this.
"""

from __future__ import annotations

import gettext
import os
import sys


def main() -> None:
    from .words import LOCALE, startup_lang

    os.environ["LANGUAGE"] = startup_lang(sys.argv[1:], os.environ)
    gettext.bindtextdomain("messages", str(LOCALE))
    from .cli import app

    app()
