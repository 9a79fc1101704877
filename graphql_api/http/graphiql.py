"""GraphiQL, served from this package instead of a CDN.

Strawberry's GraphiQL page loads React and GraphiQL from unpkg.com, so on a
machine without internet access (an air-gapped office, CI, a laptop on a
train) ``/graphql`` in a browser shows "Loading..." forever. The same files,
byte for byte, live in ``static/graphiql`` and are served at
:data:`ASSETS_PATH`; the page (``static/graphiql.html``) keeps their
subresource-integrity hashes, so a damaged copy is refused by the browser and
caught by the tests.

To move to newer versions: ``npm pack`` the packages named in
``static/graphiql/LICENSES.txt``, copy the same files over, and put each
file's ``openssl dgst -sha384 -binary FILE | base64`` into the page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

ASSETS_PATH = "/graphiql-assets"
STATIC_DIR = Path(__file__).parent / "static"
ASSETS_DIR = STATIC_DIR / "graphiql"
PAGE = STATIC_DIR / "graphiql.html"


@cache
def graphiql_html() -> str:
    """The GraphiQL page, pointing at :data:`ASSETS_PATH`."""
    return PAGE.read_text(encoding="utf-8")


def assets_mount() -> Mount:
    """The route that serves React, GraphiQL and its explorer plugin."""
    return Mount(ASSETS_PATH, app=StaticFiles(directory=ASSETS_DIR), name="graphiql-assets")
