# syntax=docker/dockerfile:1.7
# flightwatch worker image: multi-stage, production dependencies only, non-root, tini as PID 1.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
# No redis-server in the image: REDIS_URL is required (FLIGHTWATCH_REDIS=external says so at start).
ENV NODE_ENV=production PORT=8080 HTTP_HOST=0.0.0.0 FLIGHTWATCH_CONFIG=/app/config/flightwatch.yaml FLIGHTWATCH_REDIS=external
# tini forwards SIGTERM to node so in-flight jobs finish and the worker exits cleanly.
RUN apt-get update && apt-get install -y --no-install-recommends tini ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
RUN mkdir -p /app/data /app/outbox && chown -R node:node /app/data /app/outbox
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/cli/index.js", "worker"]
