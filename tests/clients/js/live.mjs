// A subscriber as a frontend writes one, against a real server: the graphql-ws client
// (alone, or under Apollo Client's GraphQLWsLink) watching one event with an async
// connectionParams that hands out the next token on every (re)connection. The first
// token expires while the socket is open: the server closes it with 4403 "Token
// expired", the client reconnects by itself with the next token, resubscribes, and
// the changes keep arriving.
// Usage: node live.mjs <graphql-ws|apollo> <config JSON>; config: {httpUrl, wsUrl,
// tokens: [first, next...], hostToken, eventId}. Prints what happened as JSON.
import { ApolloClient, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [mode, configText] = process.argv.slice(2);
const config = JSON.parse(configText);
const tokens = [...config.tokens];
const SUBSCRIPTION = `subscription($id: ID!) {
  eventChanged(id: $id) { kind eventId event { title } }
}`;
const UPDATE = `mutation($id: ID!, $input: UpdateEventInput!) {
  updateEvent(id: $id, input: $input) { id }
}`;

const closes = [];
const deliveries = [];
const errors = [];
let connects = 0;
let tokensGiven = 0;
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

const wsClient = createClient({
  url: config.wsUrl,
  webSocketImpl: WebSocket,
  // The documented way to refresh: a function called on every connection attempt.
  connectionParams: async () => {
    const token = tokens.length > 1 ? tokens.shift() : tokens[0];
    tokensGiven += 1;
    return { Authorization: `Bearer ${token}` };
  },
  retryAttempts: 5,
  retryWait: async () => new Promise((resolve) => setTimeout(resolve, 300)),
  on: {
    connected: () => {
      connects += 1;
      changed();
    },
    closed: (event) => {
      closes.push({ code: event.code, reason: event.reason });
      changed();
    },
  },
});

function onData(data) {
  const change = data?.eventChanged;
  if (change) deliveries.push({ kind: change.kind, eventId: change.eventId, title: change.event?.title ?? null });
  changed();
}

function onError(error) {
  errors.push(String(error?.message ?? error));
  changed();
}

if (mode === "apollo") {
  const client = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
  client
    .subscribe({ query: gql(SUBSCRIPTION), variables: { id: config.eventId } })
    .subscribe({ next: (result) => onData(result.data), error: onError });
} else {
  wsClient.subscribe(
    { query: SUBSCRIPTION, variables: { id: config.eventId } },
    { next: (result) => onData(result.data), error: onError, complete: () => {} },
  );
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

// A change is made until the subscriber sees it: the subscription may still be on
// its way to the server when the socket has just (re)connected.
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
try {
  await until(() => connects >= 1, 10, "the first connection");
  await changeUntilSeen("before expiry");
  await until(() => closes.length >= 1, 30, "the server closing the socket");
  await until(() => connects >= 2, 15, "a reconnection");
  await changeUntilSeen("after reconnecting");
} catch (error) {
  failure = String(error?.message ?? error);
}
await wsClient.dispose();
console.log(JSON.stringify({ mode, connects, tokensGiven, closes, deliveries, errors, failure }));
