# flightwatch worker image: multi-stage, production dependencies only, non-root, tini as PID 1.
# No `# syntax=` line: it makes BuildKit fetch a frontend image from a registry on every build.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The prepare script needs its own file; with no src/ yet it builds nothing.
COPY package.json package-lock.json ./
COPY scripts/build-if-stale.cjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Source maps and the incremental-build file serve a developer, not the image.
RUN npm run build && find dist -name '*.map' -delete && rm -f dist/.tsbuildinfo

# Production dependencies only (npm ci --omit=dev): no compiler, linters or test tools in the image.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/build-if-stale.cjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The runtime stage: node, tini, production node_modules, the compiled dist/, package.json (the version) and the
# shipped config. Nothing else from the repository (test/security/container.test.ts builds this same file list and
# starts the worker from it).
FROM node:20-bookworm-slim
# No redis-server in the image: REDIS_URL is required (FLIGHTWATCH_REDIS=external says so at start).
# FLIGHTWATCH_CONTAINER=1 makes the "no Redis" message advise REDIS_URL / compose rather than a package install.
ENV NODE_ENV=production PORT=8080 HTTP_HOST=0.0.0.0 FLIGHTWATCH_CONFIG=/app/config/flightwatch.yaml FLIGHTWATCH_REDIS=external FLIGHTWATCH_CONTAINER=1
# glibc malloc as `npm start` sets it (docs/operations.md, "Worker memory"): two arenas instead of one per thread,
# and large buffers mapped apart so they go back to the system when freed.
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
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
# OCI-format builds (podman, buildah) drop HEALTHCHECK: docker-compose.yml repeats it for the worker service.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-old-space-size=512", "--max-semi-space-size=2", "dist/cli/index.js", "worker"]
