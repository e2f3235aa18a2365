# Exchanges the pod's projected service-account token for an IBM Cloud IAM token, to prove
# that the trusted profile trusts this cluster, namespace and service account.
# Runs under busybox sh (curlimages/curl is Alpine); needs curl and busybox head, od and awk.
#
# Secrets: the projected token is read by curl from its file (`cr_token@file`), so it never
# appears on a command line; IAM's reply is written to a private file on a tmpfs and never
# printed. The log holds only non-secret claims of the IAM token and IAM's errorCode,
# errorMessage and requestId, each cleaned first (docs/token-fetch-job.md): the projected
# token and anything shaped like a JWT or a long base64 run are replaced by a "[redacted ...]"
# marker, every byte outside printable ASCII is shown as \xNN, and each value is cut at
# 300 characters. Replies are read up to 64 KiB, and parsed in one pass (awk over `od`'s bytes),
# so no reply can make parsing slow. SIGTERM and SIGINT stop the script at once (status 143/130).
#
# Environment (set by the TokenFetchJob construct):
#   IBMCLOUD_CR_TOKEN        @<path of the projected token file>
#   IBMCLOUD_CR_PROFILE      trusted profile name
#   TOKEN_FETCH_URL          IAM token URL (<endpoint>/identity/token)
#   TOKEN_FETCH_MAX_ATTEMPTS attempts before giving up on network errors, 429 and 5xx
#   TOKEN_FETCH_TIMEOUT      seconds per attempt
#   TOKEN_FETCH_BACKOFF      seconds before the first retry; doubles, at most TOKEN_FETCH_BACKOFF_MAX
#   TOKEN_FETCH_BACKOFF_MAX  longest wait between attempts
set -u
umask 077

log() { printf 'token-fetch: %s\n' "$*"; }
fail() { printf 'token-fetch: error: %s\n' "$*" >&2; exit 1; }

token_file="${IBMCLOUD_CR_TOKEN#@}"
profile="${IBMCLOUD_CR_PROFILE:?IBMCLOUD_CR_PROFILE is not set}"
url="${TOKEN_FETCH_URL:?TOKEN_FETCH_URL is not set}"
max_attempts="${TOKEN_FETCH_MAX_ATTEMPTS:-5}"
timeout="${TOKEN_FETCH_TIMEOUT:-10}"
delay="${TOKEN_FETCH_BACKOFF:-2}"
delay_max="${TOKEN_FETCH_BACKOFF_MAX:-30}"
max_reply=65536

[ -r "$token_file" ] || fail "the projected token $token_file is missing or unreadable: is the token volume mounted into this container?"
[ -s "$token_file" ] || fail "the projected token $token_file is empty"

workdir="${TMPDIR:-/tmp}"
# Fixed names, not the shell's PID: the pod's /tmp is its own, and the kubelet reduces a doubled
# dollar sign in a container's command to one (the script must not use that, nor "$" followed
# by "(NAME)" for a variable it is given: the kubelet would expand those too).
body="$workdir/iam-response"
code_file="$workdir/iam-status"
child=
cleanup() { rm -f "$body" "$code_file"; }
# A signal ends the script at once: the running curl or sleep is a background job awaited with
# `wait`, which a trapped signal interrupts (a foreground child would delay the trap until it ends).
stop() {
  [ -n "$child" ] && kill "$child" 2>/dev/null
  cleanup
  printf 'token-fetch: error: stopped by SIG%s before the exchange finished; no token was fetched\n' "$1" >&2
  exit "$2"
}
trap cleanup EXIT
trap 'stop TERM 143' TERM
trap 'stop INT 130' INT

# run_bg <command...>: runs it in the background and waits, so a signal is handled at once.
run_bg() {
  "$@" &
  child=$!
  wait "$child"
  rc=$?
  child=
  return "$rc"
}

