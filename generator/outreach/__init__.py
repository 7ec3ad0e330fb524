"""Who might care: private, explainable share lists from contacts/.

Reads the assembled public ``Site`` and the private ``contacts/`` folder, and
writes only to stdout and the private ``outreach/`` folder. The public build
never imports this package; ``generator/cli.py`` does, lazily.

    contacts.py  contacts/ -> Book (validated; errors never quote values)
    log.py       the append-only interaction log
    text.py      terms: stemmed words, CJK bigrams, concepts (vocabulary.py)
    rank.py      gates, relevance, due-ness -> Suggestion
    drafts.py    value-first drafts per language, and the ask-lint
    report.py    JSON, text, Markdown, the review page; write_reports()
    commands.py  kith share | due | log | contacts check
    evaluate.py  nDCG@10, Recall@5, precision and gate violations against qrels
"""
