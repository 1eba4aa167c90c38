"""Stage 5, render: editors' text is escaped for Markdown and HTML; templates shape the rest."""

from __future__ import annotations

import markdown
import pytest

from generator.render import Pager, environment, escape_line, f_paras, f_url

EXTENSIONS = ["toc", "attr_list", "md_in_html", "tables", "admonition"]  # as in mkdocs.yml


def to_html(md: str) -> str:
    return markdown.markdown(md, extensions=EXTENSIONS)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![x](https://example.org/x.png)",
        "# heading",
        "## heading",
        "1. list",
        "- list",
        "* list",
        "+ list",
        "> quote",
        "**bold** _em_ `code`",
        "a | b | c",
        "{: #id .class }",
        "!!! note",
        ": definition",
        "<!-- comment -->",
        "&amp; &lt;",
        "\\*escaped\\*",
        "<https://example.org>",
        "[^1]",
        "*[HTML]: x",
        "===",
        "---",
        "    indented code",
    ],
)
def test_editor_text_renders_as_the_same_text(text):
    html = to_html(f_paras(text))
    assert html.startswith("<p>") and html.endswith("</p>"), html
    import html as h

    inner = h.unescape(html[3:-4])
    assert inner == text.strip(), html
    assert "<script" not in html and "<img" not in html and "<a " not in html


def test_paragraphs_are_kept_and_lines_joined():
    assert f_paras("One\nline.\n\nTwo.\n\n\n  Three.  ") == "One line.\n\nTwo.\n\nThree."


def test_every_value_in_a_template_is_escaped_unless_marked():
    env = environment()
    out = env.from_string("{{ a }} | {{ b|join(', ') }} | [{{ a }}](x.md)").render(a="*x*", b=["<b>", "_y_"])
    assert out == "&#42;x&#42; | &lt;b&gt;, &#95;y&#95; | [&#42;x&#42;](x.md)"


def test_macros_are_not_escaped_twice():
    env = environment()
    out = env.from_string('{% macro m(x) %}[{{ x }}](a.md){% endmacro %}{{ m("*") }}').render()
    assert out == "[&#42;](a.md)"


def test_url_cannot_break_out_of_a_link():
    assert f_url('https://example.org/a b)"<x>') == "https://example.org/a%20b%29%22%3Cx%3E"
    assert escape_line("2014. Then") == "2014&#46; Then"


def test_front_matter_title_is_html_escaped_and_yaml_quoted():
    import yaml

    from generator.render import f_meta

    value = f_meta('</title><script>x</script> "quoted" & done\nnext: line')
    assert yaml.safe_load(f"title: {value}")["title"] == (
        "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt; &quot;quoted&quot; &amp; done next: line"
    )


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 4, [1, 2, 3, 4]),
        (3, 5, [1, 2, 3, 4, 5]),
        (1, 5, [1, 2, None, 5]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),  # a gap of one page shows that page instead
        (5, 9, [1, None, 4, 5, 6, None, 9]),
        (21, 42, [1, None, 20, 21, 22, None, 42]),
        (42, 42, [1, None, 41, 42]),
    ],
)
def test_pager_links_first_last_and_neighbours_only(number, count, shown):
    assert Pager(number, count, "themes/x.md", "themes/x/{n}.md").shown == shown


def test_pager_of_a_long_listing_stays_short_and_reaches_every_page():
    """However long the listing, a pager holds at most seven numbers, and following its
    links from page 1 reaches every page."""
    env = environment()
    count = 300
    reached, todo = {1}, [1]
    while todo:
        pager = Pager(todo.pop(), count, "themes/x.md", "themes/x/{n}.md")
        text = env.from_string('{% from "_pager.md.j2" import pager_nav %}{{ pager_nav(pager) }}').render(pager=pager)
        numbers = [n for n in pager.shown if n is not None]
        assert len(numbers) <= 7 and text.count("](") == len(numbers) - 1 + (pager.number > 1) + (pager.number < count)
        assert "…" in text and f'<strong aria-current="page">{pager.number}</strong>' in text
        for n in numbers:
            if n not in reached:
                reached.add(n)
                todo.append(n)
    assert reached == set(range(1, count + 1))
