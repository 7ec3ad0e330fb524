import re
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import KithError


def errors(root: Path, text: str) -> list[str]:
    (root / "site.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KithError) as info:
        load_config(root)
    return [str(p) for p in info.value.problems]


def test_minimal_config_gets_defaults(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(
        "title: T\nbase_url: https://u.github.io/repo\nlanguage: en\nlanguages: [en, hant, ar]\n")
    config = load_config(tmp_path)
    assert config.base_url == "https://u.github.io/repo/"
    assert config.base_path == "/repo/"
    assert config.timezone == "UTC"
    assert (config.paginate, config.paginate_terms) == (10, 50)
    assert config.permalinks["posts"] == "/posts/:slug/"
    assert config.taxonomies == ("tags", "categories")
    assert config.feeds.content == "full" and config.feeds.limit == 20
    assert [(lang.code, lang.tag, lang.direction) for lang in config.languages] == [
        ("en", "en", "ltr"), ("hant", "zh-Hant", "ltr"), ("ar", "ar", "rtl")]


def test_language_mapping_with_settings(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(
        "title: T\nbase_url: https://x.org/\nlanguage: en\n"
        "languages:\n  en: {name: English}\n  zh: {tag: zh-CN, title: 笔记}\n")
    config = load_config(tmp_path)
    assert config.lang("zh").tag == "zh-CN"
    assert config.lang("zh").title == "笔记"


def test_unknown_key_names_the_closest(tmp_path: Path) -> None:
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\ntimezon: UTC\n") == [
        "site.yaml:3: unknown setting 'timezon'\n  hint: did you mean 'timezone'?"]


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    found = errors(tmp_path, "title: [a]\nbase_url: ftp://x\npaginate: 0\n"
                             "timezone: Mars/Base\nfeeds: {content: some}\npaginate_terms: true\n")
    assert found == [
        "site.yaml:1: 'title' must be text, got a list\n"
        '  hint: e.g. title: "...", quoted if it holds ": " or starts with [ or {',
        "site.yaml:2: base_url 'ftp://x' is not an absolute http(s) URL\n"
        "  hint: write it like https://example.com/ or https://user.github.io/repo/",
        "site.yaml:3: 'paginate' must be a whole number of at least 1, got 0\n"
        "  hint: e.g. paginate: 10",
        "site.yaml:4: unknown time zone 'Mars/Base'\n"
        "  hint: use an IANA name such as UTC, Europe/Berlin or Asia/Shanghai",
        "site.yaml:5: feeds.content must be full or summary, got 'some'",
        "site.yaml:6: 'paginate_terms' must be a whole number of at least 1, got True\n"
        "  hint: e.g. paginate_terms: 50",
    ]


def test_broken_yaml_has_a_line(tmp_path: Path) -> None:
    assert errors(tmp_path, "title: T\nbase_url: [oops\n") == [
        "site.yaml:2: invalid YAML: the [ that starts a list here is never closed\n"
        "  hint: end the list with ], or write one '- item' per line"]


def test_bad_permalink_token(tmp_path: Path) -> None:
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\n"
                            "permalinks:\n  posts: /:yeer/:slug/\n") == [
        "site.yaml:4: unknown permalink token ':yeer' in '/:yeer/:slug/'\n"
        "  hint: tokens: :year :month :day :slug :title :lang :collection :series :path"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KithError) as info:
        load_config(tmp_path)
    assert str(info.value.problems[0]).startswith("site.yaml: no site.yaml in ")


def test_every_setting_of_the_wrong_type_is_reported(tmp_path: Path) -> None:
    # description, cname and copyright were read after the check: a mapping passed as "".
    assert errors(tmp_path, (
        "title: T\nbase_url: https://x.org/\ncopyright: {year: 2026}\ncname: [a]\n"
        "author: {name: [Mei, Lin]}\n"
        "languages:\n  en: {date_format: 5}\n  zh: {title: [a, b]}\n  ../up: {}\n"
        "taxonomies: [tags, ../x]\n")) == [
        "site.yaml:3: 'copyright' must be text, got a mapping\n"
        '  hint: e.g. copyright: "...", quoted if it holds ": " or starts with [ or {',
        "site.yaml:4: 'cname' must be text, got a list\n"
        '  hint: e.g. cname: "...", quoted if it holds ": " or starts with [ or {',
        'site.yaml:5: author name must be text, got a list\n  hint: e.g. name: "..."',
        "site.yaml:7: language setting 'date_format' must be text, got 5\n"
        '  hint: e.g. date_format: "..."',
        "site.yaml:8: language setting 'title' must be text, got a list\n"
        '  hint: e.g. title: "..."',
        "site.yaml:9: language code '../up' must be letters and digits, with '-' between "
        "parts\n  hint: e.g. en, zh, hant, pt-BR",
        "site.yaml:10: 'taxonomies' must be a list of names in lower-case letters, digits, '-' "
        "and '_' (each names a folder of the site)\n  hint: e.g. [tags, categories]",
    ]


def test_tag_and_collection_feeds_have_their_own_defaults(tmp_path: Path) -> None:
    base = "title: T\nbase_url: https://x.org/\n"
    (tmp_path / "site.yaml").write_text(base)
    feeds = load_config(tmp_path).feeds
    assert feeds.list_formats(feeds.tags) == ("rss",)
    assert (feeds.tags.content, feeds.tags.limit) == ("summary", 20)
    assert (feeds.collections.content, feeds.collections.limit) == ("full", 20)
    # One format: the first the site feed has.
    (tmp_path / "site.yaml").write_text(base + "feeds: {rss: false}\n")
    feeds = load_config(tmp_path).feeds
    assert feeds.list_formats(feeds.tags) == feeds.list_formats(feeds.collections) == ("atom",)
    (tmp_path / "site.yaml").write_text(
        base + "feeds:\n  per_tag: {formats: [json, rss], content: full, limit: 0}\n"
        "  per_collection: {limit: 5}\n")
    feeds = load_config(tmp_path).feeds
    assert feeds.per_tag and feeds.list_formats(feeds.tags) == ("rss", "json")
    assert (feeds.tags.content, feeds.tags.limit) == ("full", 0)
    assert (feeds.collections.content, feeds.collections.limit) == ("full", 5)
    (tmp_path / "site.yaml").write_text(base + "feeds: false\n")
    feeds = load_config(tmp_path).feeds
    assert not (feeds.main_formats() or feeds.per_tag or feeds.per_collection)


def test_bad_tag_feed_settings_are_named(tmp_path: Path) -> None:
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\nfeeds:\n"
                            "  per_tag: {formats: [rss, jsn], content: most, limt: 3}\n"
                            "  per_collection: 3\n") == [
        "site.yaml:4: feeds.per_tag.content must be full or summary, got 'most'",
        "site.yaml:4: feeds.per_tag.formats: unknown feed format 'jsn'\n"
        "  hint: did you mean 'json'?",
        "site.yaml:4: unknown feeds.per_tag setting 'limt'\n  hint: did you mean 'limit'?",
        "site.yaml:5: feeds.per_collection must be true, false or a mapping of formats, "
        "content and limit, got 3\n"
        "  hint: e.g. per_collection: {formats: [rss, atom], content: full, limit: 10}",
    ]
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\n"
                            "feeds: {per_tag: {formats: []}}\n") == [
        "site.yaml:3: feeds.per_tag.formats must be a list of rss, atom or json, got an "
        "empty list\n  hint: e.g. formats: [rss]; 'per_tag: false' writes none"]


