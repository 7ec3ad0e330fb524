"""The private review page as the writer sees it: this week first, per-person cards, filters."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.build import load_site
from generator.outreach.folder import write_reports

from .conftest import FIXTURES, TODAY

NETWORK = FIXTURES / "network"


@pytest.fixture(scope="module")
def outreach(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("page") / "site"
    shutil.copytree(NETWORK, root)
    lines, problems = write_reports(load_site(root), root, TODAY)
    assert problems == [] and "5 people in this week's plan" in lines[0]
    return root / "outreach"


def test_this_week_comes_first_then_a_card_per_person(outreach: Path) -> None:
    page = (outreach / "index.html").read_text(encoding="utf-8")
    week, people, posts = (page.index("<h2>This week (5 people)</h2>"),
                           page.index("<h2>People (47, closest first)</h2>"),
                           page.index("<h2>Newest posts</h2>"))
    assert week < people < posts
    assert page.count('<div class="card" data-circle=') == 5 + 47
    # Copy buttons for every draft and every log command of the plan.
    plan = page[week:people]
    assert plan.count('>copy draft</button>') + plan.count('>copy note</button>') == 5
    assert plan.count('>copy log command</button>') == 5
    assert "kith log share jiang-tao --post guangxi-road-trip --channel wechat" in plan
    # The plan's 'when' is said once, in the card's heading, not again among the reasons
    # (found reading the page: every plan card said it twice).
    for card in plan.split('<div class="card"')[1:]:
        heading, rest = card.split("</h3>", 1)
        if "<br>" in heading:  # a card with a post; a personal note says 'when' once anyway
            when = heading.split("<br>")[1]
            assert when not in rest, when
    # People are listed core first: found with a circle-1 friend between two loose ties.
    circles = [int(c) for c in re.findall(r'data-circle="(\d)"', page[people:posts])]
    assert circles == sorted(circles)


def test_every_draft_says_its_language(outreach: Path) -> None:
    langs = set()
    for page in [outreach / "index.html", *outreach.glob("posts/*.html")]:
        text = page.read_text(encoding="utf-8")
        langs |= set(re.findall(r'<pre id="c\d+" lang="([^"]+)">', text))
        assert not re.search(r'<pre id="c\d+">', text), page.name  # no draft without lang
    assert langs == {"en", "zh-Hans", "zh-Hant", "ja"}


def test_a_personal_note_says_the_language_it_is_written_in(tmp_path: Path) -> None:
    """Found on the review page: Kai reads [de, en] and got an English note marked
    lang="de" (the first of his languages, which no note is written in)."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "coincidence", root)
    (root / "contacts/lisper.yaml").write_text(
        "name: Kai\nlanguages: [de, en]\ncircle: 1\nchannels: [{type: email, handle: "
        "kai@example.org}]\n", encoding="utf-8")
    write_reports(load_site(root), root, TODAY)
    page = (root / "outreach/index.html").read_text(encoding="utf-8")
    note = re.search(r'<pre id="c\d+" lang="([^"]+)">Hi Kai', page) or \
        re.search(r'<pre id="c\d+" lang="([^"]+)">Hey Kai', page)
    assert note is not None and note[1] == "en"


