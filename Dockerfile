# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm installs the hub's chart and SignalR libraries during the build (HuiHui.Host/package.json).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props HuiHui.sln appsettings.json .editorconfig ./
COPY HuiHui.Host/HuiHui.Host.csproj HuiHui.Host/
COPY HuiHui.Modules/HuiHui.Modules.csproj HuiHui.Modules/
RUN dotnet restore HuiHui.Host/HuiHui.Host.csproj
COPY HuiHui.Host/ HuiHui.Host/
COPY HuiHui.Modules/ HuiHui.Modules/
RUN dotnet publish HuiHui.Host/HuiHui.Host.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The starter education corpus, ingested on first start (HuiHui:Education:CorpusFolders, relative to /app).
COPY docs/corpus/ ./docs/corpus/
# The image's built-in unprivileged user; the cache's disk tier and the corpus live under /app/.data.
RUN mkdir -p /app/.data && chown -R app:app /app/.data
USER app
ENV ASPNETCORE_ENVIRONMENT=Production \
    Urls=http://0.0.0.0:8080 \
    HuiHui__Database__MigrateOnStartup=true \
    MALLOC_ARENA_MAX=2
EXPOSE 8080
# Probe /health/live (process up) and /health/ready (PostgreSQL reachable, schemas current) from the orchestrator.
ENTRYPOINT ["dotnet", "HuiHui.Host.dll"]
CMD ["run"]