@pytest.mark.parametrize(("url", "wrong"), [
    # Every link starts with the base path: '/../../posts/x/' was written into each page.
    ("http://x.org/../../", "has a path that has a '..' segment"),
    ("http://x.org/%2e%2e/", "has a path that has a '..' segment"),
    ("http://a b.org/", "holds a space, a control character, '?' or '#'"),
    ("https://x.org/?page=1", "holds a space, a control character, '?' or '#'"),
    ("http://[::1/", "is not an absolute http(s) URL"),  # urlsplit raises ValueError
])
def test_a_base_url_links_cannot_be_built_on_is_refused(tmp_path: Path, url: str,
                                                        wrong: str) -> None:
    assert errors(tmp_path, f"title: T\nbase_url: '{url}'\n") == [
        f"site.yaml:2: base_url '{url}' {wrong}\n"
        "  hint: write it like https://example.com/ or https://user.github.io/repo/"]


@pytest.mark.parametrize("url", ["https://user:s3cret@x.org/", "https://s3cret@x.org/blog/",
                                 "https://user:s3cret@x.org/?q", "https://user:s3#cret@x.org/",
                                 "ftp://user:s3cret@x.org/", "https://u:s3cret@x.org/a b/"])
def test_a_base_url_with_a_password_is_refused_and_not_echoed(tmp_path: Path, url: str) -> None:
    told = url[:url.index("//") + 2] + "***" + url[url.rindex("@", 0, url.index("/", 8)):]
    assert errors(tmp_path, f"title: T\nbase_url: '{url}'\n") == [
        f"site.yaml:2: base_url '{told}' holds a user name or password ('@'), which every "
        "page and feed would publish\n"
        "  hint: write it like https://example.com/ or https://user.github.io/repo/"]


