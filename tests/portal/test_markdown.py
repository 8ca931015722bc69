from portal.markdown import render_markdown


def test_markdown_becomes_html_with_headings_below_the_page_title():
    html = render_markdown("# Findings\n\n- one\n- **two**\n\n[report](https://example.org/r)")
    assert "<h2>Findings</h2>" in html
    assert "<li><strong>two</strong></li>" in html
    assert '<a href="https://example.org/r" rel="noopener noreferrer">report</a>' in html


def test_scripts_raw_html_and_javascript_links_are_removed():
    html = render_markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))"
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
