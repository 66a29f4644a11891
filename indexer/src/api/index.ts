/**
 * The read API: GraphQL over every table at /graphql (and /), and SQL over HTTP at /sql/* for `@ponder/client`
 * (read-only queries against the same tables). Ponder adds /health, /ready, /status and /metrics itself.
 */
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

const app = new Hono();

app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));
app.use("/", graphql({ db, schema }));

export default app;
