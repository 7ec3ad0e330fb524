"""Feeds, SEO and publishing tests (issue 3)."""
