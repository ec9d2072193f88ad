# syntax=docker/dockerfile:1
# snitflow: one image for the API and the worker (the command picks which).
#   docker build -t snitflow .
#   docker run snitflow                                              # the API (default command)
#   docker run snitflow node dist/apps/worker/src/main.js            # a worker
#   docker run snitflow node dist/scripts/start.js --prepare-only    # create, migrate, seed, exit

# ── build: install everything, compile once, keep only the runtime dependencies ──
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The project expects npm 11 (README); node:20 ships npm 10.
RUN npm install -g npm@11
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# ── runtime: the compiled code and production dependencies, run as the unprivileged user ──
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
# API (PORT) and the worker's health and metrics (WORKER_HEALTH_PORT).
EXPOSE 3000 3001
CMD ["node", "dist/apps/api/src/main.js"]
