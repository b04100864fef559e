# The open-bedrock server as a container image. The first stage builds with
# the full toolchain; the image itself is distroless Node 20 (no shell, no
# package manager) with the production dependencies only, run as a non-root
# user. test/deploy/dockerfile.test.ts runs these very steps without Docker.
#
#   docker build -t open-bedrock .
#   docker run -p 8000:8000 -e API_KEY=... -e OPENAI_API_KEY=... open-bedrock

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY gen ./gen
COPY src ./src
RUN npm run build
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs20-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8000
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# distroless' nonroot user, by number, so Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
EXPOSE 8000
# No shell in the image: the probe is a node script (GET /health/ready on PORT).
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 CMD ["/nodejs/bin/node", "dist/src/health-probe.js"]
ENTRYPOINT ["/nodejs/bin/node", "dist/src/cli/main.js"]
CMD ["serve"]
