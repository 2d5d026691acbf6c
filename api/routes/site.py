"""What a browser opens: the explorer at / (static files under /explorer), and the API docs at
/docs (Swagger UI) and /redoc (ReDoc) from bundles the app serves itself under /docs-assets. No
page refers to a CDN, so all of it works offline."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.explorer import STATIC

# the Swagger UI and ReDoc bundles of the fastapi-offline package (a maintained copy of the files
# FastAPI's default pages load from a CDN)
DOCS_ASSETS = files("fastapi_offline") / "static"
DOCS_OAUTH_REDIRECT = "/docs/oauth2-redirect"
# What the pages may load: only this app. The browser then never asks another host, even for
# what a bundle hard-codes (ReDoc's footer logo comes from its CDN; blocked, it is not shown).
# The docs pages start their bundle with an inline script (FastAPI's page templates).
EXPLORER_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob:; connect-src 'self'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'")

router = APIRouter(include_in_schema=False)


def _root(request: Request) -> str:
    return request.scope.get("root_path", "").rstrip("/")


@router.get("/")
def explorer() -> FileResponse:
    return FileResponse(STATIC / "index.html",
                        headers={"Cache-Control": "no-cache", "Content-Security-Policy": EXPLORER_CSP})


def _docs_page(request: Request, render, title: str, urls: dict[str, str], **options) -> HTMLResponse:
    """A FastAPI docs page (`render`: its template function) pointed at the app's own assets."""
    root = _root(request)
    page = render(openapi_url=root + request.app.openapi_url, title=f"{request.app.title} · {title}",
                  **{name: root + path for name, path in urls.items()}, **options)
    page.headers["Content-Security-Policy"] = DOCS_CSP
    return page


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    return _docs_page(request, get_swagger_ui_html, "Swagger UI", {
        "swagger_js_url": "/docs-assets/swagger-ui-bundle.js", "swagger_css_url": "/docs-assets/swagger-ui.css",
        "swagger_favicon_url": "/docs-assets/favicon.png", "oauth2_redirect_url": DOCS_OAUTH_REDIRECT},
        swagger_ui_parameters={"validatorUrl": None})  # no spec validator badge from swagger.io


@router.get(DOCS_OAUTH_REDIRECT)
def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    return _docs_page(request, get_redoc_html, "ReDoc", {
        "redoc_js_url": "/docs-assets/redoc.standalone.js", "redoc_favicon_url": "/docs-assets/favicon.png"},
        with_google_fonts=False)


def install(app: FastAPI) -> None:
    """The pages above and their static files (the app must be built with docs_url=None and
    redoc_url=None, or FastAPI's CDN pages would answer first)."""
    app.include_router(router)
    app.mount("/explorer", StaticFiles(directory=STATIC), name="explorer")
    app.mount("/docs-assets", StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")
