"""Importers that turn another generator's source tree into a Kith site.

``kith import jekyll SRC`` lives in :mod:`generator.importer.jekyll`; the Jekyll
rules it mirrors (which files are read, which URL each gets) are in
:mod:`generator.importer.jekyll_site`, Liquid conversion in
:mod:`generator.importer.liquid`.
"""
