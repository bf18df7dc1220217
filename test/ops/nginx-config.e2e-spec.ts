import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const DOCKER = resolve(__dirname, '../../docker');
const NGINX = '/usr/sbin/nginx';
const haveNginx = existsSync(NGINX);
if (!haveNginx) {
  console.warn(`nginx-config: ${NGINX} not found, skipping nginx -t (apt-get install nginx-light)`);
}

/** docker/nginx.conf: valid for nginx, and doing the jobs Cloudify's nginx does. */
describe('nginx.conf', () => {
  const conf = readFileSync(resolve(DOCKER, 'nginx.conf'), 'utf8');

  (haveNginx ? it : it.skip)('passes nginx -t (check-nginx.sh)', () => {
    const out = execFileSync(resolve(DOCKER, 'check-nginx.sh'), { encoding: 'utf8' });
    expect(out).toContain('is valid');
  });

  it('terminates TLS on 443 and proxies the API, the file server and the event stream', () => {
    expect(conf).toMatch(/listen 443 ssl/);
    expect(conf).toMatch(/ssl_certificate \/etc\/nginx\/certs\/nestify\.crt;/);
    expect(conf).toMatch(/location \/api\/ \{\s*proxy_pass http:\/\/rest_service;/);
    expect(conf).toMatch(/location \/resources\/ \{\s*proxy_pass http:\/\/rest_service;/);
    expect(conf).toMatch(/location \/api\/v3\.1\/events\/stream \{[^}]*proxy_buffering off;/);
    expect(conf).toMatch(/client_max_body_size \d+[kmg]?;/);
  });
});
