#!/usr/bin/env bash
# Publish rehearsal: what the release workflow (.github/workflows/release.yml) does with dist/, against registries on
# 127.0.0.1 (nothing is published anywhere else), then each language's consumer app installed BY NAME AND VERSION from
# them, in a fresh folder outside the repository, synthesized, and its template compared with the TypeScript reference
# (scripts/ci/typescript-reference.sh), as test/consumers/* do:
#   npm    verdaccio (pinned) with the public registry as uplink for everything but this package; `publib-npm` (the
#          pinned publib of package.json, as the workflow runs it) publishes dist/js; a fresh app installs
#          cdk-mediapackage-vod@<version> by name and `npx cdk synth` synthesizes the consumer app.
#   PyPI   pypiserver (pinned); `twine check --strict` on every file of dist/python; `publib-pypi` uploads them (its own
#          `pip install --user twine<6.2.0` finds the pinned twine in a cached user base); the app's venv (cached, with
#          this package uninstalled first) installs cdk-mediapackage-vod==<version> with the local index first
#          (aws-cdk-lib from PyPI) and runs the consumer's pytest in a fresh folder.
#   Maven  a throwaway GPG key; `publib-maven` for Maven Central (MAVEN_SERVER_ID=central-ossrh) in dry-run mode shows
#          the commands it runs; its signing step (gpg:sign-and-deploy-file, same properties) then writes the jar, the
#          sources and javadoc jars and the POM with checksums and .asc signatures into a file:// repository (what
#          publib uploads to Central's staging API); every signature is verified with gpg and every checksum recomputed;
#          the POM has what Central requires (name, description, url, licenses, developers, scm); the consumer's Maven
#          project resolves io.github.cdk-mediapackage-vod:cdk-mediapackage-vod:<version> from that repository (a
#          dedicated local repository, purged of this artifact first) and runs its tests.
#   Go     `publib-golang` pushes dist/go to a local bare git repository (git url.<file>.insteadOf the GitHub URL, in a
#          git config of the rehearsal's own HOME); the consumer's Go module, without its replace directive, fetches
#          github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go/cdkmediapackagevod@v<version> by module path
#          (GOPRIVATE: git, no proxy, no checksum database; other modules from the proxy) and runs its tests.
# Needs dist/ (npx projen package:js and scripts/ci/package-bindings.sh), python3 with venv, a JDK, mvn, go, gpg.
# Tool installs are cached under CACHE_DIR (scripts/ci/lib.sh). Every server is started here on a free loopback port and
# stopped by its pid on exit. Prints each registry's time and 'publish-rehearsal: N passed, N failed' (N = checks).
#   scripts/ci/publish-rehearsal.sh [npm] [pypi] [maven] [go]     (default: all four)
source "$(dirname "$0")/lib.sh"
export CDK_DISABLE_CLI_TELEMETRY=true CDK_DISABLE_VERSION_CHECK=1 AWS_EC2_METADATA_DISABLED=true

VERDACCIO_VERSION=6.8.0     # 6.10 needs Node 22
PYPISERVER_VERSION=2.4.2
TWINE_VERSION=6.1.0         # publib-pypi installs 'twine<6.2.0'
PUBLIB_BIN="$ROOT/node_modules/.bin"   # publib, pinned in package.json (the workflow runs `npx -p publib@<same>`)
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(npm pypi maven go)

tarball=$(ls "$ROOT"/dist/js/cdk-mediapackage-vod@*.jsii.tgz 2>/dev/null | head -n 1 || true)
[ -n "$tarball" ] || { echo "publish-rehearsal: no dist/js tarball: run 'npx projen package:js' first" >&2; exit 1; }
version=$(basename "$tarball" | sed -E 's/^cdk-mediapackage-vod@(.*)\.jsii\.tgz$/\1/')
cdk_version=$(cdk_dev_version)
constructs_version=$(node -p 'require("constructs/package.json").version')
cli_version=$(node -p 'require("aws-cdk/package.json").version')
ensure_reference_template

