from pathlib import Path

from bs4 import BeautifulSoup


def html(project, url_path: str) -> BeautifulSoup:
    """The built page at ``url_path`` (e.g. 'reviews/x/'), parsed."""
    path = Path(project.site) / url_path
    if url_path.endswith("/") or not url_path:
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(soup) -> str:
    """The visible text of the page's article, with whitespace folded."""
    article = soup.select_one("article") or soup
    return " ".join(article.get_text(" ").split())
