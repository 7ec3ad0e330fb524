"""Kith: a static site generator for a content-led network."""

__version__ = "0.1.0"
