"""Stage 5, render: editors' text is escaped for Markdown and HTML; templates shape the rest."""

from __future__ import annotations

import markdown
import pytest

from generator.render import environment, escape_line, f_paras, f_url

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
