from pathlib import Path
from urllib.parse import urljoin, urlsplit

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


def check_links(project) -> int:
    """Assert that every relative link in every built page reaches a file, and that its
    anchor exists there. Returns the number of pages checked."""
    site = Path(project.site)
    base = urlsplit(project.site_info().url).path  # 404.html links from the site's root path
    pages = list(site.rglob("*.html"))
    anchors: dict = {}
    for page in pages:
        soup = html(project, page.relative_to(site).as_posix())
        for a in soup.select("a[href]"):
            href = a["href"]
            if href.startswith(("http:", "https:", "mailto:", "tel:")) or not href.strip():
                continue
            if href.startswith(base):
                href = "/" + href[len(base) :]
            url = urljoin("https://x/" + page.relative_to(site).as_posix(), href)
            path = site / urlsplit(url).path.lstrip("/")
            if path.is_dir() or not path.suffix:
                path = path / "index.html"
            assert path.exists(), f"{page}: {href}"
            fragment = urlsplit(url).fragment
            if fragment and path.suffix == ".html":
                if path not in anchors:
                    target = html(project, path.relative_to(site).as_posix())
                    anchors[path] = {t["id"] for t in target.select("[id]")}
                assert fragment in anchors[path], f"{page}: {href}"
    return len(pages)
