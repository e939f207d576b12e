// A subscriber over HTTP as a frontend writes one with Apollo Client 4: HttpLink alone
// (it streams subscriptions as multipart/mixed;subscriptionSpec=1.0), the token added
// to every operation by a SetContextLink. The first token expires while the stream is
// open: the server ends the stream with a last payload whose error is "Token
// expired"; the app then subscribes again, with the next token, and the changes keep
// arriving. A token the server refuses gets the query's message.
// Usage: node http_live.mjs <config JSON>; config: {httpUrl, tokens: [first, next],
// refusedToken, hostToken, eventId}. Prints what happened as JSON.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";

const config = JSON.parse(process.argv[2]);
const SUBSCRIPTION = gql`
  subscription ($id: ID!) {
    eventChanged(id: $id) { kind eventId event { title } }
  }
`;
const UPDATE = `mutation($id: ID!, $input: UpdateEventInput!) {
  updateEvent(id: $id, input: $input) { id }
}`;

let token = config.tokens[0];
const deliveries = [];
// Each end of a subscription: the errors it ended with (message and code), or "complete".
const ends = [];
const waiters = [];

function changed() {
  for (const waiter of waiters.splice(0)) waiter();
}

function until(check, seconds, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), seconds * 1000);
    const test = () => {
      if (check()) {
        clearTimeout(timer);
        resolve();
      } else {
        waiters.push(test);
      }
    };
    test();
  });
}

const auth = new SetContextLink((previous) => ({
  headers: { ...previous.headers, Authorization: `Bearer ${token}` },
}));
const client = new ApolloClient({
  link: ApolloLink.from([auth, new HttpLink({ uri: config.httpUrl })]),
  cache: new InMemoryCache(),
});

function describe(error) {
  const errors = error?.errors ?? [];
  if (errors.length === 0) return [{ message: String(error?.message ?? error), code: null }];
  return errors.map((e) => ({ message: e.message, code: e.extensions?.code ?? null }));
}

function subscribe() {
  return client
    .subscribe({ query: SUBSCRIPTION, variables: { id: config.eventId } })
    .subscribe({
      next: (result) => {
        // Apollo Client 4 hands GraphQL errors to `next` as `error`.
        if (result.error) {
          ends.push(describe(result.error));
        } else if (result.data?.eventChanged) {
          const change = result.data.eventChanged;
          deliveries.push({ kind: change.kind, eventId: change.eventId, title: change.event?.title ?? null });
        }
        changed();
      },
      error: (error) => {
        ends.push(describe(error));
        changed();
      },
      complete: () => {
        ends.push("complete");
        changed();
      },
    });
}

async function update(title) {
  const response = await fetch(config.httpUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${config.hostToken}` },
    body: JSON.stringify({ query: UPDATE, variables: { id: config.eventId, input: { title } } }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

// A change is made until the subscriber sees it: the stream may not be registered yet.
async function changeUntilSeen(title) {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await update(title);
    try {
      await until(() => deliveries.some((d) => d.title === title), 1, `a delivery of ${title}`);
      return;
    } catch {
      // not seen yet: change again
    }
  }
  throw new Error(`${title} never arrived`);
}

let failure = null;
let refused = null;
let subscription = null;
try {
  subscription = subscribe();
  await changeUntilSeen("before expiry");
  await until(() => ends.length >= 1, 30, "the server ending the stream");
  // What an app does on "Token expired": refresh (here: the next token), subscribe again.
  token = config.tokens[1];
  subscription.unsubscribe();
  subscription = subscribe();
  await changeUntilSeen("after resubscribing");
  subscription.unsubscribe();
  subscription = null;

  token = config.refusedToken;
  const before = ends.length;
  subscription = subscribe();
  await until(() => ends.length > before, 15, "the refusal");
  refused = ends[before];
} catch (error) {
  failure = String(error?.message ?? error);
}
subscription?.unsubscribe();
client.stop();
console.log(JSON.stringify({ deliveries, ends, refused, failure }));
process.exit(0);