def test_a_base_url_with_an_ordinary_path_is_kept(tmp_path: Path) -> None:
    for url in ("https://u.github.io/repo", "https://x.org/my%20blog/"):
        (tmp_path / "site.yaml").write_text(f"title: T\nbase_url: '{url}'\n")
        assert load_config(tmp_path).base_url == url.rstrip("/") + "/"


def test_a_menu_or_analytics_url_python_cannot_split_is_no_crash(tmp_path: Path) -> None:
    """'http://[::1/x' made urlsplit raise ValueError: an internal error (exit 70)."""
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\nlanguages: [en]\n"
                  "analytics:\n  plausible: {src: 'ftp://[::1/x.js', domain: x.org}\n"
                  "menus:\n  en:\n    - {label: X, url: 'http://[::1/x'}\n") == [
        "site.yaml:5: analytics.plausible.src must be an http(s) URL, got 'ftp://[::1/x.js'"]


def test_every_setting_is_in_the_settings_reference() -> None:
    from kithpaths import REPO

    from generator.config import KNOWN_KEYS

    text = (REPO / "docs/settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
    assert documented == KNOWN_KEYS


def test_search_true_is_the_default_said_out_loud(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.org/\nsearch: true\n")
    assert load_config(tmp_path).search.enabled


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:x", "data:text/html,x",
                                 "file:///etc/passwd"])
def test_a_menu_link_that_runs_a_script_is_refused(tmp_path: Path, url: str) -> None:
    assert errors(tmp_path, f"title: T\nbase_url: https://x.org/\nmenus:\n"
                            f"  en: [{{label: Go, url: '{url}'}}]\n") == [
        f"site.yaml:4: menus.en: url '{url}' runs a script or opens a file, on every page\n"
        "  hint: a menu links to a page: /about/ or https://..."]


@pytest.mark.parametrize("cname", ["bad domain/x", "https://blog.example.com", "localhost",
                                   "blog.example.com/", "1.2.3.4"])
def test_a_cname_that_is_no_domain_name_is_refused(tmp_path: Path, cname: str) -> None:
    assert errors(tmp_path, f"title: T\nbase_url: https://x.org/\ncname: '{cname}'\n") == [
        f"site.yaml:3: cname '{cname}' is not a domain name\n"
        "  hint: write the bare domain, such as cname: blog.example.com (no https://, no path; "
        "an international name in its xn-- form)"]
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://x.org/\n"
                                        "cname: blog.example.com\n")
    assert load_config(tmp_path).cname == "blog.example.com"


def test_a_footer_for_a_language_the_site_lacks_is_refused(tmp_path: Path) -> None:
    assert errors(tmp_path, "title: T\nbase_url: https://x.org/\nlanguages: [en, zh]\n"
                            "footer: {en: a, fr: b, default: c}\n") == [
        "site.yaml:4: footer for unknown language 'fr'\n"
        "  hint: allowed: en, zh ('default' for the rest)"]


@pytest.mark.parametrize("entry", ["/self/: /self/", "/self/: /self", "/a.html: /a.html"])
def test_a_redirect_to_itself_is_refused(tmp_path: Path, entry: str) -> None:
    old = entry.split(":")[0]
    assert errors(tmp_path, f"title: T\nbase_url: https://x.org/\nredirects:\n  {entry}\n") == [
        f"site.yaml:4: redirect '{old}' -> itself: a reader would go round and round\n"
        "  hint: remove it, or send it to another page"]
