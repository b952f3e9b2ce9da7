#!/usr/bin/env bash
# The container test (mvn -Pcontainer -pl distribution -am verify, or run it after 'mvn package'):
# builds the image from Containerfile and the tarball, runs three containers on the host network
# at the Kubernetes seed names (dist/kubernetes) mapped to distinct loopback addresses with
# --add-host, writes and reads through them, stops one with SIGTERM and reads every write back.
#
# Needs root, podman, runc and mmdebstrap (installed from Debian's packages if missing). The base
# image is made offline from Debian's packages (mmdebstrap) once and kept as
# localhost/armature-test-base:bookworm; set ARMATURE_BASE_IMAGE to use another (e.g. a pulled
# eclipse-temurin:17-jre). crun refuses this machine's cgroups, hence runc and a containers.conf
# without default ulimits.
set -euo pipefail

repo="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version="${ARMATURE_VERSION:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$repo/pom.xml" | head -1)}"
tarball="$repo/distribution/target/armature-$version.tar.gz"
work="${ARMATURE_CONTAINER_WORK:-/var/tmp/armature-container-test}"
base="${ARMATURE_BASE_IMAGE:-localhost/armature-test-base:bookworm}"
image="localhost/armature-test:$version"
port=7000                       # the port of dist/kubernetes/armature.yaml
names=(armature-0 armature-1 armature-2)
addresses=(127.0.0.2 127.0.0.3 127.0.0.4)
service=armature                # the headless Service: pod DNS names are NAME.armature
started=$SECONDS

log() { printf '[container-test %3ds] %s\n' "$((SECONDS - started))" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

[ -f "$tarball" ] || fail "$tarball not found: run 'mvn package' first"
if ! command -v podman >/dev/null || ! command -v runc >/dev/null || ! command -v mmdebstrap >/dev/null; then
  log "installing podman, runc, mmdebstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc mmdebstrap >/dev/null
fi

mkdir -p "$work"
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = []
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"
pm() { podman --runtime runc "$@"; }

cleanup() {
  for n in "${names[@]}"; do
    pm rm -f -t 5 "$n-test" >/dev/null 2>&1 || true
    pm volume rm -f "$n-test-data" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
cleanup

if ! pm image exists "$base"; then
  [ "$base" = localhost/armature-test-base:bookworm ] || fail "base image $base not found"
  log "making the base image from Debian's packages (once; cached as $base)"
  rm -f "$work/base.tar"
  mmdebstrap --quiet --variant=apt --include=openjdk-17-jre-headless bookworm "$work/base.tar"
  pm import "$work/base.tar" "$base" >/dev/null
  rm -f "$work/base.tar"
fi

log "building $image on $base"
pm build --quiet --format docker -f "$repo/Containerfile" --build-arg "BASE_IMAGE=$base" \
  --build-arg "ARMATURE_VERSION=$version" -t "$image" "$repo/distribution/target" >/dev/null

hosts=()
for i in "${!names[@]}"; do
  hosts+=(--add-host "${names[$i]}.$service:${addresses[$i]}")
done

# The StatefulSet's way: armature-0 names itself as its seed and creates the ring; the others
# name armature-0 and join.
run_node() {
  local n="$1"
  pm run -d --name "$n-test" --network host --shm-size 1g "${hosts[@]}" \
    -v "$n-test-data:/var/lib/armature" \
    -e "ARMATURE_ID=$n" -e "ARMATURE_LISTEN=$n.$service:$port" -e "ARMATURE_SEEDS=armature-0.$service:$port" \
    "$image" --n 3 --r 2 --w 2 >/dev/null
}

await_ready() {
  local n="$1" deadline=$((SECONDS + 120))
  until pm exec "$n-test" /opt/armature/dist/container/healthcheck /ready >/dev/null 2>&1; do
    if [ "$(pm inspect -f '{{.State.Running}}' "$n-test")" != true ]; then
      pm logs "$n-test" | tail -20; fail "$n exited"
    fi
    [ $SECONDS -lt $deadline ] || { pm logs "$n-test" | tail -20; fail "$n not ready in 120 s"; }
    sleep 1
  done
  log "$n ready"
}

# Each command is a fresh client process whose Aeron publications start unconnected; on a loaded
# machine they can take longer than the transport's connect timeout (100 ms), and the command
# then exits 4 (no node reachable, or no answer in time). Retry exit 4 only, a bounded number of
# times; a put retried after a timeout may leave a second, equal sibling, which the checks allow
# (they read the first value line).
cli() {
  local n="$1" attempt rc; shift
  for attempt in 1 2 3 4 5; do
    rc=0
    pm exec "$n-test" armature "$@" || rc=$?
    [ "$rc" -eq 4 ] || return "$rc"
    log "armature $1 through $n: no node reachable yet (attempt $attempt)" >&2
  done
  return 4
}

for n in "${names[@]}"; do
  run_node "$n"
  await_ready "$n"
done

[ "$(pm inspect -f '{{.Config.User}}' "${names[0]}-test")" = 10001:10001 ] || fail "the node does not run as the armature user"
pm healthcheck run "${names[0]}-test" >/dev/null || fail "HEALTHCHECK of ${names[0]} is not healthy"
status="$(cli armature-1 status --cluster "armature-0.$service:$port")"
grep -q "3 members" <<<"$status" || fail "the ring does not name 3 members: $status"

# Write through each node, read through another.
keys=()
for i in "${!names[@]}"; do
  for k in 1 2; do
    key="key-$i-$k"
    cli "${names[$i]}" put --cluster "${names[$i]}.$service:$port" "$key" "value-$i-$k" >/dev/null || fail "put $key"
    keys+=("$key")
  done
done
for key in "${keys[@]}"; do
  j=$(( (${key:4:1} + 1) % 3 ))
  got="$(cli "${names[$j]}" get --cluster "${names[$j]}.$service:$port" "$key")"
  [ "$(head -1 <<<"$got")" = "value: value-${key#key-}" ] || fail "get $key through ${names[$j]}: $got"
done
log "${#keys[@]} writes read back through another node"

log "stopping armature-2 with SIGTERM"
pm stop -t 60 armature-2-test >/dev/null
[ "$(pm inspect -f '{{.State.ExitCode}}' armature-2-test)" = 143 ] || fail "armature-2 did not exit on SIGTERM (143)"
pm logs armature-2-test 2>&1 | grep -q "node armature-2 stopped" || fail "armature-2 did not stop cleanly"

for key in "${keys[@]}"; do
  got="$(cli armature-0 get --cluster "armature-0.$service:$port,armature-1.$service:$port" "$key")"
  [ "$(head -1 <<<"$got")" = "value: value-${key#key-}" ] || fail "after the stop, get $key: $got"
done
log "every write read back with armature-2 stopped (R=2 of N=3)"
log "PASS in $((SECONDS - started)) s"
