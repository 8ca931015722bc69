"""A `{# ... #}` comment ends on its own line in Django templates: one spread over lines is
not a comment and is shown to the reader as text. Longer comments use {% comment %}."""

import re
from pathlib import Path

from django.conf import settings

UNCLOSED_ON_ITS_LINE = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_no_template_has_a_one_line_comment_spread_over_lines():
    templates = sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
    assert templates
    broken = [
        f"{path.relative_to(settings.BASE_DIR)}:{text[: match.start()].count(chr(10)) + 1}"
        for path in templates
        for text in [path.read_text()]
        for match in UNCLOSED_ON_ITS_LINE.finditer(text)
    ]
    assert broken == []
