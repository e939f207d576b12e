// Planner's GraphiQL (served by graph/ide.py): Strawberry's page, with every file
// from this origin and no inline code, opening on the API's first steps.
//
// A token that a mutation returns (signUp, signIn, refreshToken, changePassword:
// any root field whose result has an accessToken) is put into the Headers pane as
// "Authorization: Bearer <token>", replacing the one there and keeping other headers.
(function () {
  "use strict";

  const defaults = JSON.parse(
    document.getElementById("planner-graphiql-defaults").textContent,
  );
  const fetchURL = window.location.href.split(/[?#]/)[0];

  function webSocketURL(url) {
    const parsed = new URL(url);
    parsed.protocol = parsed.protocol === "http:" ? "ws:" : "wss:";
    return parsed.toString();
  }

  const httpFetcher = GraphiQL.createFetcher({
    url: fetchURL,
    subscriptionUrl: webSocketURL(fetchURL),
  });

  function accessTokenIn(result) {
    const data = result && typeof result === "object" ? result.data : null;
    if (!data || typeof data !== "object") {
      return null;
    }
    for (const value of Object.values(data)) {
      if (value && typeof value.accessToken === "string") {
        return value.accessToken;
      }
    }
    return null;
  }

  function withToken(headersText, token) {
    let headers = {};
    try {
      const parsed = JSON.parse(headersText || "{}");
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        headers = parsed;
      }
    } catch (error) {
      // Not JSON (being edited): replaced by a valid one with the token.
    }
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === "authorization") {
        delete headers[name];
      }
    }
    headers.Authorization = "Bearer " + token;
    return JSON.stringify(headers, null, 2);
  }

  let tokenArrived = function () {};

  function noteToken(result) {
    const token = accessTokenIn(result);
    if (token) {
      tokenArrived(token);
    }
  }

  async function* watched(parts) {
    for await (const part of parts) {
      noteToken(part);
      yield part;
    }
  }

  // GraphiQL awaits what a fetcher returns, and takes a result or a stream of
  // them (createFetcher answers with a stream, for incremental delivery).
  async function fetcher(params, options) {
    const result = await httpFetcher(params, options);
    if (result && typeof result[Symbol.asyncIterator] === "function") {
      return watched(result);
    }
    noteToken(result);
    return result;
  }

  const explorer = GraphiQLPluginExplorer.explorerPlugin();

  function PlannerGraphiQL() {
    const [headers, setHeaders] = React.useState(defaults.headers);
    tokenArrived = function (token) {
      setHeaders(function (current) {
        return withToken(current, token);
      });
    };
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaults.query,
      headers: headers,
      onEditHeaders: setHeaders,
      defaultEditorToolsVisibility: "headers",
      isHeadersEditorEnabled: true,
      // Tokens stay out of localStorage: a reload asks for a new sign-in.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
      plugins: [explorer],
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(PlannerGraphiQL),
  );
})();
