#!/usr/bin/env bash
# Installs moto in server mode (PyPI 'moto[server]', pinned) into a venv under the CI cache (scripts/ci/lib.sh's
# CACHE_DIR: outside the work tree, which jest, tsc and eslint crawl) and prints the path of its moto_server.
# The jest tests that need S3/SQS (test/servers/moto.ts) start that binary themselves, on a free loopback port, and
# stop it after; they find it through MOTO_SERVER, this venv, or PATH, and fail (never skip) when there is none.
#   eval "$(bash scripts/ci/moto.sh --export)"   # sets MOTO_SERVER in the calling shell
#   bash scripts/ci/moto.sh --ensure             # the test task's first step: nothing to do when a moto_server is found
#                                                # ($MOTO_SERVER, this venv, PATH); else installs it, saying so
# Needs python3 with its venv module (and pip's access to PyPI); without them it fails with one line saying so.
source "$(dirname "$0")/lib.sh"

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
venv="$CACHE_DIR/venv-moto"
mode="${1:-}"

if [ "$mode" = "--ensure" ]; then
  if [ -n "${MOTO_SERVER:-}" ] && [ -x "$MOTO_SERVER" ]; then echo "moto: using \$MOTO_SERVER ($MOTO_SERVER)"; exit 0; fi
  if [ -x "$venv/bin/moto_server" ]; then echo "moto: using $venv/bin/moto_server"; exit 0; fi
  if command -v moto_server > /dev/null; then echo "moto: using $(command -v moto_server) (PATH)"; exit 0; fi
fi

installed() {
  "$venv/bin/python" -c "import moto, sys; sys.exit(0 if moto.__version__ == '$MOTO_VERSION' else 1)" 2>/dev/null \
    && [ -x "$venv/bin/moto_server" ]
}
if ! installed; then
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "moto: cannot install moto_server for the tests: python3 with its venv module is needed" \
      "(Debian/Ubuntu: apt-get install python3-venv), or set MOTO_SERVER to a moto_server binary" >&2
    exit 1
  fi
  echo "moto: installing moto[server]==$MOTO_VERSION into $venv (python3 -m venv + pip, once; the tests that need" \
    "S3/SQS/DynamoDB/EventBridge start it themselves)" >&2
  start=$(date +%s)
  python3 -m venv --clear "$venv" >&2
  # pip's own cache (~/.cache/pip) makes a second install fast.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2 \
    || { echo "moto: pip install moto[server]==$MOTO_VERSION failed (see above)" >&2; exit 1; }
  echo "moto: installed in $(( $(date +%s) - start ))s" >&2
fi
"$venv/bin/python" -c "import moto; print('moto', moto.__version__)" >&2
if [ "$mode" = "--export" ]; then
  echo "export MOTO_SERVER='$venv/bin/moto_server'"
elif [ "$mode" != "--ensure" ]; then
  echo "$venv/bin/moto_server"
fi
