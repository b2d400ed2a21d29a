# syntax=docker/dockerfile:1
# The service in a container: `docker build -t jira-teams .` then
# `docker run -p 3978:3978 --env-file .env.local -v jira-data:/app/data jira-teams`.

# Shared base: the Node 22 LTS image the service runs on.
FROM node:22-bookworm-slim AS base
WORKDIR /app

# Compilers for native modules (better-sqlite3) when no prebuilt binary fits the platform.
FROM base AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The workspaces' manifests alone, so dependency layers are rebuilt only when they change.
COPY package.json package-lock.json .npmrc ./
COPY bot/package.json bot/
COPY tab/package.json tab/
COPY dev/jira-sim/package.json dev/jira-sim/
COPY dev/bot-connector-emu/package.json dev/bot-connector-emu/
COPY dev/entra-emu/package.json dev/entra-emu/
COPY dev/teams-host-emu/package.json dev/teams-host-emu/
COPY dev/teams-client/package.json dev/teams-client/

# Compile TypeScript with the full dev toolchain.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY bot/src bot/src
# The grooming tab: a static bundle the bot serves at /tab/ (see docs/tab-api.md).
COPY tab/index.html tab/tsconfig.json tab/vite.config.mts tab/
COPY tab/src tab/src
RUN npm run build:tab
# tsconfig.build.json emits the bot into bot/dist, so Node resolves bot/node_modules first: it
# holds the versions the bot declares where they differ from the hoisted ones (zod 4 beside
# botbuilder's zod 3).
RUN npm run build

# Production dependencies only. They are installed here, where the compilers are, and copied
# into the runtime stage, which then needs no compiler at all.
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM base AS runtime
ENV NODE_ENV=production \
    PORT=3978 \
    DATA_DIR=/app/data
COPY --from=prod-deps --chown=node:node /app/package.json ./
COPY --from=prod-deps --chown=node:node /app/node_modules node_modules
COPY --from=prod-deps --chown=node:node /app/bot bot
COPY --from=build --chown=node:node /app/bot/dist bot/dist
COPY --from=build --chown=node:node /app/tab/dist tab/dist
# SQLite (the default store) writes here; mount a volume to keep it across containers.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# V8's heap: with no ceiling, on a host with a few GB V8 lets the old generation grow to 4x its live
# size between full collections, so a burst of unfurls and webhooks leaves garbage resident (the
# bench's "service memory" measure: 336 MB peak for a live heap of about 65 MB). A ceiling under
# V8's default makes it grow by about 1.3x instead and collect before half-way to the ceiling;
# 256 MB is four times the live heap under that load, so raise it only if the log ever says
# "JavaScript heap out of memory". 8 MB semi-spaces (V8's default is 16) halve the young
# generation's resident pages for about twice as many quick scavenges. infra/azure.bicep's
# appCommandLine is this same command (test/infra/dockerfile.test.ts).
CMD ["node", "--max-old-space-size=256", "--max-semi-space-size=8", "bot/dist/index.js"]
