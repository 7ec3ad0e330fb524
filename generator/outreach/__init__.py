"""Who might care: private, explainable share lists and a weekly plan from contacts/.

Reads the assembled public ``Site`` and the private ``contacts/`` folder, and
writes only to stdout, ``contacts/`` (the log, imports) and the private
``outreach/`` folder. The public build never imports this package;
``generator/cli.py`` does, lazily. Imports point one way, down this list:

    model.py       the values handed around (reprs never show private fields)
    periods.py     partial dates ('Q2 2024'), cadences
    problems.py    messages that name file, line and key, never a value
    languages.py   language codes and what people meant ('cn' -> 'zh')
    log.py         the append-only interaction log
    fields.py      one contact file -> Contact
    contacts.py    contacts/ -> Book (a broken file costs one person, not everyone)
    chinese.py     jieba words, OpenCC Traditional <-> Simplified
    text.py        terms: English words and senses, Chinese words, concepts (vocabulary.py)
    relevance.py   posts and profiles as terms; true reasons
    names.py       name order per language and script; salutations
    templates.py   draft texts; drafts.py: drafts, channel shapes, the ask-lint
    schedule.py    cadence, due dates, holding back after a share
    rank.py        gates, relevance, due-ness -> Suggestion
    plan.py        the weekly plan
    report.py      JSON, text and Markdown; page.py: the review pages
    folder.py      write_reports(): the private outreach/ folder
    addressbook.py kith contacts import (vCard, LinkedIn, CSV)
    simulate.py    a year of weekly plans, replayed against the rules
    evaluate.py    nDCG@10, Recall@5, precision and gate violations against qrels
    commands.py    kith share | plan | due | log | contacts check | contacts import
"""
