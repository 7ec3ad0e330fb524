"""Formulas and Chinese text as Chromium lays them out."""

from __future__ import annotations

from pathlib import Path

from browser import chromium
from linkcheck import serve

from generator.build import build

NOTE = """\
---
title: RMS
---

The RMS voltage, \\\\( V_{RMS} \\\\), is $\\frac{V_{max}}{\\sqrt{2}}$ for a sine:

\\\\[
V_{RMS} = \\sqrt{\\frac{1}{T}\\int_0^T v^2(t)\\,dt}
\\\\]

It costs $38k, or $300 billion after a $40 billion round.
"""
ZH = """\
---
title: 长链接
---

这是一段中文，后面跟着一个很长的链接：https://example.com/a/very/long/path/that/cannot/break/anywhere/at/all/and/goes/on
"""


def test_formulas_are_laid_out_and_chinese_is_not_stretched(make_site, tmp_path: Path) -> None:
    root = make_site({"content/posts/2026-01-01-rms.md": NOTE,
                      "content/posts/2026-01-01-link-zh.md": ZH})
    build(root, output=tmp_path / "out")
    with serve(tmp_path / "out") as origin, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 900})
        page.goto(f"{origin}/posts/rms/")
        boxes = page.evaluate("[...document.querySelectorAll('.prose math')].map(m => {"
                              "const r = m.getBoundingClientRect(); return [r.width, r.height,"
                              " getComputedStyle(m).display]; })")
        assert len(boxes) == 3
        assert all(w > 5 and h > 5 for w, h, _ in boxes), boxes
        assert boxes[2][2] == "block math"  # the display formula is set apart
        text = page.inner_text(".prose")
        assert "\\(" not in text and "V_{" not in text
        assert "$38k, or $300 billion after a $40 billion round." in text
        page.goto(f"{origin}/zh/posts/link/")
        align = page.evaluate("getComputedStyle(document.querySelector('.prose p')).textAlign")
        assert align != "justify"
        page.close()