# Reads a JSON reply (at most $max_reply bytes, as decimal bytes from od; -v so that repeated
# lines are not collapsed into "*") and prints the fields asked for as name=value lines, each
# cleaned as the header says. One pass, a fixed amount of work per byte; values nested deeper
# than two objects are skipped.
#   mode "error":  code, message, request (errorCode, errorMessage, context.requestId or requestId)
#   mode "issued": expires_in, and the top-level iam_id, sub, exp of the access token's payload
#                  (decoded here; the token and its signature never leave awk), or jwt=invalid
parse_reply() {
  head -c "$max_reply" "$2" | od -vAn -tu1 | parse_mode="$1" token_file="$token_file" awk '
    function reset() { depth = 0; instr = 0; esc = 0; ucount = 0; expect_key = 0; scalar = ""; str = ""; slen = 0 }
    function chr(b) { return (b >= 32 && b <= 126) ? sprintf("%c", b) : sprintf("\\x%02x", b) }
    function path() {
      if (depth == 1 && obj[1]) return key[1]
      if (depth == 2 && obj[1] && obj[2]) return key[1] "." key[2]
      return ""
    }
    function put(v,   p) { p = path(); if (p != "" && !(p in val)) { val[p] = v; vlen[p] = slen } }
    function add(s) { slen++; if (length(str) < cap) str = str s }
    function end_scalar() { if (scalar != "") { if (!expect_key) { slen = length(scalar); put(scalar) } scalar = "" } }
    function feed(b,   d) {
      if (instr) {
        if (ucount > 0) {
          d = (b >= 48 && b <= 57) ? b - 48 : ((b >= 97 && b <= 102) ? b - 87 : ((b >= 65 && b <= 70) ? b - 55 : -1))
          if (d < 0) uval = -1
          else if (uval >= 0) uval = uval * 16 + d
          if (++ucount == 5) {
            if (uval < 0) add("\\u?")
            else if (uval >= 32 && uval <= 126) add(sprintf("%c", uval))
            else if (uval < 256) add(sprintf("\\x%02x", uval))
            else add(sprintf("\\u%04x", uval))
            ucount = 0
          }
          return
        }
        if (esc) {
          esc = 0
          if (b == 117) { ucount = 1; uval = 0; return }
          if (b == 110) { add("\\x0a"); return }
          if (b == 116) { add("\\x09"); return }
          if (b == 114) { add("\\x0d"); return }
          if (b == 98) { add("\\x08"); return }
          if (b == 102) { add("\\x0c"); return }
          add(chr(b)); return
        }
        if (b == 92) { esc = 1; return }
        if (b == 34) {
          instr = 0
          if (expect_key && obj[depth]) { key[depth] = str; expect_key = 0 } else put(str)
          return
        }
        add(chr(b)); return
      }
      if (b == 34) { end_scalar(); instr = 1; str = ""; slen = 0; return }
      if (b == 123 || b == 91) { end_scalar(); depth++; obj[depth] = (b == 123); key[depth] = "[]"; expect_key = obj[depth]; return }
      if (b == 125 || b == 93) { end_scalar(); if (depth > 0) depth--; expect_key = 0; return }
      if (b == 44) { end_scalar(); expect_key = (depth > 0 && obj[depth]); return }
      if (b == 58) { end_scalar(); expect_key = 0; return }
      if (b == 32 || b == 9 || b == 10 || b == 13) { end_scalar(); return }
      if (length(scalar) < 64) scalar = scalar chr(b)
    }
    # The cleaning every printed value gets; its input is printable ASCII already (see chr).
    function clean(v, full,   sig, marker, i) {
      marker = "[redacted: projected token]"
      if (secret != "") {
        while ((i = index(v, secret)) > 0) v = substr(v, 1, i - 1) marker substr(v, i + length(secret))
        sig = secret; sub(/^.*\./, "", sig)
        if (length(sig) >= 16) while ((i = index(v, sig)) > 0) v = substr(v, 1, i - 1) marker substr(v, i + length(sig))
      }
      gsub(/[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{8,}(\.[A-Za-z0-9_-]*)?/, "[redacted: JWT-shaped text]", v)
      gsub(/[A-Za-z0-9_+\/=-]{64,}/, "[redacted: long base64 text]", v)
      if (full < 0) v = substr(v, 1, 300) "... (the reply ends inside this value)"
      else if (length(v) > 300 || full > cap) v = substr(v, 1, 300) "... (cut at 300 characters)"
      return v
    }
    function out(name, p) { if (p in val) printf "%s=%s\n", name, clean(val[p], vlen[p]) }
    function b64(c) { return index("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", c) - 1 }
    BEGIN {
      # The longest value kept: an access token in a 200, a short excerpt of anything else.
      mode = ENVIRON["parse_mode"]; secret_file = ENVIRON["token_file"]
      cap = (mode == "issued") ? 16384 : 1024; reset()
      if ((getline secret < secret_file) <= 0) secret = ""
      close(secret_file)
    }
    { for (f = 1; f <= NF; f++) feed($f + 0) }
    END {
      # A reply cut at the read limit (or malformed) may end inside a string: keep what came.
      if (instr && !(expect_key && obj[depth])) { slen = -1; put(str) }
      instr = 0
      end_scalar()
      if (mode == "error") {
        out("code", "errorCode"); out("message", "errorMessage")
        out("request", ("context.requestId" in val) ? "context.requestId" : "requestId")
        exit
      }
      if (val["expires_in"] ~ /^[0-9]+$/) printf "expires_in=%s\n", val["expires_in"]
      n = split(val["access_token"], seg, ".")
      if (n != 3 || length(seg[2]) == 0 || vlen["access_token"] > cap || vlen["access_token"] < 0) { print "jwt=invalid"; exit }
      delete val; delete vlen; delete obj; delete key; reset(); cap = 1024
      bits = 0; acc = 0
      for (i = 1; i <= length(seg[2]); i++) {
        c = substr(seg[2], i, 1)
        if (c == "=") break
        if (c == "+") c = "-"
        if (c == "/") c = "_"
        d = b64(c)
        if (d < 0) { print "jwt=invalid"; exit }
        acc = acc * 64 + d; bits += 6
        if (bits >= 8) { bits -= 8; p = 1; for (k = 0; k < bits; k++) p *= 2; feed(int(acc / p)); acc = acc % p }
      }
      end_scalar()
      if (!("iam_id" in val)) { print "jwt=invalid"; exit }
      out("iam_id", "iam_id"); out("sub", "sub")
      printf "exp=%s\n", (val["exp"] ~ /^[0-9]+$/) ? val["exp"] : "(not a number)"
    }'
}

# field <name>: the value of name=... in $parsed (shell only: no program sees the values).
field() {
  printf '%s\n' "$parsed" | while IFS= read -r line; do
    case $line in "$1="*) printf '%s' "${line#*=}"; break ;; esac
  done
}

