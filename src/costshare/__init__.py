"""costshare: split a shared cost among municipalities by population, exactly, per budget year."""

__version__ = "0.1.0"
