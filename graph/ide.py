"""GraphiQL at GET /graphql, from the app's own files and opening on this API's first steps.

Strawberry's page loads React and GraphiQL from a public CDN and runs an inline
script; this one loads the same versions from /static (static/vendor/), keeps its
code in static/graphiql/planner-graphiql.js, and is served under a policy that
allows only the app's origin (graph/page_security.py). The default document and
headers travel in a JSON data block, which browsers never execute.
"""

import json
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse

from graph.page_security import secured_page
from graph.static_files import static_url, vendored_url

# What a newcomer runs first; tests/graph/test_ide.py validates it against the schema.
FIRST_STEPS = """\
# Welcome to the Planner API.
#
# 1. Run SignUp: press the run button (or
#    Ctrl-Enter) and pick SignUp. The
#    accessToken it returns goes into the
#    Headers pane below by itself.
#    Next time, run SignIn instead.
# 2. Run CreateEvent, then Events: they
#    send that Authorization header.
#
# Ctrl-Space completes names; the Docs
# button (top left) describes every type.

mutation SignUp {
  signUp(email: "you@example.com", password: "correct horse battery") {
    accessToken
    expiresIn
    refreshToken
    user { id email }
  }
}

mutation SignIn {
  signIn(email: "you@example.com", password: "correct horse battery") {
    accessToken
    expiresIn
    refreshToken
  }
}

mutation CreateEvent {
  createEvent(input: {
    title: "Team lunch"
    startsAt: "2030-06-01T12:00:00Z"
    tags: ["food"]
  }) {
    id
    title
    startsAt
  }
}

query Events {
  events(first: 10) {
    totalCount
    edges {
      node { id title startsAt location tags creator { email } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

# The one <style> GraphiQL adds itself: its menus (Radix, react-remove-scroll) lock
# page scrolling while open. Its text depends only on the scrollbar width, which is 0
# on this page (the body never scrolls), so one hash allows it. The browser test
# fails on any refusal the policy causes, e.g. after a GraphiQL upgrade changes it.
GRAPHIQL_STYLE_HASHES = ("'sha256-Y/huXlwoYkVyQlxwSVcCi1RCDGDCSVBzDt0hYP9qlTc='",)

AUTHORIZATION_PLACEHOLDER = "Bearer <paste accessToken here>"
DEFAULT_HEADERS = json.dumps({"Authorization": AUTHORIZATION_PLACEHOLDER}, indent=2)

_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Planner GraphiQL</title>
    <link rel="stylesheet" href="{graphiql_css}">
    <link rel="stylesheet" href="{explorer_css}">
    <link rel="stylesheet" href="{planner_css}">
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL from {static_root}...</div>
    <script type="application/json" id="planner-graphiql-defaults">{defaults}</script>
    <script src="{react}"></script>
    <script src="{react_dom}"></script>
    <script src="{graphiql}"></script>
    <script src="{explorer}"></script>
    <script src="{planner_js}"></script>
  </body>
</html>
"""


def json_for_html(value: object) -> str:
    """JSON that cannot end the <script> element it sits in."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def graphiql_html(request: Request) -> str:
    def vendored(package: str, path: str) -> str:
        return escape(vendored_url(request, package, path))

    defaults = {"query": FIRST_STEPS, "headers": DEFAULT_HEADERS}
    return _PAGE.format(
        graphiql_css=vendored("graphiql", "graphiql.min.css"),
        explorer_css=vendored("@graphiql/plugin-explorer", "dist/style.css"),
        planner_css=escape(static_url(request, "graphiql/planner-graphiql.css")),
        static_root=escape(static_url(request, "")),
        defaults=json_for_html(defaults),
        react=vendored("react", "umd/react.production.min.js"),
        react_dom=vendored("react-dom", "umd/react-dom.production.min.js"),
        graphiql=vendored("graphiql", "graphiql.min.js"),
        explorer=vendored("@graphiql/plugin-explorer", "dist/index.umd.js"),
        planner_js=escape(static_url(request, "graphiql/planner-graphiql.js")),
    )


def graphiql_page(request: Request) -> HTMLResponse:
    return secured_page(graphiql_html(request), GRAPHIQL_STYLE_HASHES)
