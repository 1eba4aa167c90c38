"""The site's settings, from mkdocs.yml.

(The ``config`` branch reads mkdocs.yml here through MkDocs' own loader; on this branch
the file only gives :class:`SiteInfo` its home, which ``Project.site_info`` fills.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteInfo:
    name: str
    url: str
    repo_url: str
    edit_base: str
