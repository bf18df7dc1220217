/** The four services of the manager; each publishes heartbeats under this name. */
export type AppName = 'rest-service' | 'mgmtworker' | 'logstash-bridge' | 'riemann-policy';

export const APP_NAMES: readonly AppName[] = [
  'rest-service',
  'mgmtworker',
  'logstash-bridge',
  'riemann-policy',
];

/** Names shown in GET /status, close to what Cloudify users see there. */
export const APP_DISPLAY_NAMES: Record<AppName, string> = {
  'rest-service': 'Manager Rest-Service',
  mgmtworker: 'Management Worker',
  'logstash-bridge': 'Logstash Bridge',
  'riemann-policy': 'Riemann Policy Engine',
};
