import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  container_name?: string;
}

const compose = parse(readFileSync(resolve(__dirname, '../../docker/docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
const services = compose.services;
const APPS = ['rest-service', 'mgmtworker', 'logstash-bridge', 'riemann-policy'];

/** docker/docker-compose.yml, read as Docker Compose reads it (YAML merge keys on). */
describe('docker-compose.yml', () => {
  it('has nginx, postgres, rabbitmq and every app', () => {
    expect(Object.keys(services).sort()).toEqual(['nginx', 'postgres', 'rabbitmq', ...APPS].sort());
  });

  it.each(APPS)('runs %s from the one image, by command', (app) => {
    expect(services[app].image).toMatch(/^nestify:/);
    expect(services[app].command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
  });

  it.each(APPS)('wires %s to the compose postgres and rabbitmq, after they are healthy', (app) => {
    const env = services[app].environment ?? {};
    expect(new URL(env.DATABASE_URL.replace(/\$\{[^}]+\}/g, 'x')).host).toBe('postgres:5432');
    expect(new URL(env.AMQP_URL.replace(/\$\{[^}]+\}/g, 'x')).host).toBe('rabbitmq:5672');
    expect(services[app].depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
    });
  });

  it('lets mgmtworker scale: no fixed container name, no host port', () => {
    expect(services.mgmtworker.container_name).toBeUndefined();
    expect(services.mgmtworker.ports).toBeUndefined();
  });

  it('gives every service a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test?.length ?? 0 }).toEqual({
        name,
        test: expect.any(Number),
      });
      expect(service.healthcheck?.test.length).toBeGreaterThan(1);
    }
    expect(services['rest-service'].healthcheck?.test.join(' ')).toContain('/api/v3.1/ok');
  });

  it('serves only through nginx on 443, and points policies at the REST service', () => {
    expect(services.nginx.ports).toContain('443:443');
    expect(services['rest-service'].ports).toBeUndefined();
    expect(services['riemann-policy'].environment?.MANAGER_REST_URL).toBe(
      'http://rest-service:8100',
    );
  });

  it('keeps state in named volumes shared where files must be', () => {
    const mounts = (name: string) => (services[name].volumes ?? []).map((v) => v.split(':')[0]);
    expect(mounts('postgres')).toContain('postgres-data');
    expect(mounts('rabbitmq')).toContain('rabbitmq-data');
    expect(mounts('rest-service')).toEqual(expect.arrayContaining(['resources', 'rest-data']));
    expect(mounts('mgmtworker')).toContain('resources');
    expect(mounts('nginx')).toEqual(expect.arrayContaining(['./nginx.conf', './certs']));
    for (const volume of ['postgres-data', 'rabbitmq-data', 'resources', 'rest-data']) {
      expect(compose.volumes).toHaveProperty([volume]);
    }
  });
});
