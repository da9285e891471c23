"""HTML validity of every public page: the page list and the Nu Html Checker run, shared by
`make audit` (bench/audit.py) and the browser suite (tests/browser/test_html_validity.py), so both
check the same pages.

Which pages (found from the site itself, so a new app or filter is covered without editing a list):
  * every URL in /sitemap.xml;
  * every same-site link on those pages, one level deep (the calendar's week/upcoming/archive views
    and other months, tag and year filters, page 2 of a list, contest results, registration and
    vote forms) — one level, so the endless calendar stays finite;
  * each distinct GET form on those pages submitted twice: with one choice (the first option of
    the first group, or a word in a search box) and with every field filled (usually the empty
    state): the calendar filters in each view, the search box;
  * per listing, one URL combining the first value of each query parameter its links use
    (/news/?tag=…&year=…&page=2);
  * a 404 page and the low-vision settings page.
The HTML is downloaded here (the 404 page too) and vnu checks all files in one JVM run.
"""

import json
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SEARCH_WORD = "курсы"
MISSING_PAGE = "/stranica-kotoroj-net/"
EXTRA_PAGES = ["/lv/", "/search/?q=", "/search/?q=zzqxj"]
SKIP_PREFIXES = ("/static/", "/media/", "/documents/", "/admin/", "/altcha/", "/django-admin/")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@dataclass
class Page:
    path: str  # path?query as requested
    status: int
    html: str


