#!/usr/bin/env bash
# Checks docker/nginx.conf with `nginx -t` outside Docker: the compose upstreams are pointed at
# 127.0.0.1 (their names only resolve on the compose network), the certificate paths at a
# throwaway self-signed pair, and the pid/log/temp paths at a scratch folder, so no root (and no
# terminal for /dev/stdout) is needed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
[ -x "$nginx" ] || { echo "check-nginx: $nginx not found (install nginx or set NGINX)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/dev-cert.sh" "$work/certs" >/dev/null
mime=/etc/nginx/mime.types
[ -f "$mime" ] || { : >"$work/mime.types"; mime="$work/mime.types"; }

sed -e "s#server rest-service:8100#server 127.0.0.1:8100#" \
    -e "s#/etc/nginx/certs/#$work/certs/#g" \
    -e "s#include /etc/nginx/mime.types#include $mime#" \
    -e "s#access_log /dev/stdout#access_log $work/access.log#" \
    -e "s#error_log /dev/stderr#error_log $work/error.log#" \
    "$here/nginx.conf" >"$work/nginx.conf"
# Run as an ordinary user: pid and temp files go to the scratch folder.
sed -i "1i pid $work/nginx.pid;" "$work/nginx.conf"
sed -i "s#^http {#http {\n  client_body_temp_path $work/body;\n  proxy_temp_path $work/proxy;\n  fastcgi_temp_path $work/fastcgi;\n  uwsgi_temp_path $work/uwsgi;\n  scgi_temp_path $work/scgi;#" "$work/nginx.conf"

"$nginx" -t -q -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
echo "check-nginx: docker/nginx.conf is valid"
