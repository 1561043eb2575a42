"""costshare's version, in one place (read by the build, the CLI and every document's `generated_by`)."""

__version__ = "0.1.0"
