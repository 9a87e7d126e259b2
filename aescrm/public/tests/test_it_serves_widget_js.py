"""/widget.js: our own small script, cacheable, with the right content type."""

from __future__ import annotations

import gzip
import re
from typing import Any

from aescrm.public.views import WIDGET_PATH

# Attribution and forms alone fitted in 20 KB gzipped; the website chat (its own
# markup, stylesheet and polling, with no library) was allowed 10 KB more.
SIZE_BUDGET = 30 * 1024


def test_it_is_served_as_javascript_and_cacheable(client: Any) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.content == WIDGET_PATH.read_bytes()
    etag = response["ETag"]
    again = client.get("/widget.js", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.head("/widget.js").status_code == 200
    assert client.post("/widget.js").status_code == 405


def test_it_is_gzipped_for_browsers_that_ask_and_small(client: Any) -> None:
    response = client.get("/widget.js", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == WIDGET_PATH.read_bytes()
    assert len(response.content) < SIZE_BUDGET


def test_it_loads_nothing_from_anyone_else() -> None:
    source = WIDGET_PATH.read_text()
    code = re.sub(r"/\*.*?\*/", "", source, flags=re.DOTALL)
    assert not re.search(r"https?://", code), "no third-party address in the widget"
    for needle in ("import(", "require(", 'createElement("script")', "XMLHttpRequest", "eval("):
        assert needle not in code
    assert 'credentials: "omit"' in code
