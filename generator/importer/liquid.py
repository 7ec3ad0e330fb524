"""Liquid in Jekyll content, turned into text Kith shows the same way.

Jekyll runs Liquid over every post and page before Markdown; Kith runs no
template language on content. So what has a plain equivalent is rewritten
(``highlight`` -> fenced code, ``post_url``/``link`` -> relative links to the
imported .md files, ``site.x``/``page.x`` values -> their text), ``{% raw %}``
is kept (Kith drops the markers and keeps what is inside), and everything else
is left as written and reported with its line.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem

_TOKEN = re.compile(r"\{%-?\s*(\w*)(.*?)-?%\}|\{\{-?(.*?)-?\}\}", re.S)
_STRING = re.compile(r"""^(?:'([^']*)'|"([^"]*)")$""")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_VARIABLE = re.compile(r"^(site|page)((?:\.[\w-]+)+)$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
# Tags with a body that ends in {% endNAME %}.
_BLOCKS = ("raw", "comment", "highlight")
_LOGIC = {"if", "unless", "case", "for", "assign", "capture", "increment", "decrement",
          "cycle", "tablerow", "else", "elsif", "when", "break", "continue", "render",
          "endif", "endunless", "endcase", "endfor", "endcapture", "endtablerow", "echo",
          "liquid"}


@dataclass
class Context:
    """What Liquid in one file may refer to."""

    source: str
    """The file, relative to the Jekyll source, for problems."""
    first_line: int
    """Line of the file where the text starts."""
    site: Mapping[str, Any]
    """_config.yml."""
    page: Mapping[str, Any]
    """Front matter, plus 'url' and 'path' as Jekyll sets them."""
    link: Callable[[str, str], str | None] = lambda tag, arg: None
    """(tag, argument) -> link for ``post_url`` and ``link``, None when not found."""
    problems: list[Problem] = field(default_factory=list)
    converted: Counter[str] = field(default_factory=Counter)
    """Tag or 'output' -> how many were rewritten."""


def convert(text: str, ctx: Context) -> str:
    """``text`` with the Liquid that has a plain equivalent rewritten."""
    out: list[str] = []
    pos = 0
    after_site_url = False
    while (match := _TOKEN.search(text, pos)) is not None:
        between = text[pos:match.start()]
        out.append(between)
        line = ctx.first_line + text.count("\n", 0, match.start())
        pos = match.end()
        if match.group(0).startswith("{{"):
            expr = match.group(3).strip()
            value = _output(expr, ctx, keep_baseurl=after_site_url and not between)
            after_site_url = expr == "site.url"
            if value is None:
                ctx.problems.append(Problem(
                    ctx.source, line,
                    f"stray Liquid {_shown(match.group(0))} outside {{% raw %}}: Jekyll "
                    "printed its value (usually nothing); Kith shows it as written",
                    "wrap it in {% raw %}…{% endraw %} to keep it, or delete it", warning=True))
                out.append(match.group(0))
            else:
                ctx.converted["output"] += 1
                out.append(value)
            continue
        after_site_url = False
        tag, args = match.group(1), match.group(2).strip()
        if tag in _BLOCKS:
            end = re.compile(r"\{%-?\s*end" + tag + r"\s*-?%\}").search(text, pos)
            if end is None:
                ctx.problems.append(Problem(ctx.source, line, f"{{% {tag} %}} has no "
                                            f"{{% end{tag} %}}: left as written",
                                            f"add {{% end{tag} %}} where it should end"))
                out.append(match.group(0))
                continue
            inner = text[pos:end.start()]
            inner_line = ctx.first_line + text.count("\n", 0, pos)
            pos = end.end()
            if tag == "raw":
                out.append(match.group(0) + inner + end.group(0))
            elif tag == "comment":
                ctx.converted[tag] += 1
                out.append("<!--" + inner.replace("--", "- -") + "-->")
            else:
                ctx.converted[tag] += 1
                out.append(_fence(args, inner, inner_line, ctx, "".join(out), text[pos:]))
            continue
        if tag in ("post_url", "link"):
            target = ctx.link(tag, args)
            if target is not None:
                ctx.converted[tag] += 1
                out.append(target)
                continue
            ctx.problems.append(Problem(ctx.source, line,
                                        f"{_shown(match.group(0))}: no such file in the site",
                                        "Jekyll stops on this too; fix the name"))
        else:
            ctx.problems.append(Problem(ctx.source, line,
                                        f"Liquid tag {_shown(match.group(0))} not converted",
                                        _tag_hint(tag), warning=True))
        out.append(match.group(0))
    out.append(text[pos:])
    return "".join(out)


