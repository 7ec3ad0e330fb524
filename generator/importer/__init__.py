"""Importers that turn another generator's source tree into a Kith site.

``kith import jekyll SRC`` lives in :mod:`.jekyll`. The Jekyll side: which files
Jekyll reads (:mod:`.jekyll_scope`), at which URL (:mod:`.jekyll_urls`), read as a
whole site (:mod:`.jekyll_site`). The Kith side: the plan of files to write
(:mod:`.planner`), site.yaml (:mod:`.siteyaml`), front matter edits
(:mod:`.frontmatter`), Liquid (:mod:`.liquid`), relative links (:mod:`.links`) and
the theme files reported (:mod:`.theme`).
"""