# curl's own messages are not printed (-s): some quote what the server sent. These say enough.
curl_error() {
  case "$1" in
    3) echo 'malformed URL' ;; 6) echo 'could not resolve the host' ;; 7) echo 'could not connect' ;;
    23) echo 'could not write the reply to TMPDIR' ;; 26) echo 'could not read the projected token' ;;
    28) echo 'timed out' ;; 35) echo 'TLS handshake failed' ;; 51|60) echo 'the server certificate is not trusted' ;;
    52) echo 'empty reply' ;; 56) echo 'receive error' ;; *) echo 'see https://curl.se/libcurl/c/libcurl-errors.html' ;;
  esac
}

# Network failures worth retrying: resolve, connect, timeout, TLS handshake, empty reply,
# send and receive errors. Anything else (bad URL, unreadable file, bad certificate) will not heal.
retryable_curl_exit() {
  case "$1" in 5|6|7|18|28|35|52|55|56) return 0 ;; *) return 1 ;; esac
}

attempt=1
while :; do
  cleanup
  run_bg curl -s -o "$body" -w '%{http_code}' --max-time "$timeout" --max-filesize "$max_reply" -X POST "$url" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    -H 'Accept: application/json' \
    --data-urlencode 'grant_type=urn:ibm:params:oauth:grant-type:cr-token' \
    --data-urlencode "cr_token@$token_file" \
    --data-urlencode "profile_name=$profile" > "$code_file"
  rc=$?
  status=
  read -r status < "$code_file"
  oversized=
  # curl 63: the reply is larger than --max-filesize; its status is known, its body is not read.
  if [ "$rc" -eq 63 ]; then rc=0; oversized=1; rm -f "$body"; : > "$body"; fi

  if [ "$rc" -eq 0 ] && [ "$status" = 200 ] && [ -z "$oversized" ]; then
    break
  fi

  if [ "$rc" -ne 0 ]; then
    retryable_curl_exit "$rc" || fail "curl failed with exit code $rc ($(curl_error "$rc")) calling $url; not retrying"
    reason="network error (curl exit code $rc)"
  else
    case "$status" in
      429|5??) reason="HTTP $status" ;;
      200) fail "IAM answered 200 with a reply larger than $max_reply bytes; not reading it" ;;
      *)
        if [ -n "$oversized" ]; then
          fail "IAM refused the exchange for trusted profile \"$profile\": HTTP $status, with a reply larger than $max_reply bytes (not shown)"
        fi
        parsed=$(parse_reply error "$body")
        code=$(field code)
        message=$(field message)
        request=$(field request)
        fail "IAM refused the exchange for trusted profile \"$profile\": HTTP $status ${code:-(no errorCode)}: ${message:-(no errorMessage)}${request:+ (requestId $request)}"
        ;;
    esac
  fi

  if [ "$attempt" -ge "$max_attempts" ]; then
    fail "giving up after $attempt attempts; last: $reason"
  fi
  log "attempt $attempt failed ($reason); retrying in ${delay}s"
  run_bg sleep "$delay"
  attempt=$((attempt + 1))
  delay=$((delay * 2))
  [ "$delay" -gt "$delay_max" ] && delay="$delay_max"
done

parsed=$(parse_reply issued "$body")
cleanup
[ "$(field jwt)" = invalid ] && fail "IAM answered 200 but its access_token is not a JWT carrying an iam_id claim"

log "IAM issued a token for trusted profile \"$profile\" (attempt $attempt)"
iam_id=$(field iam_id)
sub=$(field sub)
exp=$(field exp)
expires_in=$(field expires_in)
log "iam_id=$iam_id"
log "sub=$sub"
log "exp=$exp"
log "expires_in=$expires_in"
