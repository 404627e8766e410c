# The gateway as a container image (docs/deployment.md):
#   docker build -t switchboard .
#   docker run -p 4000:4000 -v switchboard-data:/data -e SWITCHBOARD_CONFIG=/etc/switchboard/switchboard.yaml \
#     -v ./switchboard.yaml:/etc/switchboard/switchboard.yaml:ro switchboard
# Build stage: the .NET SDK restores and publishes (framework-dependent, ReadyToRun for a quick start).
# It runs on the build machine's platform and compiles for the target's (docker buildx --platform linux/arm64,...).
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# Restore first, from the project files alone, so a source change does not download the packages again.
COPY Directory.Build.props Directory.Packages.props global.json ./
COPY src/Switchboard/Switchboard.csproj src/Switchboard/
COPY src/Switchboard.Core/Switchboard.Core.csproj src/Switchboard.Core/
COPY src/Switchboard.Config/Switchboard.Config.csproj src/Switchboard.Config/
COPY src/Switchboard.Storage/Switchboard.Storage.csproj src/Switchboard.Storage/
RUN dotnet restore src/Switchboard/Switchboard.csproj -a $TARGETARCH -p:PublishReadyToRun=true
COPY README.md ./
COPY src/ src/
RUN dotnet publish src/Switchboard/Switchboard.csproj -c Release -a $TARGETARCH --self-contained false --no-restore \
      -p:PublishReadyToRun=true -p:DebugType=none -o /app \
 && mkdir -p /data

# Runtime stage: ASP.NET Core runtime only (Ubuntu chiseled: no shell, no package manager, runs as the non-root
# user "app"). The health check is the gateway's own `health` verb, so the image needs no curl.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
COPY --from=build /app /app
COPY --from=build --chown=$APP_UID:$APP_UID /data /data
# The gateway keeps ./data/ under its working directory: from / that is the /data volume.
WORKDIR /
VOLUME /data
USER $APP_UID
# The gateway chooses its own address (--host/--port); the base image's port variable would only produce a warning.
ENV ASPNETCORE_HTTP_PORTS=
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["/app/Switchboard", "health", "--port", "4000"]
ENTRYPOINT ["/app/Switchboard"]
CMD ["serve", "--host", "0.0.0.0", "--port", "4000"]
