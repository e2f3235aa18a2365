# Exchanges the pod's projected service-account token for an IBM Cloud IAM token, to prove
# that the trusted profile trusts this cluster, namespace and service account.
# Runs under busybox sh (curlimages/curl is Alpine); needs curl, sed, tr, cut, base64.
#
# Secrets: the projected token is read by curl from its file (`cr_token@file`), so it never
# appears on a command line; IAM's response is written to a private file on a tmpfs and never
# printed. Only non-secret claims of the IAM token and IAM's error code/message are printed.
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

[ -r "$token_file" ] || fail "the projected token $token_file is missing or unreadable: is the token volume mounted into this container?"
[ -s "$token_file" ] || fail "the projected token $token_file is empty"

workdir="${TMPDIR:-/tmp}"
body="$workdir/iam-response.$$"
trap 'rm -f "$body"' EXIT INT TERM

# Reads a top-level string (or number) field of a one-line JSON document on stdin. IAM's JSON
# is flat enough for this, and the image has no jq.
json_string() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" | head -n 1; }
json_number() { sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\\([0-9][0-9]*\\).*/\\1/p" | head -n 1; }

# Network failures worth retrying: resolve, connect, timeout, TLS handshake, empty reply,
# send and receive errors. Anything else (bad URL, unreadable file, bad certificate) will not heal.
retryable_curl_exit() {
  case "$1" in 5|6|7|18|28|35|52|55|56) return 0 ;; *) return 1 ;; esac
}

attempt=1
while :; do
  rm -f "$body"
  status=$(curl -sS -o "$body" -w '%{http_code}' --max-time "$timeout" -X POST "$url" \
    -H 'Content-Type: application/x-www-form-urlencoded' \
    -H 'Accept: application/json' \
    --data-urlencode 'grant_type=urn:ibm:params:oauth:grant-type:cr-token' \
    --data-urlencode "cr_token@$token_file" \
    --data-urlencode "profile_name=$profile")
  rc=$?

  if [ "$rc" -eq 0 ] && [ "$status" = 200 ]; then
    break
  fi

  if [ "$rc" -ne 0 ]; then
    retryable_curl_exit "$rc" || fail "curl failed with exit code $rc calling $url; not retrying"
    reason="network error (curl exit code $rc)"
  else
    case "$status" in
      429|5??) reason="HTTP $status" ;;
      *)
        code=$(json_string errorCode < "$body")
        message=$(json_string errorMessage < "$body")
        request=$(json_string requestId < "$body")
        fail "IAM refused the exchange for trusted profile \"$profile\": HTTP $status ${code:-(no errorCode)}: ${message:-(no errorMessage)}${request:+ (requestId $request)}"
        ;;
    esac
  fi

  if [ "$attempt" -ge "$max_attempts" ]; then
    fail "giving up after $attempt attempts; last: $reason"
  fi
  log "attempt $attempt failed ($reason); retrying in ${delay}s"
  sleep "$delay"
  attempt=$((attempt + 1))
  delay=$((delay * 2))
  [ "$delay" -gt "$delay_max" ] && delay="$delay_max"
done

# The JWT payload holds only claims; the token is useless without its signature, which is
# never extracted. base64url -> base64, padded.
payload=$(json_string access_token < "$body" | cut -d. -f2 | tr '_-' '/+')
case $((${#payload} % 4)) in
  2) payload="$payload==" ;;
  3) payload="$payload=" ;;
esac
# Nested objects may repeat claim names (e.g. the authenticated compute resource's own sub):
# drop them, innermost first, so only the token's top-level claims remain.
claims=$(printf '%s' "$payload" | base64 -d 2>/dev/null | sed -e ':a' -e 's/\(.\){[^{}]*}/\1/' -e 'ta')
expires_in=$(json_number expires_in < "$body")
rm -f "$body"

iam_id=$(printf '%s' "$claims" | json_string iam_id)
sub=$(printf '%s' "$claims" | json_string sub)
exp=$(printf '%s' "$claims" | json_number exp)
[ -n "$iam_id" ] || fail "IAM answered 200 but its access token carries no iam_id claim"

log "IAM issued a token for trusted profile \"$profile\" (attempt $attempt)"
log "iam_id=$iam_id"
log "sub=$sub"
log "exp=$exp"
log "expires_in=$expires_in"
