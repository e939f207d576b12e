// Shared by the client scripts: an Apollo Client whose every HTTP exchange is
// recorded, so the Python test can check what went over the wire.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";

export const exchanges = [];

async function recordingFetch(url, init) {
  const method = (init?.method ?? "GET").toUpperCase();
  const sent = method === "GET"
    ? Object.fromEntries(new URL(url).searchParams)
    : JSON.parse(init.body);
  const extensions = typeof sent.extensions === "string" ? JSON.parse(sent.extensions) : sent.extensions;
  const response = await fetch(url, init);
  const text = await response.clone().text();
  exchanges.push({
    method,
    operationName: sent.operationName ?? null,
    sentQuery: typeof sent.query === "string",
    sentHash: extensions?.persistedQuery?.sha256Hash ?? null,
    accept: new Headers(init?.headers).get("accept"),
    status: response.status,
    contentType: response.headers.get("content-type"),
    codes: (JSON.parse(text).errors ?? []).map((error) => error.extensions?.code),
  });
  return response;
}

export function makeClient(url, { persisted, token = () => null }) {
  const auth = new SetContextLink((prevContext) => {
    const value = token();
    return value ? { headers: { ...prevContext.headers, authorization: `Bearer ${value}` } } : {};
  });
  const http = new HttpLink({ uri: url, fetch: recordingFetch });
  return new ApolloClient({
    link: ApolloLink.from([auth, ...(persisted ? [persisted] : []), http]),
    cache: new InMemoryCache(),
    defaultOptions: { query: { fetchPolicy: "no-cache" } },
  });
}

export async function readOperation(path) {
  const { readFile } = await import("node:fs/promises");
  const { gql } = await import("@apollo/client");
  return gql(await readFile(path, "utf8"));
}

// Runs `step`, recording its outcome (data, or the error's codes) under `name`.
export async function outcome(name, step) {
  try {
    const result = await step();
    return { name, data: result.data ?? null, error: null };
  } catch (error) {
    const codes = (error.errors ?? []).map((e) => e.extensions?.code);
    return { name, data: null, error: { name: error.name, message: error.message, codes } };
  }
}
