# Gatehouse image: built with the development tools, run on a slim Node 22 LTS with the
# production dependencies only. The build stage runs exactly the npm commands that
# .ci/production-check runs in a clean copy of the repository (CI cannot build images):
# npm ci, npm run build, npm prune --omit=dev — keep the two the same.
#
#   docker build -t gatehouse .
#   docker run -p 3000:3000 -v gatehouse-var:/app/var gatehouse
ARG NODE_VERSION=22

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# Dependencies first, so a change to the code reuses this layer. The full image has the
# compiler and Python that sqlite3's native add-on needs when no prebuilt binary fits.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# docker build --build-arg VERSION=… --build-arg REVISION=$(git rev-parse HEAD) .
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="Gatehouse" \
      org.opencontainers.image.description="Identity provider: OpenID Connect, SCIM 2.0, invitations and licence seats" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENV NODE_ENV=production \
    PORT=3000 \
    VAR_DIR=/app/var
WORKDIR /app
# Code and dependencies belong to root and are read-only for the process; it writes only
# under var/ (the SQLite file, mail written without SMTP, uploads).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/var && chown node:node /app/var
USER node
VOLUME ["/app/var"]
EXPOSE 3000
# Ready means the database answers and the migrations are current.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 (not npm), so SIGTERM reaches the server's graceful stop.
CMD ["node", "--enable-source-maps", "dist/src/server.js"]
