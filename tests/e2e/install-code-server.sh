#!/usr/bin/env bash
# Installs code-server (VS Code in the browser; 4.99.4 = VS Code 1.99.3 on Node 20) into a cache
# folder for the browser end-to-end tests (tests/e2e/run-e2e.mjs), using only the npm registry and
# Debian's packages: the native modules are built here from source against the system Node's
# headers, and ripgrep and Chromium come from Debian instead of the binaries code-server's and
# playwright's install steps would fetch.
#
# Usage: tests/e2e/install-code-server.sh [CACHE]
#   CACHE defaults to $ZORGTOETS_E2E_CACHE, else ~/.cache/zorgtoets. The install goes to
#   CACHE/code-server-<version>/ and is reused by later runs on the same machine (the marker file
#   .installed-<version> is written last, so an interrupted install is redone, not trusted).
#   Prints the entry point: CACHE/code-server-<version>/node_modules/code-server/out/node/entry.js
# Needs root for apt-get when a Debian package is missing. Takes a few minutes on a 2-core machine.
set -euo pipefail
cache=${1:-${ZORGTOETS_E2E_CACHE:-$HOME/.cache/zorgtoets}}
version=${CODE_SERVER_VERSION:-4.99.4}
dir=$cache/code-server-$version
entry=$dir/node_modules/code-server/out/node/entry.js
log=$cache/install-$version.log

mkdir -p "$cache"
# One install at a time per cache folder (two test runs starting together share the result).
exec 9>"$cache/.install-$version.lock"
flock 9
if [[ -f $dir/.installed-$version && -f $entry ]]; then echo "$entry"; exit 0; fi

echo "e2e: installing code-server $version into $dir (log: $log)" >&2
start=$(date +%s)
: >"$log"
step() { echo "e2e: $*" >&2; echo "== $*" >>"$log"; }

# Debian packages: build headers for the native modules, ripgrep (search), Chromium (the browser
# the tests drive), make/g++/python3 for node-gyp.
need=()
for p in build-essential python3 libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if ((${#need[@]})); then
  step "apt-get install ${need[*]}"
  apt-get update -qq >>"$log" 2>&1
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >>"$log" 2>&1
fi

# node-gyp must build against the installed Node's headers: it cannot download them here.
node_prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
if [[ -z ${npm_config_nodedir:-} && -f $node_prefix/include/node/common.gypi ]]; then export npm_config_nodedir=$node_prefix; fi

rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
npm init -y >>"$log" 2>&1
step "npm install code-server@$version"
npm install "code-server@$version" --ignore-scripts --no-audit --no-fund >>"$log" 2>&1
vs=$dir/node_modules/code-server/lib/vscode
step "npm install (VS Code's own dependencies)"
(cd "$vs" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >>"$log" 2>&1)
mkdir -p "$vs/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vs/node_modules/@vscode/ripgrep/bin/rg"
for m in @parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty; do
  [[ -d $vs/node_modules/$m ]] || continue
  step "node-gyp rebuild $m"
  (cd "$vs/node_modules/$m" && npx --yes node-gyp rebuild >>"$log" 2>&1) || { echo "e2e: the build of $m failed; see $log" >&2; exit 1; }
done
step "argon2 (password hashing; built, though the tests run with --auth none)"
(cd "$dir/node_modules/argon2" && npx --yes node-pre-gyp install --fallback-to-build >>"$log" 2>&1)
# What code-server's postinstall would have done.
ln -sfn node_modules "$vs/node_modules.asar"
(cd "$vs/bin/remote-cli" && ln -sf code-linux.sh code-server)
(cd "$vs/bin/helpers" && ln -sf browser-linux.sh browser.sh)
step "npm install (built-in extensions)"
(cd "$vs/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund >>"$log" 2>&1)
node "$entry" --version >>"$log" 2>&1
touch "$dir/.installed-$version"
echo "e2e: code-server $version installed in $(($(date +%s) - start)) s" >&2
echo "$entry"
