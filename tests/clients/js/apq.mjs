// Apollo Client 4 with the persisted-queries link against a real server: each
// operation is first sent by hash, sent again with its document when the server
// does not know the hash, and by hash only from then on; over POST, then over GET.
// Usage: node apq.mjs <graphql url> <operations dir>; prints what happened as JSON.
import { createHash } from "node:crypto";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { exchanges, makeClient, outcome, readOperation } from "./client.mjs";

const [url, operations] = process.argv.slice(2);
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const op = (name) => readOperation(`${operations}/${name}.graphql`);

let token = null;
const post = makeClient(url, { persisted: new PersistedQueryLink({ sha256 }), token: () => token });
const get = makeClient(url, {
  persisted: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }),
  token: () => token,
});

const steps = [];
const signUpDocument = await op("SignUp");
const signUp = await outcome("signUp", () =>
  post.mutate({
    mutation: signUpDocument,
    variables: { email: `apq-${Date.now()}@example.com`, password: "correct horse" },
  }),
);
steps.push(signUp);
token = signUp.data?.signUp?.accessToken ?? null;
const create = await op("CreateEvent");
for (const title of ["First", "Second"]) {
  steps.push(await outcome(`create ${title}`, () =>
    post.mutate({ mutation: create, variables: { input: { title } } })));
}
const me = await op("Me");
steps.push(await outcome("me over POST", () => post.query({ query: me })));
steps.push(await outcome("me over POST again", () => post.query({ query: me })));
const events = await op("Events");
steps.push(await outcome("events over GET", () => get.query({ query: events, variables: { first: 5 } })));
steps.push(await outcome("events over GET again", () => get.query({ query: events, variables: { first: 5 } })));
steps.push(await outcome("me over GET", () => get.query({ query: me })));
console.log(JSON.stringify({ steps, exchanges }));