# The caches of the real HOME (npm, pip, Go, Maven), kept: the rehearsal's HOME is a temporary folder (publib writes
# ~/.npmrc and git identity there), but downloading aws-cdk-lib for every app again would only measure the network.
npm_cache=$(npm config get cache)
pip_cache=$(python3 -m pip cache dir 2>/dev/null || echo "$HOME/.cache/pip")
gomodcache=$(go env GOMODCACHE); gocache=$(go env GOCACHE); gopath=$(go env GOPATH)
m2_home="$HOME/.m2/repository"

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  # The gpg-agent that gpg started for the throwaway key's GNUPGHOME.
  [ -d "$work/gnupg" ] && gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export HOME="$work/home" GIT_CONFIG_GLOBAL="$work/home/.gitconfig" npm_config_cache="$npm_cache" PIP_CACHE_DIR="$pip_cache"
export GOMODCACHE="$gomodcache" GOCACHE="$gocache" GOPATH="$gopath"
mkdir -p "$HOME"
log_dir="$COUNTS_DIR/publish-rehearsal"; rm -rf "$log_dir"; mkdir -p "$log_dir"

passed=0; failed=0
ok() { echo "publish-rehearsal: ok: $1"; passed=$((passed + 1)); }
bad() { echo "publish-rehearsal: FAILED: $1" >&2; failed=$((failed + 1)); return 1; }
# run LOG CMD...: runs CMD with its output in $log_dir/LOG; prints that log when it fails.
run() {
  local name="$1" start=$(date +%s) rc=0; shift
  "$@" > "$log_dir/$name" 2>&1 || rc=$?
  echo "publish-rehearsal:   ($name: $(( $(date +%s) - start ))s)"
  [ "$rc" -eq 0 ] || tail -n 60 "$log_dir/$name" >&2
  return "$rc"
}
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'; }
wait_for() { local url="$1" i; for i in $(seq 1 120); do curl -sf -o /dev/null "$url" && return 0; sleep 0.5; done; return 1; }
# same_template NAME FILE: FILE (a synthesized template) equals the TypeScript reference, or prints the first difference.
same_template() {
  node -e '
    const assert = require("assert");
    const [file, reference] = process.argv.slice(1);
    try { assert.deepStrictEqual(require(file), require(reference)); }
    catch (e) { console.error(String(e.message).split("\n").slice(0, 30).join("\n")); process.exit(1); }
  ' "$2" "$REFERENCE_TEMPLATE" && ok "$1: template equals the TypeScript reference" || bad "$1: template differs from the TypeScript reference"
}
sha() { sha256sum "$1" | cut -d' ' -f1; }
echo "publish-rehearsal: version $version (dist/), aws-cdk-lib $cdk_version, publib $(node -p 'require("publib/package.json").version'); ${targets[*]}"

