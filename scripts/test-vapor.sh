#!/usr/bin/env bash
# Builds and tests Integrations/HeedVapor, Heed's server for Vapor 4 apps (`app.servers.use(.heed)`).
#
# It is a separate package so that Heed's own build and CI stay free of Vapor; this script is not part of
# .ci/run. The first build compiles Vapor and its dependencies (BoringSSL among them): about 10 minutes on
# 2 cores. Later runs reuse Integrations/HeedVapor/.build.
#
# Usage: scripts/test-vapor.sh [swift test options, e.g. --filter HeedVaporRoundTripTests]
set -euo pipefail
cd "$(dirname "$0")/.."
package=Integrations/HeedVapor

echo "test-vapor: swift format lint"
swift format lint --strict --parallel --recursive "$package/Package.swift" "$package/Sources" "$package/Tests"

echo "test-vapor: build"
swift build --build-tests --package-path "$package"

echo "test-vapor: test"
swift test --skip-build --package-path "$package" "$@"
