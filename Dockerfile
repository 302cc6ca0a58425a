# syntax=docker/dockerfile:1
# The Mesh Meet app image (the `app` service of docker-compose.yml): build the
# web app and the server in one stage, ship only what runs in the last.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: every dependency, then `nx build` of web and server ------------------------
FROM ${NODE_IMAGE} AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
WORKDIR /src
# The lock decides the versions. `npm install`, not `npm ci` (README: ci rejects
# locks that lack other platforms' optional binaries). No install scripts: the
# native parts (esbuild, better-sqlite3, nx) ship prebuilt binaries.
COPY package.json package-lock.json ./
RUN npm install --ignore-scripts --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p server web

# --- runtime dependencies only ------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- what runs ------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    WEB_DIR=/app/dist/apps/web/browser
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /src/dist/apps/server ./dist/apps/server
COPY --from=build /src/dist/apps/web/browser ./dist/apps/web/browser
COPY package.json ./
COPY deploy/healthcheck.mjs ./healthcheck.mjs
# The node image's unprivileged user; it owns nothing but the data directory.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
# SIGTERM reaches node directly (exec form): it closes sockets and attendance rows.
# The Node options are apps/server/node-args.json's (a spec holds the two together;
# why these: docs/performance.md).
CMD ["node", "--max-semi-space-size=8", "dist/apps/server/main.js"]
