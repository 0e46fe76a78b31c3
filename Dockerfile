# syntax=docker/dockerfile:1
# Multi-stage build of Moxxie.Web. Run:  docker build -t moxxie . && docker run -p 8080:8080 -v moxxie-data:/data moxxie
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, on the project files only, so the layer is cached while sources change.
COPY Directory.Build.props Directory.Packages.props Moxxie.sln ./
COPY Moxxie.Core/Moxxie.Core.csproj Moxxie.Core/
COPY Moxxie.Infrastructure/Moxxie.Infrastructure.csproj Moxxie.Infrastructure/
COPY Moxxie.Simulator/Moxxie.Simulator.csproj Moxxie.Simulator/
COPY Moxxie.Web/Moxxie.Web.csproj Moxxie.Web/
COPY Moxxie.Web/Build/ Moxxie.Web/Build/
RUN dotnet restore Moxxie.Web/Moxxie.Web.csproj
COPY Moxxie.Core/ Moxxie.Core/
COPY Moxxie.Infrastructure/ Moxxie.Infrastructure/
COPY Moxxie.Simulator/ Moxxie.Simulator/
COPY Moxxie.Web/ Moxxie.Web/
RUN dotnet publish Moxxie.Web/Moxxie.Web.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only for the HEALTHCHECK (the aspnet image has none).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown app:app /data
WORKDIR /app
COPY --from=build --chown=app:app /app ./
# The aspnet images ship a non-root "app" user (UID 1654).
USER app
# Any address setting replaces Moxxie's default of http://localhost:8080 (which a container could not be reached on).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Moxxie__DataDirectory=/data \
    DOTNET_RUNNING_IN_CONTAINER=true
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "Moxxie.Web.dll"]
