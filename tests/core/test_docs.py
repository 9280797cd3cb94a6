"""The documentation pages work offline (issue 16): `/docs` (Swagger UI) and `/redoc` load
their JavaScript, CSS and favicon from this service (fastapi-offline's wheel), never from a
CDN, and a headless browser with every other host unreachable renders the operations."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.main import DOCS_ASSETS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CONTENT_TYPES = {".js": ("text/javascript", "application/javascript"), ".css": ("text/css",), ".png": ("image/png",)}


class _Links(HTMLParser):
    """Every URL a page loads: `src` of scripts and images, `href` of links."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "src" or (tag == "link" and name == "href")):
                self.urls.append(value)


def loaded_urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize(("page", "expected"), [
    ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
    ("/redoc", {"redoc.standalone.js", "favicon.png"}),
])
def test_the_docs_pages_load_only_assets_this_service_serves(client, page, expected):
    response = client.get(page)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "http://" not in response.text and "https://" not in response.text  # no CDN, no Google Fonts
    urls = loaded_urls(response.text)
    assert {url.rsplit("/", 1)[-1] for url in urls} == expected
    for url in urls:
        assert url.startswith(DOCS_ASSETS + "/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.headers["content-type"].split(";")[0] in CONTENT_TYPES[Path(url).suffix], (url, asset.headers)
        assert len(asset.content) > 1000, url


def test_the_oauth2_redirect_page_stays_where_swagger_ui_expects_it(client):
    response = client.get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert "swaggerUIRedirectOauth2" in response.text


def test_the_docs_assets_are_not_in_the_openapi_document(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if path.startswith(("/static", "/docs", "/redoc"))]


def test_an_unknown_asset_is_a_404(client):
    assert client.get(f"{DOCS_ASSETS}/nothing.js").status_code == 404


def render(url: str, profile: Path) -> subprocess.Popen[str]:
    """Headless Chromium printing the DOM once the page has settled. Every host but the
    loopback address fails to resolve, so a page that still needed a CDN would not render."""
    return subprocess.Popen(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-extensions", f"--user-data-dir={profile}",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=5000", "--dump-dom", url,
        ],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
    )


@pytest.mark.server
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)")
def test_swagger_ui_and_redoc_render_the_operations_with_no_network_but_this_server(server, tmp_path):
    # Both pages at once, each in its own profile: the test takes one browser's time.
    swagger = render(f"{server['base']}/docs", tmp_path / "swagger")
    redoc = render(f"{server['base']}/redoc", tmp_path / "redoc")
    swagger_dom, _ = swagger.communicate(timeout=90)
    redoc_dom, _ = redoc.communicate(timeout=90)
    assert swagger.returncode == 0 and redoc.returncode == 0

    # Swagger UI fetched /openapi.json and drew an operation block for each operation.
    upsert = re.search(r'<div class="opblock opblock-put[^"]*" id="operations-children-children_upsert_child"', swagger_dom)
    assert upsert, swagger_dom[:2000]
    assert 'data-path="/api/v1/children/{source}/{external_id}"' in swagger_dom
    assert len(re.findall(r'class="opblock opblock-', swagger_dom)) > 50

    # ReDoc drew a section per operation too.
    assert 'data-section-id="operation/children_upsert_child"' in redoc_dom, redoc_dom[:2000]
    assert len(re.findall(r'data-section-id="operation/', redoc_dom)) > 50
