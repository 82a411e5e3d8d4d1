"""Delivery: /docs works offline from vendored Swagger UI under the Content-Security-Policy;
static files are linked by content hash and cached for good, plain names are revalidated,
and responses are compressed."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer

ASSET = re.compile(r'href="(?:http://[^/"]+)?(/static/css/app\.([0-9a-f]{12})\.css)"')


def test_api_docs_render_from_vendored_files(page: Page, server: LiveServer) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server.url}/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/sessions").first).to_be_visible()
    assert requested
    assert all(url.startswith(server.url) for url in requested)  # no CDN
    assert any(
        re.search(r"/static/vendor/swagger-ui-bundle-5\.35\.0\.\w{12}\.js$", u) for u in requested
    )


def test_static_files_are_fingerprinted_cached_and_compressed(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as http:
        page = http.get("/login", headers={"Accept-Encoding": "gzip"})
        assert page.headers["content-encoding"] == "gzip"
        found = ASSET.search(page.text)
        assert found is not None, "the stylesheet is linked by its content hash"
        hashed = http.get(found.group(1), headers={"Accept-Encoding": "gzip"})
        assert hashed.status_code == 200
        assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert hashed.headers["content-encoding"] == "gzip"
        plain = http.get("/static/css/app.css")
        assert plain.status_code == 200
        assert plain.headers["cache-control"] == "no-cache"
        assert plain.text == hashed.text
        stale = http.get(found.group(1).replace(found.group(2), "0" * 12))
        assert stale.status_code == 404
        small = http.get("/healthz", headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in small.headers  # too small to be worth it