# ---------------------------------------------------------------------------------------------------------------- npm
rehearse_npm() {
  local dir="$CACHE_DIR/verdaccio-$VERDACCIO_VERSION" port app token stray size
  # What is published: `npm pack` follows .npmignore (a deny list), so a stray folder at the root would be published.
  stray=$(tar -tzf "$tarball" | grep -vE '^package/(lib/|assets/|package\.json$|README\.md$|LICENSE$|API\.md$|\.jsii$)' || true)
  size=$(stat -c %s "$tarball")
  [ -z "$stray" ] && [ "$size" -lt 2000000 ] \
    && ok "npm: the tarball holds only lib/, assets/, .jsii, package.json, README, LICENSE, API.md ($(tar -tzf "$tarball" | wc -l) files, $((size / 1024)) KiB)" \
    || bad "npm: the tarball holds more than the library ($((size / 1024)) KiB): $(tr '\n' ' ' <<< "$stray")"
  if [ ! -x "$dir/node_modules/.bin/verdaccio" ]; then
    run verdaccio-install npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "verdaccio@$VERDACCIO_VERSION" \
      || { bad "npm: install verdaccio $VERDACCIO_VERSION"; return 1; }
  fi
  port=$(free_port)
  mkdir -p "$work/verdaccio"
  cat > "$work/verdaccio/config.yaml" <<YAML
storage: $work/verdaccio/storage
auth:
  htpasswd:
    file: $work/verdaccio/htpasswd
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
packages:
  'cdk-mediapackage-vod':
    access: \$all
    publish: \$authenticated
  '**':
    access: \$all
    publish: \$authenticated
    proxy: npmjs
listen: 127.0.0.1:$port
log: { type: stdout, format: pretty, level: warn }
YAML
  "$dir/node_modules/.bin/verdaccio" --config "$work/verdaccio/config.yaml" > "$log_dir/verdaccio.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/-/ping" || { cat "$log_dir/verdaccio.log" >&2; bad "npm: verdaccio did not start"; return 1; }
  token=$(curl -sf -X PUT -H 'content-type: application/json' -d '{"name": "rehearsal", "password": "rehearsal-password"}' \
    "http://127.0.0.1:$port/-/user/org.couchdb.user:rehearsal" | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8")).token')
  # The workflow's environment (release.yml, release_npm) but the registry, the token and provenance (GitHub OIDC only).
  if run npm-publish env NPM_DIST_TAG=latest NPM_REGISTRY="127.0.0.1:$port" DISABLE_HTTPS=1 NPM_TOKEN="$token" \
      "$PUBLIB_BIN/publib-npm" "$(dirname "$tarball")" && grep -q '^SUCCESS' "$log_dir/npm-publish"; then
    ok "npm: publib-npm published $(basename "$tarball") to verdaccio $VERDACCIO_VERSION on 127.0.0.1:$port"
  else
    bad "npm: publib-npm"; return 1
  fi
  app="$work/npm-app"; mkdir -p "$app"
  echo "registry=http://127.0.0.1:$port/" > "$app/.npmrc"
  (cd "$app" && npm init -y > /dev/null) 
  if run npm-install bash -c "cd '$app' && npm install --no-audit --no-fund --loglevel=error --prefer-offline \
      cdk-mediapackage-vod@$version aws-cdk-lib@$cdk_version constructs@$constructs_version aws-cdk@$cli_version"; then
    ok "npm: npm install cdk-mediapackage-vod@$version (by name, from verdaccio) aws-cdk-lib@$cdk_version constructs aws-cdk"
  else
    bad "npm: npm install by name"; return 1
  fi
  # What npm installed is the tarball of dist/js (its integrity in the lock file).
  node -e '
    const [lock, tgz] = process.argv.slice(1);
    const got = require(lock).packages["node_modules/cdk-mediapackage-vod"];
    const want = "sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(tgz)).digest("base64");
    if (got.integrity !== want || !got.resolved.startsWith("http://127.0.0.1:")) { console.error(JSON.stringify(got)); process.exit(1); }
  ' "$app/package-lock.json" "$tarball" && ok "npm: the installed package is dist/js's tarball (integrity), resolved from 127.0.0.1" \
    || bad "npm: the installed package is not dist/js's tarball"
  # The consumer app (test/consumers/typescript-reference/app.ts), importing the package by name, as JavaScript.
  node -e '
    const ts = require("typescript"), fs = require("fs");
    const [src, out] = process.argv.slice(1);
    const code = fs.readFileSync(src, "utf8").replace("from '"'"'../../../src'"'"'", "from '"'"'cdk-mediapackage-vod'"'"'");
    if (!code.includes("from '"'"'cdk-mediapackage-vod'"'"'")) { console.error("no import of ../../../src to replace"); process.exit(1); }
    fs.writeFileSync(out, ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
  ' "$ROOT/test/consumers/typescript-reference/app.ts" "$app/consumer.js"
  cat > "$app/main.js" <<'JS'
const { App } = require('aws-cdk-lib');
const { buildConsumerStack } = require('./consumer');
const app = new App();
buildConsumerStack(app);
app.synth();
JS
  echo '{ "app": "node main.js" }' > "$app/cdk.json"
  if run npm-synth bash -c "cd '$app' && npx cdk synth --quiet --no-notices --no-version-reporting --no-path-metadata --no-asset-metadata"; then
    ok "npm: npx cdk synth of the consumer app (aws-cdk $cli_version from the app's node_modules)"
    same_template npm "$app/cdk.out/ConsumerVod.template.json"
  else
    bad "npm: npx cdk synth"
  fi
}

# --------------------------------------------------------------------------------------------------------------- PyPI
rehearse_pypi() {
  local server_venv="$CACHE_DIR/venv-pypiserver-$PYPISERVER_VERSION" userbase="$CACHE_DIR/python-user-twine-$TWINE_VERSION"
  local port venv="$CACHE_DIR/venv-rehearsal-python" file
  if ! "$server_venv/bin/pypi-server" --version 2>/dev/null | grep -q "$PYPISERVER_VERSION"; then
    python3 -m venv --clear "$server_venv" && run pypiserver-install "$server_venv/bin/pip" install --quiet "pypiserver==$PYPISERVER_VERSION" \
      || { bad "pypi: install pypiserver $PYPISERVER_VERSION"; return 1; }
  fi
  # publib-pypi runs `python3 -m pip install --user --upgrade 'twine<6.2.0'` and `python3 -m twine upload`: the user
  # base (PYTHONUSERBASE) is a cached folder holding the pinned twine, so that pip finds it there.
  export PYTHONUSERBASE="$userbase" PIP_BREAK_SYSTEM_PACKAGES=1
  if ! python3 -m twine --version 2>/dev/null | grep -q "twine version $TWINE_VERSION"; then
    run twine-install python3 -m pip install --user --quiet "twine==$TWINE_VERSION" || { bad "pypi: install twine $TWINE_VERSION"; return 1; }
  fi
  local files=(dist/python/*)
  if run twine-check python3 -m twine check --strict "${files[@]}"; then
    ok "pypi: twine check --strict passes for ${#files[@]} files ($(cd dist/python && ls | tr '\n' ' '))"
  else
    bad "pypi: twine check"
  fi
  port=$(free_port)
  mkdir -p "$work/pypi-packages"
  "$server_venv/bin/pypi-server" run -i 127.0.0.1 -p "$port" -a . -P . "$work/pypi-packages" > "$log_dir/pypiserver.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/simple/" || { cat "$log_dir/pypiserver.log" >&2; bad "pypi: pypiserver did not start"; return 1; }
  # The workflow's environment (release_pypi): TWINE_USERNAME/PASSWORD; the repository URL is the local server's.
  if run pypi-publish env TWINE_USERNAME=rehearsal TWINE_PASSWORD=rehearsal TWINE_REPOSITORY_URL="http://127.0.0.1:$port/" \
      "$PUBLIB_BIN/publib-pypi" dist/python && [ "$(ls "$work/pypi-packages" | wc -l)" -eq "${#files[@]}" ]; then
    ok "pypi: publib-pypi uploaded $(ls "$work/pypi-packages" | tr '\n' ' ')to pypiserver $PYPISERVER_VERSION on 127.0.0.1:$port"
  else
    bad "pypi: publib-pypi"; return 1
  fi
  unset PYTHONUSERBASE PIP_BREAK_SYSTEM_PACKAGES
  # The app's venv is cached (aws-cdk-lib's wheel is large); this package is uninstalled first, so that pip installs it
  # by name from the local index every time.
  [ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
  "$venv/bin/pip" uninstall --quiet --yes cdk-mediapackage-vod > /dev/null 2>&1 || true
  if run pip-install env PIP_FIND_LINKS= "$venv/bin/pip" install --quiet --index-url "http://127.0.0.1:$port/simple/" \
      --extra-index-url https://pypi.org/simple/ "cdk-mediapackage-vod==$version" "aws-cdk-lib==$cdk_version" "pytest>=8,<10"; then
    ok "pypi: pip install cdk-mediapackage-vod==$version (by name, local index first) aws-cdk-lib==$cdk_version"
  else
    bad "pypi: pip install by name"; return 1
  fi
  # What pip installed is dist/python's wheel: the jsii assembly bundle inside it, byte for byte.
  "$venv/bin/python" - "$(ls dist/python/*.whl | head -n 1)" <<'PY' && ok "pypi: the installed package is dist/python's wheel" || bad "pypi: the installed package is not dist/python's wheel"
import hashlib, importlib.util, pathlib, sys, zipfile
# find_spec locates the package without importing it (an import starts the jsii runtime).
package = pathlib.Path(importlib.util.find_spec('cdk_mediapackage_vod').origin).parent
wheel = zipfile.ZipFile(sys.argv[1])
name = next(n for n in wheel.namelist() if n.endswith('.jsii.tgz'))
installed = package.parent / name
assert hashlib.sha256(installed.read_bytes()).digest() == hashlib.sha256(wheel.read(name)).digest(), installed
PY
  mkdir -p "$work/python-app" && cp "$ROOT/test/consumers/python/app.py" "$ROOT/test/consumers/python/test_app.py" "$work/python-app/"
  if run pytest bash -c "cd '$work/python-app' && PYTHONDONTWRITEBYTECODE=1 CONSUMER_REFERENCE_TEMPLATE='$REFERENCE_TEMPLATE' \
      '$venv/bin/python' -m pytest -p no:cacheprovider -q test_app.py"; then
    ok "pypi: the consumer app synthesizes; its tests pass, test_app.py's comparison with the TypeScript reference among them ($(tail -n 1 "$log_dir/pytest"))"
  else
    bad "pypi: the consumer app's pytest"
  fi
}

# -------------------------------------------------------------------------------------------------------------- Maven
rehearse_maven() {
  local repo="$work/maven-repo" m2="$CACHE_DIR/m2-rehearsal" key_id pom group_dir file n_sig=0 n_sum=0
  command -v gpg > /dev/null || { bad "maven: gpg is missing (apt-get install gnupg)"; return 1; }
  export GNUPGHOME="$work/gnupg"; mkdir -m 700 -p "$GNUPGHOME"
  run gpg-key gpg --batch --pinentry-mode loopback --passphrase rehearsal --quick-gen-key \
    'cdk-mediapackage-vod rehearsal <rehearsal@cdk-mediapackage-vod.invalid>' rsa3072 sign 1d || { bad "maven: throwaway GPG key"; return 1; }
  key_id=$(gpg --list-keys --with-colons 2>/dev/null | awk -F: '$1 == "pub" { print $5; exit }')
  export MAVEN_GPG_PRIVATE_KEY_PASSPHRASE=rehearsal MAVEN_USERNAME=rehearsal MAVEN_PASSWORD=rehearsal
  MAVEN_GPG_PRIVATE_KEY=$(gpg --batch --pinentry-mode loopback --passphrase rehearsal --armor --export-secret-keys "$key_id")
  export MAVEN_GPG_PRIVATE_KEY
  # The workflow's publib-maven (release_maven: MAVEN_SERVER_ID=central-ossrh) in dry-run: it imports the key and
  # prints the Maven commands it runs against Central (signing into a staging folder, then the upload).
  if run maven-dryrun env MAVEN_SERVER_ID=central-ossrh MAVEN_DRYRUN=true "$PUBLIB_BIN/publib-maven" dist/java \
      && grep -q 'gpg:sign-and-deploy-file' "$log_dir/maven-dryrun" && grep -q "gpg_key_id=$key_id" "$log_dir/maven-dryrun"; then
    ok "maven: publib-maven (central-ossrh, dry run) takes the key $key_id and signs with gpg:sign-and-deploy-file"
  else
    bad "maven: publib-maven dry run"
  fi
  # Its signing step, with the same properties (publib-maven.js signJars), into a file:// repository.
  cat > "$work/maven-settings.xml" <<XML
<settings><servers>
  <server><id>ossrh</id><username>\${env.MAVEN_USERNAME}</username><password>\${env.MAVEN_PASSWORD}</password></server>
  <server><id>gpg.passphrase</id><passphrase>\${env.MAVEN_GPG_PRIVATE_KEY_PASSPHRASE}</passphrase></server>
</servers></settings>
XML
  mkdir -p "$m2"
  [ -d "$m2/org" ] || cp -al "$m2_home/." "$m2/" 2>/dev/null || true   # seed from ~/.m2 (hard links) once
  local poms; poms=$(cd dist/java && find . -name '*.pom' | sed 's|^\./||')
  for pom in $poms; do
    if ! run maven-sign bash -c "cd dist/java && mvn --settings='$work/maven-settings.xml' --batch-mode -Dmaven.repo.local='$m2' \
        gpg:sign-and-deploy-file -Durl='file://$repo' -DrepositoryId=ossrh -Dgpg.homedir='$GNUPGHOME' -Dgpg.keyname='$key_id' \
        -Dgpg.executable=gpg -DpomFile='$pom' -Dfile='${pom%.pom}.jar' -Dsources='${pom%.pom}-sources.jar' -Djavadoc='${pom%.pom}-javadoc.jar'"; then
      bad "maven: gpg:sign-and-deploy-file $pom"; return 1
    fi
  done
  group_dir="$repo/io/github/cdk-mediapackage-vod/cdk-mediapackage-vod/$version"
  local artifacts=(cdk-mediapackage-vod-$version.jar cdk-mediapackage-vod-$version-sources.jar cdk-mediapackage-vod-$version-javadoc.jar cdk-mediapackage-vod-$version.pom)
  local missing=()
  for file in "${artifacts[@]}"; do
    [ -s "$group_dir/$file" ] || missing+=("$file")
    [ -s "$group_dir/$file.asc" ] && gpg --batch --verify "$group_dir/$file.asc" "$group_dir/$file" 2>> "$log_dir/gpg-verify" && n_sig=$((n_sig + 1))
    for sum in md5 sha1; do
      [ -s "$group_dir/$file.$sum" ] && [ "$(tr -d ' \n' < "$group_dir/$file.$sum")" = "$(${sum}sum "$group_dir/$file" | cut -d' ' -f1)" ] && n_sum=$((n_sum + 1))
    done
  done
  [ ${#missing[@]} -eq 0 ] && ok "maven: file:// repository holds the jar, sources jar, javadoc jar and POM of $version" \
    || bad "maven: missing in the file:// repository: ${missing[*]}"
  [ "$n_sig" -eq 4 ] && ok "maven: gpg --verify passes for the 4 .asc signatures" || { cat "$log_dir/gpg-verify" >&2; bad "maven: $n_sig of 4 signatures verify"; }
  [ "$n_sum" -eq 8 ] && ok "maven: the 8 .md5/.sha1 checksums match their files" || bad "maven: $n_sum of 8 checksums match"
  # Maven Central's POM requirements.
  python3 - "$group_dir/cdk-mediapackage-vod-$version.pom" <<'PY' > "$log_dir/pom-check" 2>&1 && ok "maven: POM: $(tail -n 1 "$log_dir/pom-check")" || { cat "$log_dir/pom-check" >&2; bad "maven: POM lacks what Central requires"; }
import sys, xml.etree.ElementTree as ET
ns = {'m': 'http://maven.apache.org/POM/4.0.0'}
root = ET.parse(sys.argv[1]).getroot()
def text(path):
    e = root.find(path, ns)
    return (e.text or '').strip() if e is not None else ''
need = {
    'groupId': 'm:groupId', 'artifactId': 'm:artifactId', 'version': 'm:version', 'name': 'm:name',
    'description': 'm:description', 'url': 'm:url', 'license name': 'm:licenses/m:license/m:name',
    'license url': 'm:licenses/m:license/m:url', 'developer name': 'm:developers/m:developer/m:name',
    'scm connection': 'm:scm/m:connection', 'scm url': 'm:scm/m:url',
}
missing = [k for k, p in need.items() if not text(p)]
if missing:
    sys.exit('POM misses ' + ', '.join(missing))
print(f"name, description, url ({text('m:url')}), licenses ({text('m:licenses/m:license/m:name')}), "
      f"developers ({text('m:developers/m:developer/m:name')}), scm ({text('m:scm/m:url')})")
PY
  # The consumer's Maven project, resolving the library by its coordinates from the file:// repository only.
  rm -rf "$m2/io/github/cdk-mediapackage-vod"
  cp -r "$ROOT/test/consumers/java" "$work/java-app"
  cat > "$work/java-settings.xml" <<XML
<settings>
  <profiles><profile><id>rehearsal</id>
    <repositories><repository><id>rehearsal</id><url>file://$repo</url></repository></repositories>
  </profile></profiles>
  <activeProfiles><activeProfile>rehearsal</activeProfile></activeProfiles>
</settings>
XML
  if run maven-app bash -c "cd '$work/java-app' && mvn -B -q -s '$work/java-settings.xml' -Dmaven.repo.local='$m2' test \
      -Dlibrary.version='$version' -Dcdk.version='$cdk_version' -Dconsumer.reference.template='$REFERENCE_TEMPLATE'"; then
    ok "maven: the consumer app resolves io.github.cdk-mediapackage-vod:cdk-mediapackage-vod:$version and its tests pass (template = reference among them)"
  else
    bad "maven: the consumer app's mvn test"
  fi
  grep -q '>rehearsal=' "$m2/io/github/cdk-mediapackage-vod/cdk-mediapackage-vod/$version/_remote.repositories" 2>/dev/null \
    && cmp -s "$m2/io/github/cdk-mediapackage-vod/cdk-mediapackage-vod/$version/cdk-mediapackage-vod-$version.jar" "$group_dir/cdk-mediapackage-vod-$version.jar" \
    && ok "maven: the jar Maven resolved came from the rehearsal repository and is the published one" \
    || bad "maven: the resolved jar is not the published one from the rehearsal repository"
}

# ----------------------------------------------------------------------------------------------------------------- Go
rehearse_go() {
  local bare="$work/go-remote.git" module=github.com/cdk-mediapackage-vod/cdk-mediapackage-vod-go app="$work/go-app" tag
  git init --quiet --bare --initial-branch=main "$bare"
  # publib clones https://<GITHUB_TOKEN>@github.com/<owner>/<repo>.git; go fetches https://github.com/<owner>/<repo>.
  git config --global user.name rehearsal && git config --global user.email rehearsal@cdk-mediapackage-vod.invalid
  git config --global --add "url.file://$bare.insteadOf" "https://rehearsal-token@$module.git"
  git config --global --add "url.file://$bare.insteadOf" "https://$module.git"
  git config --global --add "url.file://$bare.insteadOf" "https://$module"
  # The workflow's environment (release_golang): GITHUB_TOKEN (GO_GITHUB_TOKEN), GIT_USER_NAME/EMAIL, GIT_BRANCH.
  if run go-publish env GITHUB_TOKEN=rehearsal-token GIT_BRANCH=main GIT_USER_NAME=rehearsal \
      GIT_USER_EMAIL=rehearsal@cdk-mediapackage-vod.invalid "$PUBLIB_BIN/publib-golang" dist/go; then
    tag=$(git --git-dir="$bare" tag --list 'cdkmediapackagevod/*' | head -n 1)
    [ "$tag" = "cdkmediapackagevod/v$version" ] && ok "go: publib-golang pushed main and tag $tag to the local bare repository" \
      || { bad "go: publib-golang pushed tag '${tag:-none}', not cdkmediapackagevod/v$version"; return 1; }
  else
    bad "go: publib-golang"; return 1
  fi
  # The consumer module without its replace directive: the library by module path and version.
  mkdir -p "$app" && cp "$ROOT"/test/consumers/go/{app.go,app_test.go,go.mod,go.sum} "$app/"
  (cd "$app" && go mod edit -dropreplace="$module/cdkmediapackagevod" -require="$module/cdkmediapackagevod@v$version")
  grep -q '^replace' "$app/go.mod" && { bad "go: go.mod still has a replace directive"; return 1; }
  # A module cached by an earlier rehearsal would hide this one: drop it from the module cache first.
  chmod -R u+w "$GOMODCACHE/github.com/cdk-mediapackage-vod" "$GOMODCACHE/cache/download/github.com/cdk-mediapackage-vod" 2>/dev/null || true
  rm -rf "$GOMODCACHE/github.com/cdk-mediapackage-vod" "$GOMODCACHE/cache/download/github.com/cdk-mediapackage-vod"
  export GOPRIVATE="github.com/cdk-mediapackage-vod/*" GONOSUMDB="github.com/cdk-mediapackage-vod/*" GOFLAGS=-mod=mod
  if run go-get bash -c "cd '$app' && go mod download '$module/cdkmediapackagevod' && go list -m -f '{{.Path}} {{.Version}} {{.Dir}}' '$module/cdkmediapackagevod'" \
      && grep -q "^$module/cdkmediapackagevod v$version $GOMODCACHE/" "$log_dir/go-get"; then
    ok "go: go fetched $module/cdkmediapackagevod@v$version by module path (into the module cache, no replace)"
  else
    bad "go: fetching the module by path"; return 1
  fi
  if run go-test bash -c "cd '$app' && CONSUMER_REFERENCE_TEMPLATE='$REFERENCE_TEMPLATE' go test -count=1 ."; then
    ok "go: the consumer app synthesizes and its tests pass (template = reference among them)"
  else
    bad "go: the consumer app's go test"
  fi
}

for target in "${targets[@]}"; do
  start=$(date +%s)
  "rehearse_$target" || true
  echo "publish-rehearsal: $target took $(( $(date +%s) - start ))s"
done
record publish-rehearsal "$passed" "$failed"
[ "$failed" -eq 0 ]