def test_posts_with_keys_in_chinese_get_a_page_each(tmp_path: Path) -> None:
    """Found with two posts keyed 读书笔记 and 数据分析: both became posts/____.html, so one
    list was lost and both links opened the other."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "coincidence", root)
    for day, key in (("21", "读书笔记"), ("22", "数据分析"), ("23", "a b")):
        (root / f"content/posts/2026-03-{day}-{key}.md").write_text(
            f"---\ntitle: {key}\nlang: zh\ntags: [旅行]\n---\n\n{key}。\n", encoding="utf-8")
    write_reports(load_site(root), root, TODAY)
    pages = sorted(p.name for p in (root / "outreach/posts").glob("*.html"))
    assert "读书笔记.html" in pages and "数据分析.html" in pages
    assert "a-b.html" in pages  # the slug has no space; nothing else is touched
    index = (root / "outreach/index.html").read_text(encoding="utf-8")
    assert 'href="posts/%E8%AF%BB%E4%B9%A6%E7%AC%94%E8%AE%B0.html' in index
    assert "读书笔记" in (root / "outreach/posts/读书笔记.html").read_text(encoding="utf-8")


def test_details_are_on_demand(outreach: Path) -> None:
    index = (outreach / "index.html").read_text(encoding="utf-8")
    assert 'href="posts.html"' in index
    kafka = (outreach / "posts/kafka-lag-bank-migration.html").read_text(encoding="utf-8")
    assert kafka.count('data-copy="') == 5 * 2  # draft + log command per person
    assert 'id="wang-lei"' in kafka


def test_the_main_page_stays_small_as_posts_grow(tmp_path: Path) -> None:
    sizes = {}
    for count in (40, 240):
        root = tmp_path / f"s{count}"
        shutil.copytree(NETWORK, root)
        for n in range(count):
            (root / f"content/posts/2026-01-{n % 28 + 1:02d}-generated-{n}.md").write_text(
                f"---\ntitle: Kubernetes costs, part {n}\ndate: 2026-01-{n % 28 + 1:02d}\n"
                f"tags: [kubernetes, kafka, travel]\n---\n\nNotes {n}.\n", encoding="utf-8")
        write_reports(load_site(root), root, TODAY)
        sizes[count] = (root / "outreach/index.html").stat().st_size
    assert sizes[240] - sizes[40] < 2_000, sizes  # only the newest posts are listed
    assert sizes[240] < 100_000


def test_filters_copy_buttons_and_axe_in_chromium(outreach: Path, tmp_path: Path) -> None:
    from browser import chromium

    with chromium() as browser:
        from axe_playwright_python.sync_playwright import Axe

        found = {}
        for scheme in ("light", "dark"):
            page = browser.new_page(viewport={"width": 1000, "height": 900},
                                    color_scheme=scheme, bypass_csp=True)
            for name in ("index.html", "posts/kafka-lag-bank-migration.html", "posts.html"):
                page.goto((outreach / name).as_uri())
                for violation in Axe().run(page).response["violations"]:
                    found[f"{name} {scheme} {violation['id']}"] = [
                        n["target"] for n in violation["nodes"]][:3]
            page.close()
        assert found == {}
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.goto((outreach / "index.html").as_uri())
        cards = page.locator("[data-circle]")
        assert cards.count() == 52
        page.select_option("#f-circle", "1")
        visible = [c for c in cards.all() if c.is_visible()]
        assert visible and all(c.get_attribute("data-circle") == "1" for c in visible)
        page.select_option("#f-circle", "")
        page.select_option("#f-channel", "email")
        visible = [c for c in cards.all() if c.is_visible()]
        assert visible and all(c.get_attribute("data-channel") == "email" for c in visible)
        page.screenshot(path=str(tmp_path / "review.png"), full_page=False)
        page.close()


def test_a_card_shows_a_persons_best_posts_beyond_each_posts_top_five(tmp_path: Path) -> None:
    """Found on the review page: Tan Boon Kiat was in this week's plan with a post, but his
    card said 'No post clears the bar': he was sixth on that post's list."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "coincidence", root)
    for n in range(6):
        (root / f"contacts/fan{n}.yaml").write_text(
            f"name: Fan {n}\ninterests: [{{topic: kafka, weight: 3}}, banking]\n"
            f"channels: [{{type: email, handle: fan{n}@example.org}}]\n", encoding="utf-8")
    (root / "contacts/gone.yaml").write_text(
        "name: Gone\ninterests: [kafka]\ndo_not_contact: true\n"
        "channels: [{type: email, handle: gone@example.org}]\n", encoding="utf-8")
    write_reports(load_site(root), root, TODAY)
    page = (root / "outreach/index.html").read_text(encoding="utf-8")
    boss = page[page.index("<h3>Tan Boon Kiat"):].split("</div>")[0]
    assert "Consumer lag during a bank migration</a> (0." in boss
    assert "below the post&#x27;s top five" in boss or "below the post's top five" in boss
    gone = page[page.index("<h3>Gone"):].split("</div>")[0]
    assert "do_not_contact" in gone and "No post clears the bar." in gone
