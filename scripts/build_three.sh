#!/usr/bin/env bash
# Rebuild demo/static/three.min.js, the part of three.js (MIT, from npm) that the app's synchronised 3D view
# uses, as one minified ES module served from the app's own files (no CDN). Needs node and npm.
set -euo pipefail
THREE_VERSION=0.187.0
ESBUILD_VERSION=0.25.0
here="$(cd "$(dirname "$0")" && pwd)"
static="$here/../demo/static"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
echo '{"name": "mixermdm-three-build", "private": true}' > package.json
npm install --no-audit --no-fund --silent "three@$THREE_VERSION" "esbuild@$ESBUILD_VERSION"
cp "$here/three-entry.js" entry.js
./node_modules/.bin/esbuild entry.js --bundle --minify --format=esm --legal-comments=inline \
  --outfile="$static/three.min.js"
cp node_modules/three/LICENSE "$static/three.LICENSE"
echo "three.js $THREE_VERSION -> $static/three.min.js ($(wc -c < "$static/three.min.js") bytes)"
