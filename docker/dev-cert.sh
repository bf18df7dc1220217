#!/usr/bin/env bash
# A self-signed certificate for nginx in development: dev-cert.sh <dir> [hostname]
# writes <dir>/nestify.crt and <dir>/nestify.key (valid 365 days). Not for production.
set -euo pipefail
dir=${1:?usage: dev-cert.sh <dir> [hostname]}
host=${2:-localhost}
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -keyout "$dir/nestify.key" -out "$dir/nestify.crt" \
  -subj "/CN=$host" -addext "subjectAltName=DNS:$host,DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 600 "$dir/nestify.key"
echo "wrote $dir/nestify.crt and $dir/nestify.key for $host"
