"""The header override (overrides/partials/header.html): the installed theme's header with
only our additions, and the search form and quick exit as built into every page."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

ADDITIONS = re.compile(r"    \{#- Addition: search from every page\. -#\}\n.*?    \{#- End of additions\. -#\}\n", re.S)


def test_header_override_is_the_theme_file_plus_the_additions():
    import material

    theme = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text(encoding="utf-8")
    ours = (REPO / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    body = ours[ours.index("-#}\n") + len("-#}\n") :]
    assert len(ADDITIONS.findall(body)) == 1, "the additions must stay in one marked block"
    assert ADDITIONS.sub("", body) == theme, (
        "overrides/partials/header.html differs from the installed theme's header.html by more than "
        "the marked additions: copy the theme's file again and re-apply them"
    )
