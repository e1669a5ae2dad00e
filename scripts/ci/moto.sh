#!/usr/bin/env bash
# Installs moto in server mode (PyPI 'moto[server]', pinned) into a venv under the CI cache (scripts/ci/lib.sh's
# CACHE_DIR: outside the work tree, which jest, tsc and eslint crawl) and prints the path of its moto_server.
# The jest tests that need S3/SQS (test/servers/moto.ts) start that binary themselves, on a free loopback port, and
# stop it after; they find it through MOTO_SERVER, this venv, or PATH, and fail (never skip) when there is none.
#   eval "$(bash scripts/ci/moto.sh --export)"   # sets MOTO_SERVER in the calling shell
source "$(dirname "$0")/lib.sh"

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
venv="$CACHE_DIR/venv-moto"
if ! "$venv/bin/python" -c "import moto, sys; sys.exit(0 if moto.__version__ == '$MOTO_VERSION' else 1)" 2>/dev/null \
  || [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv --clear "$venv" >&2
  # pip's own cache (~/.cache/pip) makes a second install fast.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
fi
"$venv/bin/python" -c "import moto; print('moto', moto.__version__)" >&2
if [ "${1:-}" = "--export" ]; then
  echo "export MOTO_SERVER='$venv/bin/moto_server'"
else
  echo "$venv/bin/moto_server"
fi