def _fence(args: str, code: str, line: int, ctx: Context, before: str, after: str) -> str:
    # {% highlight lang linenos %}: Jekyll trims the blank lines around the code.
    sub = Context(ctx.source, line, ctx.site, ctx.page, ctx.link, ctx.problems, ctx.converted)
    code = convert(code, sub)
    code = re.sub(r"\A[\r\n]+|[\r\n]+\Z", "", code)
    lang = args.split()[0] if args.split() else ""
    options = [o.split("=", 1)[0] for o in args.split()[1:]]
    if options:
        ctx.problems.append(Problem(
            ctx.source, line, f"{{% highlight %}} options left out ({', '.join(options)}): "
            "Kith's code blocks have no line numbers or marked lines",
            "drop them, or style code blocks in the theme", warning=True))
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    head = "" if not before or before.endswith("\n") else "\n"
    tail = "" if after.startswith("\n") else "\n"
    return f"{head}{fence}{lang}\n{code}\n{fence}{tail}"


def _tag_hint(tag: str) -> str:
    if tag in ("include", "include_relative"):
        return ("paste the included HTML into the text, or move it into a layout "
                "(layouts/*.html, Jinja2)")
    if tag in _LOGIC:
        return "Kith runs no Liquid in content: replace it with the text it produced"
    if tag.startswith("end"):
        return "it closes a tag that was not converted either"
    return f"'{tag}' comes from a plugin: replace it with the HTML it produced"


def _shown(token: str) -> str:
    token = " ".join(token.split())
    return f"'{token}'" if len(token) <= 70 else f"'{token[:67]}…'"


def _output(expr: str, ctx: Context, keep_baseurl: bool) -> str | None:
    """The text of ``{{ expr }}``, or None when it needs more than Kith can know."""
    parts = _split(expr, "|")
    value = _value(parts[0].strip(), ctx, keep_baseurl)
    if value is None:
        return None
    for part in parts[1:]:
        name, _, raw_args = part.partition(":")
        args = [_value(a.strip(), ctx, False) for a in _split(raw_args, ",")] if raw_args else []
        if any(a is None for a in args):
            return None
        value = _filter(name.strip(), value, [str(a) for a in args], ctx)
        if value is None:
            return None
    return value


def _split(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside quotes."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == sep:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def _value(token: str, ctx: Context, keep_baseurl: bool) -> str | None:
    if (m := _STRING.match(token)) is not None:
        return m.group(1) if m.group(1) is not None else m.group(2)
    if _NUMBER.match(token):
        return token
    m = _VARIABLE.match(token)
    if m is None:
        return None
    keys = m.group(2).strip(".").split(".")
    if m.group(1) == "site" and keys == ["baseurl"] and not keep_baseurl:
        # Kith puts the base path in front of every root-relative link itself.
        return ""
    value: Any = ctx.site if m.group(1) == "site" else ctx.page
    for key in keys:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def _filter(name: str, value: str, args: list[str], ctx: Context) -> str | None:
    if name == "relative_url":
        return value if _SCHEME.match(value) else "/" + value.lstrip("/")
    if name == "absolute_url":
        if _SCHEME.match(value):
            return value
        base = str(ctx.site.get("url") or "").rstrip("/")
        baseurl = str(ctx.site.get("baseurl") or "").strip("/")
        return "/".join(p for p in (base, baseurl) if p) + "/" + value.lstrip("/")
    simple: dict[str, Callable[[], str]] = {
        "prepend": lambda: args[0] + value if args else value,
        "append": lambda: value + args[0] if args else value,
        "upcase": value.upper, "downcase": value.lower, "strip": value.strip,
        "capitalize": lambda: value[:1].upper() + value[1:].lower(),
        "escape": lambda: html.escape(value), "xml_escape": lambda: html.escape(value),
        "default": lambda: value or (args[0] if args else ""),
    }
    return simple[name]() if name in simple else None
