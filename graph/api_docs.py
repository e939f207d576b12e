"""/docs: Swagger UI from the app's own files, under the pages' Content-Security-Policy.

FastAPI's documented way to self-host it: the app is built with docs_url=None and
this route serves get_swagger_ui_html() with the vendored script and style sheet
(static/vendor/swagger-ui-dist@<version>/). Its one inline script is allowed by its
hash. ReDoc (/redoc) is off: it would load from a CDN.
"""

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse

from graph.page_security import secured_page
from graph.static_files import mount_static_files, vendored_url

DOCS_PATH = "/docs"
SWAGGER = "swagger-ui-dist"


def add_browser_pages(app: FastAPI) -> None:
    """/docs, and /static with the files it and GraphiQL (graph/ide.py) load."""
    mount_static_files(app)

    @app.get(DOCS_PATH, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - API docs",
            swagger_js_url=vendored_url(request, SWAGGER, "swagger-ui-bundle.js"),
            swagger_css_url=vendored_url(request, SWAGGER, "swagger-ui.css"),
            swagger_favicon_url=vendored_url(request, SWAGGER, "favicon-32x32.png"),
            oauth2_redirect_url=None,  # the password flow needs no redirect page
            # Swagger UI's default validator is a public web service.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": False},
        )
        return secured_page(bytes(page.body).decode())
