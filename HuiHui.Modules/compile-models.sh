#!/usr/bin/env bash
# Regenerates every module context's compiled EF model (<Module>/Data/CompiledModel) after an entity or mapping changed,
# and makes the generated classes internal (the module rules: nothing public outside Contracts).
# HuiHui.Tests/Persistence/CompiledModelTests fails while one is stale. docs/architecture.md, "Migrations".
#   HuiHui.Modules/compile-models.sh [Context ...]     (all six by default, e.g. LearningDbContext)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet tool restore >/dev/null
contexts=("$@")
[ ${#contexts[@]} -gt 0 ] || contexts=(IngestionDbContext ExpertsDbContext EducationDbContext LearningDbContext MonitoringDbContext ClusterDbContext)
dotnet build HuiHui.Modules -v q -nologo >/dev/null
for context in "${contexts[@]}"; do
  module="${context%DbContext}"
  [ -d "HuiHui.Modules/$module/Data" ] || { echo "compile-models: no module folder HuiHui.Modules/$module/Data for $context" >&2; exit 2; }
  rm -rf "HuiHui.Modules/$module/Data/CompiledModel"
  dotnet ef dbcontext optimize --no-build --project HuiHui.Modules --startup-project HuiHui.Modules --context "$context" \
    --output-dir "$module/Data/CompiledModel" --namespace "HuiHui.Modules.$module.Data.CompiledModel" >/dev/null
  sed -i 's/^    public partial class /    internal partial class /' "HuiHui.Modules/$module/Data/CompiledModel/"*.cs
  echo "compile-models: $context -> HuiHui.Modules/$module/Data/CompiledModel"
done
