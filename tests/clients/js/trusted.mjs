// Apollo Client 4 against a server running with trusted documents: the operations in
// the manifest (made by @apollo/generate-persisted-query-manifest) run by id, over
// POST and GET; anything else, sent in full, is refused.
// Usage: node trusted.mjs <graphql url> <manifest.json> <operations dir>; prints JSON.
import { readFile } from "node:fs/promises";
import { HttpLink, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
import { exchanges, makeClient, outcome, readOperation } from "./client.mjs";

const [url, manifestPath, operations] = process.argv.slice(2);
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
const ids = () => generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest });
const op = (name) => readOperation(`${operations}/${name}.graphql`);

let token = null;
const post = makeClient(url, { persisted: new PersistedQueryLink(ids()), token: () => token });
const get = makeClient(url, {
  persisted: new PersistedQueryLink({ ...ids(), useGETForHashedQueries: true }),
  token: () => token,
});
const plain = makeClient(url, { token: () => token });

const steps = [];
const signUpDocument = await op("SignUp");
const signUp = await outcome("signUp", () =>
  post.mutate({
    mutation: signUpDocument,
    variables: { email: `trusted-${Date.now()}@example.com`, password: "correct horse" },
  }),
);
steps.push(signUp);
token = signUp.data?.signUp?.accessToken ?? null;
steps.push(await outcome("create", async () =>
  post.mutate({ mutation: await op("CreateEvent"), variables: { input: { title: "Trusted" } } })));
steps.push(await outcome("me by id over POST", async () => post.query({ query: await op("Me") })));
steps.push(await outcome("events by id over GET", async () =>
  get.query({ query: await op("Events"), variables: { first: 5 } })));
steps.push(await outcome("a document not in the manifest", () =>
  plain.query({ query: gql`query Other { events(first: 1) { totalCount } }` })));
steps.push(await outcome("a manifest operation sent in full", async () =>
  plain.query({ query: await op("Me") })));
console.log(JSON.stringify({ steps, exchanges }));
