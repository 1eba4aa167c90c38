"""The built site's XML files (the Atom feeds and the sitemap) are well-formed.

MkDocs' ``--strict`` does not read them, and a feed reader or a search engine drops a
file with one bad character in it. :func:`malformed_xml` parses each with expat (no
external entities or DTDs are fetched) and says which fail and where.
"""

from __future__ import annotations

import gzip
import xml.parsers.expat
from pathlib import Path

XML_GLOBS = ("feeds/**/*.xml", "sitemap.xml", "sitemap.xml.gz")


def _parse(data: bytes) -> None:
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.Parse(data, True)


def malformed_xml(site_dir: Path) -> list[str]:
    """``path:line:col: what is wrong`` for every XML file of the site that does not parse."""
    out = []
    for pattern in XML_GLOBS:
        for path in sorted(site_dir.glob(pattern)):
            rel = path.relative_to(site_dir).as_posix()
            try:
                data = path.read_bytes()
                _parse(gzip.decompress(data) if path.suffix == ".gz" else data)
            except xml.parsers.expat.ExpatError as exc:
                out.append(
                    f"{rel}:{exc.lineno}:{exc.offset + 1}: not well-formed XML: "
                    f"{xml.parsers.expat.ErrorString(exc.code)}"
                )
            except (OSError, EOFError) as exc:
                out.append(f"{rel}:1:1: cannot be read: {exc}")
    return out
