"""mali-reader: a terminal reader for Sahel conflict reporting."""

__version__ = "0.1.0"
