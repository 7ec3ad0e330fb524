"""The weekly plan: at most N people, core circles first, each with one post and one command.

Who is in it (schedule.py has the cadence rules):

- only people who are due, and whom no gate stops (do-not-contact, snoozed,
  no usable channel, held back after a one-way message without a reply);
- the core (circle 1-2) come first, then circle 3, then loose ties (4-5);
  within a tier, the longer overdue (as a share of their cadence) first;
- the core are in the plan even when no post fits them: a personal note beats
  a link, and their micro-touch is the point. Everyone else is in it only with
  a post that clears the bar: a loose tie gets in touch for a reason.

Each entry has the one post that fits best and why, the draft, and the one
command that logs it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import chinese
from .drafts import DraftRequest, assign_variants, draft_language, history_label, space_out
from .model import Contact, Suggestion
from .names import salutation
from .rank import Ranker
from .schedule import Standing

CORE = (1, 2)
NOTES: dict[str, tuple[str, ...]] = {
    "en": ("Hi {greeting}, it has been a while. I was thinking of {history} today and "
           "wanted to say hello. No need to reply.",
           "Hi {greeting}, just saying hello; it has been too long. Hope all is well.",
           "Hey {greeting}, you came to mind today. Hope things are good on your side."),
    "zh": ("{greeting}，好久没联系了，今天想起{history}，来打个招呼。不用回复。",
           "{greeting}，好久不见，来打个招呼，祝一切顺利。",
           "{greeting}，今天突然想到你，祝最近一切都好。"),
    "ja": ("{greeting}、ご無沙汰しています。今日ふと{history}のことを思い出し、ご挨拶まで。",
           "{greeting}、ご無沙汰しています。お元気でお過ごしのことと思います。",
           "{greeting}、ふと思い出してご連絡しました。それでは、また。"),
}


@dataclass(frozen=True)
class PlanEntry:
    contact: Contact
    standing: Standing
    why_now: str
    suggestion: Suggestion | None
    """The one post for them, or None: then ``note`` is a personal note without a link."""
    note: str
    """The draft of a personal note (when there is no post)."""
    command: str
    """The one command that logs it."""
    note_lang: str = ""
    """The language the note is written in ('en', 'zh', 'zh-hant', 'ja')."""

    @property
    def channel(self) -> str:
        return self.suggestion.channel if self.suggestion else (
            self.contact.channel.type if self.contact.channel else "")


def tier(contact: Contact) -> int:
    return 0 if contact.circle in CORE else 1 if contact.circle == 3 else 2


def candidates(ranker: Ranker) -> list[tuple[Contact, Standing]]:
    """Everyone due and not stopped by a gate, in the plan's order."""
    found = []
    for contact in ranker.book.contacts.values():
        if ranker.person_gate(contact):
            continue
        standing = ranker.schedule.standing(contact)
        if standing.overdue is not None:
            found.append((contact, standing))
    found.sort(key=lambda cs: (tier(cs[0]), -cs[1].urgency, cs[0].circle, cs[0].id))
    return found


def weekly_plan(ranker: Ranker, size: int) -> list[PlanEntry]:
    """At most ``size`` people to get in touch with this week."""
    entries: list[PlanEntry] = []
    for contact, standing in candidates(ranker):
        if len(entries) >= size:
            break
        best = ranker.best_post(contact)
        if best is None and tier(contact) != 0:
            continue
        why = standing.reason(ranker.today)
        channel = contact.channel.type if contact.channel else ""
        if best is not None:
            suggestion = ranker.suggest(contact, *best)
            command = log_command(suggestion)
            entries.append(PlanEntry(contact, standing, why, suggestion, "", command))
        else:
            command = f"kith log touch {contact.id} --channel {channel}"
            entries.append(PlanEntry(contact, standing, why, None, "", command))
    return _with_notes(ranker, entries)


def _with_notes(ranker: Ranker, entries: list[PlanEntry]) -> list[PlanEntry]:
    """Personal notes for the entries without a post, varied between people who know
    each other."""
    people = [e.contact.id for e in entries if e.suggestion is None]
    start = {cid: sum(map(ord, cid)) % 3 for cid in people}
    variants = assign_variants(people, start, ranker.knows)
    result = []
    for entry in entries:
        if entry.suggestion is not None:
            result.append(entry)
            continue
        contact = entry.contact
        # The first of their languages a note can be written in: Kai reads [de, en] and gets
        # an English note, marked as English.
        language = draft_language(contact.languages or (ranker.site.config.language,))
        result.append(PlanEntry(contact, entry.standing, entry.why_now, None,
                                personal_note(contact, language, variants[contact.id]),
                                entry.command, language))
    return result


def personal_note(contact: Contact, language: str, variant: int) -> str:
    """A short hello without a link, quoting a shared-history label only in its language."""
    lang = language if language in ("en", "zh", "zh-hant", "ja") else "en"
    base = "zh" if lang == "zh-hant" else lang
    request = DraftRequest(language=lang, greeting=salutation(contact, lang), title="",
                           link="", history=tuple(
                               pair for h in contact.history[:1]
                               for pair in (h.labels or (("", h.label),))))
    label = history_label(request, lang)
    texts = NOTES[base]
    index = variant % len(texts)
    if not label and index == 0:
        index = 1
    text = texts[index].format(greeting=request.greeting, history=label)
    if lang == "zh-hant":
        text = request.greeting + chinese.traditional(text[len(request.greeting):])
    return space_out(text)


def log_command(s: Suggestion) -> str:
    return f"kith log share {s.contact} --post {s.key} --channel {s.channel}"