class _Links(HTMLParser):
    """hrefs of <a> and the GET forms (action, fields in document order)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.forms = [], []
        self._form = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": []}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind not in ("submit", "button", "reset", "image", "file"):
                field = {"kind": kind, "name": attrs["name"], "value": attrs.get("value") or ""}
                field["checked"] = "checked" in attrs
                self._form["fields"].append(field)
        elif tag == "textarea":
            self._form["fields"].append({"kind": "text", "name": attrs["name"], "value": "", "checked": False})
        elif tag == "select":
            self._select = {"kind": "select", "name": attrs["name"], "options": [], "value": None, "checked": False}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attrs.get("value") or "")
            if "selected" in attrs:
                self._select["value"] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _form_queries(fields) -> list[list[tuple[str, str]]]:
    """Two submissions of a GET form: one choice made, and every field filled."""
    texts = [f for f in fields if f["kind"] in ("text", "search")]
    boxes = [f for f in fields if f["kind"] == "checkbox"]
    selects = [f for f in fields if f["kind"] == "select"]
    first_group = boxes[0]["name"] if boxes else None

    def submit(fill_all):
        pairs, groups_done = [], set()
        for field in fields:
            kind, name = field["kind"], field["name"]
            if kind in ("text", "search"):
                use_word = fill_all or not (boxes or selects)
                pairs.append((name, SEARCH_WORD if use_word else field["value"]))
            elif kind in ("checkbox", "radio"):
                choose = kind == "checkbox" and name not in groups_done and (fill_all or name == first_group)
                if field["checked"] or choose:
                    pairs.append((name, field["value"] or "on"))
                    groups_done.add(name)
            elif kind == "select":
                real = [value for value in field["options"] if value]
                if fill_all and real:
                    pairs.append((name, real[0]))
                elif field["value"] is not None or field["options"]:
                    pairs.append((name, field["value"] if field["value"] is not None else field["options"][0]))
            else:
                pairs.append((name, field["value"]))
        return pairs

    queries = [submit(False), submit(True)] if texts or boxes or selects else [submit(False)]
    return [q for i, q in enumerate(queries) if q not in queries[:i]]


class Crawler:
    """Downloads pages from a running site at `base` (http://host:port)."""

    def __init__(self, base: str, timeout: int = 60):
        self.base = base.rstrip("/")
        self.timeout = timeout
        self.site_hosts = {urlsplit(self.base).netloc}
        self.pages: dict[str, Page] = {}
        self._final_urls: set[str] = set()
        self._skipped: set[str] = set()

    def fetch(self, path: str) -> Page | None:
        """GET `path` (HTML pages only, error pages included); None for other content or a duplicate
        reached through a redirect."""
        if path in self.pages or path in self._skipped:
            return self.pages.get(path)
        request = urllib.request.Request(self.base + path, headers={"Accept-Language": "ru"})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            final = urlsplit(response.geturl())
            final_path = final.path + (f"?{final.query}" if final.query else "")
            duplicate = final_path != path and final_path in self._final_urls
            if duplicate or "text/html" not in (response.headers.get("Content-Type") or ""):
                self._skipped.add(path)
                return None
            self._final_urls.add(final_path)
            page = Page(path, response.status, response.read().decode("utf-8", "replace"))
        self.pages[path] = page
        return page

    def local(self, url: str, page_path: str) -> str | None:
        """`url` as found on `page_path` → a same-site path?query worth checking, or None."""
        parts = urlsplit(urljoin(f"http://{next(iter(self.site_hosts))}{page_path}", url.strip()))
        if parts.scheme not in ("http", "https") or parts.netloc not in self.site_hosts:
            return None
        if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
            return None
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def sitemap(self) -> list[str]:
        with urllib.request.urlopen(self.base + "/sitemap.xml", timeout=self.timeout) as response:
            tree = ElementTree.fromstring(response.read())  # noqa: S314 — our own sitemap
        paths = []
        for loc in tree.findall(".//sm:loc", SITEMAP_NS):
            parts = urlsplit(loc.text.strip())
            self.site_hosts.add(parts.netloc)  # the Site's hostname, which may differ from `base`
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return paths


def collect_pages(base: str, extra_roots=()) -> list[Page]:
    """Every page listed in the module docstring, downloaded from the site at `base`; `extra_roots`
    (paths) are treated like sitemap entries."""
    crawler = Crawler(base)
    roots = list(dict.fromkeys([*crawler.sitemap(), *extra_roots]))
    for path in roots:
        crawler.fetch(path)
    links, query_shapes = [], set()
    for path in roots:
        on_page = [link for link in (crawler.local(href, path) for href in _parse(crawler, path).hrefs) if link]
        for link in on_page:
            # A query link once per path and parameter names: /lv/?next=… is on every page.
            link_path, _, query = link.partition("?")
            shape = (link_path, tuple(sorted({key for key, _ in parse_qsl(query, keep_blank_values=True)})))
            if not query or shape not in query_shapes:
                query_shapes.add(shape)
                links.append(link)
        # One URL per listing combining the first value of each of its query parameters.
        first_values = {}
        for link in on_page:
            link_path, _, query = link.partition("?")
            if link_path == path.partition("?")[0]:
                for key, value in parse_qsl(query):
                    first_values.setdefault(key, value)
        if len(first_values) > 1:
            links.append(f"{path.partition('?')[0]}?{urlencode(first_values)}")
    for path in links:
        crawler.fetch(path)
    submissions, forms_seen = [], set()
    for path in list(crawler.pages):
        for form in _parse(crawler, path).forms:
            action = crawler.local(form["action"] or path, path)
            key = (action and action.partition("?")[0], tuple(f["name"] for f in form["fields"]))
            if form["method"] != "get" or not action or key in forms_seen:
                continue
            forms_seen.add(key)
            for query in _form_queries(form["fields"]):
                submissions.append(f"{action.partition('?')[0]}?{urlencode(query)}")
    for path in [*submissions, *EXTRA_PAGES, MISSING_PAGE]:
        crawler.fetch(path)
    return list(crawler.pages.values())


def _parse(crawler, path) -> _Links:
    parser = _Links()
    parser.feed(crawler.pages[path].html)
    return parser


def run_vnu(pages: list[Page], java: str = "java", jar: Path = VNU_JAR) -> dict[str, list[str]]:
    """The Nu Html Checker's errors per page path (one JVM for all pages)."""
    errors = {page.path: [] for page in pages}
    with tempfile.TemporaryDirectory(prefix="imc-vnu-") as folder:
        files = {}
        for number, page in enumerate(pages):
            file = Path(folder) / f"page-{number:04d}.html"
            file.write_text(page.html, encoding="utf-8")
            files[file.name] = page.path
        command = [java, "-jar", str(jar), "--errors-only", "--format", "json", *sorted(Path(folder).iterdir())]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=900)
        try:
            messages = json.loads(completed.stderr)["messages"]
        except ValueError:
            raise RuntimeError(f"vnu failed (exit {completed.returncode}): {completed.stderr[-2000:]}")
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            path = files.get(Path(urlsplit(message.get("url", "")).path).name, "?")
            extract = " ".join((message.get("extract") or "").split())[:120]
            errors.setdefault(path, []).append(
                f"line {message.get('lastLine', '?')}: {message.get('message', '').strip()}"
                + (f" — {extract}" if extract else "")
            )
    return errors
