#!/usr/bin/env bash
# Fault storm against `blazeface serve` (release build) on loopback; prints a table and exits 1
# if any row fails. Faults: a body dribbled byte by byte (others must still be served), a
# truncated image, a Content-Length larger than the body (the client waiting, or hanging up), a
# body past the limit, random bytes,
# clients that disconnect mid-request, and SIGTERM under load (every request the server
# answered reached the client; exit status 0). RSS after the storm must be within 10 % of before.
#
#   scripts/serve_faults.sh [ROUNDS]     (needs curl and Debian's wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-20}
PORT=18490
OUT=${OUT:-$(mktemp -d)}
PHOTO=$PWD/samples/astronaut.png
URL=http://127.0.0.1:$PORT
swift build -c release --product blazeface >/dev/null
ROWS=()
FAILED=0
row() {  # FAULT EXPECTED GOT
  local ok=ok
  if [ "$2" != "$3" ]; then ok=FAIL; FAILED=1; fi
  ROWS+=("| $1 | $2 | $3 | $ok |")
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
wait_up() { for _ in $(seq 1 300); do curl -sf "$URL/readyz" >/dev/null && return 0; sleep 0.1; done; echo "no server"; exit 1; }
# raw REQUEST_HEAD BODY_FILE BYTES DELAY: sends a POST by hand on /dev/tcp, BYTES bytes of the
# body DELAY seconds apart (0: at once), then closes; prints the status line's code.
raw() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  printf 'POST /v1/detect HTTP/1.1\r\nHost: x\r\nContent-Length: %s\r\nConnection: close\r\n\r\n' "$1" >&3
  if [ "$4" = 0 ]; then head -c "$3" "$2" >&3; else
    for i in $(seq 1 "$3"); do head -c "$i" "$2" | tail -c 1 >&3; sleep "$4"; done
  fi
  local code; code=$(timeout 30 head -n 1 <&3 | awk '{print $2}')
  exec 3<&- 3>&-
  echo "${code:-none}"
}
# hangup BYTES_DECLARED FILE BYTES: sends part of a body and closes without reading.
hangup() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT"
  printf 'POST /v1/detect HTTP/1.1\r\nHost: x\r\nContent-Length: %s\r\n\r\n' "$1" >&3
  head -c "$3" "$2" >&3
  exec 3<&- 3>&-
}

.build/release/blazeface serve --port $PORT --threads 2 --queue 32 --deadline 3 --max-body-mb 5 2> "$OUT/server.log" &
PID=$!
wait_up
echo "$PHOTO" > "$OUT/photos.txt"
# warm: the same concurrent load before and after the storm, so that RSS is compared at the same
# high-water mark of the allocator's per-thread arenas.
warm() { LOAD_PHOTOS="$OUT/photos.txt" wrk -t2 -c16 -d5s -s scripts/serve_load.lua "$URL" > /dev/null; }
warm
BEFORE=$(rss $PID)
head -c 300000 /dev/urandom > "$OUT/random.bin"
head -c $(( $(stat -c %s "$PHOTO") / 2 )) "$PHOTO" > "$OUT/truncated.png"
head -c $((6 * 1024 * 1024)) /dev/zero > "$OUT/big.bin"

# 1. Slow client: 40 bytes dribbled 0.1 s apart (past the 3 s deadline) while others are served.
raw "$(stat -c %s "$PHOTO")" "$PHOTO" 40 0.1 > "$OUT/slow.txt" &
SLOW=$!
sleep 0.5
served=0
for _ in $(seq 1 20); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --data-binary @"$PHOTO" "$URL/v1/detect")" = 200 ] && served=$((served + 1))
done
wait $SLOW
row "slow client (1 byte / 0.1 s)" "408" "$(cat "$OUT/slow.txt")"
row "others served meanwhile (of 20)" "20" "$served"

for r in $(seq 1 "$ROUNDS"); do
  t=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$OUT/truncated.png" "$URL/v1/detect")
  [ "$r" -le 3 ] && c=$(raw 100000 "$PHOTO" 1000 0)
  hangup 100000 "$PHOTO" 1000
  b=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$OUT/big.bin" "$URL/v1/detect")
  n=$(curl -s -o /dev/null -w '%{http_code}' --data-binary @"$OUT/random.bin" "$URL/v1/detect")
  curl -s -o /dev/null --max-time 0.05 --data-binary @"$PHOTO" "$URL/v1/detect?tiles=3" || true
  curl -s -o /dev/null --max-time 0.01 --data-binary @"$OUT/big.bin" "$URL/v1/detect" || true
  [ "$r" = 1 ] && { T1=$t; C1=$c; B1=$b; N1=$n; }
  [ "$t" = "$T1" ] && [ "$c" = "$C1" ] && [ "$b" = "$B1" ] && [ "$n" = "$N1" ] || { T1=changed; }
done
row "truncated image (x$ROUNDS)" "422" "$T1"
row "Content-Length > body, client waits (x3)" "408" "$C1"
row "Content-Length > body, client hangs up (x$ROUNDS): logged body_incomplete" "$ROUNDS" "$(grep -c '"error":"body_incomplete"' "$OUT/server.log" || true)"
row "body past --max-body-mb (x$ROUNDS)" "413" "$B1"
row "random bytes (x$ROUNDS)" "415" "$N1"
sleep 4  # the disconnected clients' work finishes
row "still healthy after disconnects" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
warm
AFTER=$(rss $PID)
growth=$(( (AFTER - BEFORE) * 100 / BEFORE ))
row "RSS growth after the storm (before $BEFORE kB, after $AFTER kB)" "<=10%" "$([ "$growth" -le 10 ] && echo '<=10%' || echo "${growth}%")"

# SIGTERM under load: 32 connections; every response the server logged reached wrk.
ok200() { grep -c '"message":"request".*"path":"/v1/detect".*"status":200' "$OUT/server.log" || true; }
sleep 2  # the requests the last warm-up's wrk left in flight when it stopped are answered
before_load=$(ok200)
LOAD_PHOTOS="$OUT/photos.txt" wrk -t2 -c32 -d8s -s scripts/serve_load.lua "$URL" > "$OUT/wrk.txt" 2>&1 &
WRK=$!
sleep 3
kill -TERM $PID
status=0; wait $PID || status=$?
wait $WRK || true
logged=$(ok200)
got=$(grep -o 'statuses=[^ ]*' "$OUT/wrk.txt" | grep -o '200=[0-9]*' | cut -d= -f2)
row "SIGTERM under load: exit status" "0" "$status"
row "answered 200s that reached the client" "$((logged - before_load))" "${got:-0}"

echo
echo "| fault | expected | got | |"
echo "|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "server log: $OUT/server.log"
exit $FAILED
