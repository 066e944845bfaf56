import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, findRepoRoot, loadConfig } from '@tempest/config';
import { SEARCH_ATTRIBUTES } from '@tempest/temporal';

// The tests don't start the stack (that needs a Docker engine); they check what can
// drift without anyone noticing: names, ports and credentials that must agree.

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { published?: string | number; target?: string | number })[];
  healthcheck?: { test?: string | string[] };
  volumes?: string[];
}

const root = findRepoRoot();
const known = new Set<string>(configVariables);
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };

/** The processes built from apps/Dockerfile; `migrate` runs the same image and reads the same config. */
const TEMPEST = ['gateway', 'worker', 'sensors', 'migrate'];
/** Stands in for a variable compose requires from the shell, e.g. ${TEMPEST_ADMIN_API_KEY:?...}. */
const PLAUSIBLE = 'plausible-value-0123456789';
/** Variables whose value has a form of its own. */
const PLAUSIBLE_BY_NAME: Record<string, string> = { TEMPEST_DATASTORE_KEY: Buffer.alloc(32, 7).toString('base64') };

function service(name: string): Service {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as compose passes it: either YAML form, `$$` and ${VAR...} interpolated. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  const entries = Array.isArray(env) ? env.map((line) => line.split(/=(.*)/s, 2)) : Object.entries(env);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value == null ? '' : String(value))]));
}

function interpolate(value: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?([?-])([^}]*))?\}/g, (match, name: string, operator?: string, fallback?: string) => {
    if (match === '$$') return '$';
    return operator === '-' ? (fallback ?? '') : (PLAUSIBLE_BY_NAME[name] ?? PLAUSIBLE);
  });
}

/** Published ports as host/container pairs, from the short ('[ip:]host:container') or long syntax. */
function ports(name: string): { host: string; container: string }[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port === 'object') return { host: String(port.published), container: String(port.target) };
    const parts = String(port).split(':');
    const container = parts.pop()!.replace(/\/\w+$/, '');
    return { host: parts.pop() ?? '', container };
  });
}

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

describe('docker-compose.yml', () => {
  it('defines Postgres, Temporal, its setup and Web UI, and every Tempest process', () => {
    const required = ['postgres', 'temporal', 'temporal-setup', 'temporal-ui', ...TEMPEST];
    expect(required.filter((name) => !compose.services?.[name])).toEqual([]);
  });

  it('sets only variables Tempest knows on its services, so a typo fails here', () => {
    const unknown = TEMPEST.flatMap((name) =>
      Object.keys(environment(name))
        .filter((key) => !known.has(key))
        .map((key) => `${name}: ${key}`),
    );
    expect(unknown).toEqual([]);
  });

  it.each(TEMPEST)('gives %s an environment that loadConfig accepts', (name) => {
    const config = loadConfig(environment(name));
    expect(config.databaseUrl).toBeDefined();
    expect(config.temporal.external).toBe(true);
  });

  it('publishes the gateway on the port it listens on, on every interface', () => {
    const env = environment('gateway');
    const port = env.TEMPEST_GATEWAY_PORT;
    expect(env.TEMPEST_GATEWAY_HOST).toBe('0.0.0.0');
    expect(port).toMatch(/^\d+$/);
    expect(ports('gateway')).toContainEqual({ host: port, container: port });
    expect(text(service('gateway').healthcheck?.test)).toContain(`:${port}/api/v1/health`);
  });

  it('points the Tempest services at the temporal service on port 7233, in the namespace temporal-setup prepares', () => {
    for (const name of TEMPEST) {
      expect(environment(name).TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(environment(name).TEMPORAL_NAMESPACE).toBe(environment('temporal-setup').TEMPORAL_NAMESPACE);
    }
    expect(ports('temporal')).toContainEqual({ host: '7233', container: '7233' });
  });

  it('connects the Tempest services to the postgres service with its user, password and database', () => {
    const postgres = environment('postgres');
    for (const name of TEMPEST) {
      const url = new URL(environment(name).DATABASE_URL);
      expect(url.hostname).toBe('postgres');
      expect(url.port).toMatch(/^(5432)?$/);
      expect(decodeURIComponent(url.username)).toBe(postgres.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    }
  });

  it("gives Temporal the postgres service's credentials", () => {
    const postgres = environment('postgres');
    const temporal = environment('temporal');
    expect(temporal).toMatchObject({ POSTGRES_SEEDS: 'postgres', POSTGRES_USER: postgres.POSTGRES_USER });
    expect(temporal.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);
    // auto-setup resolves DYNAMIC_CONFIG_FILE_PATH under /etc/temporal, where ./temporal/dynamicconfig is mounted.
    expect(service('temporal').volumes).toContain('./temporal/dynamicconfig:/etc/temporal/config/dynamicconfig:ro');
    const file = temporal.DYNAMIC_CONFIG_FILE_PATH.match(/^config\/dynamicconfig\/([^/]+)$/)?.[1];
    expect(file && existsSync(join(root, 'temporal/dynamicconfig', file))).toBe(true);
  });

  it('publishes Temporal Web on 8233, where TEMPORAL_WEB_URL links to', () => {
    expect(ports('temporal-ui')).toContainEqual({ host: '8233', container: '8080' });
    for (const name of TEMPEST) expect(new URL(environment(name).TEMPORAL_WEB_URL).port).toBe('8233');
  });

  it('builds the Tempest services from apps/Dockerfile, which exists and keeps nx.json for findRepoRoot', () => {
    for (const name of TEMPEST) expect(service(name).build).toEqual({ context: '.', dockerfile: 'apps/Dockerfile' });
    expect(existsSync(join(root, 'apps/Dockerfile'))).toBe(true);
    const dockerfile = readFileSync(join(root, 'apps/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^COPY --from=build .*\bnx\.json\b/m);
    expect(dockerfile).toMatch(/^USER (?!root\b)\w+/m);
  });

  it.each(['gateway', 'worker', 'sensors'])('runs the compiled entry point of %s', (name) => {
    expect(text(service(name).command)).toContain(`dist/apps/${name}/src/main.js`);
    expect(existsSync(join(root, 'apps', name, 'src/main.ts'))).toBe(true);
  });

  it('migrates with the compiled migration entry point', () => {
    expect(text(service('migrate').command)).toContain('dist/apps/gateway/src/migrate.js');
    expect(existsSync(join(root, 'apps/gateway/src/migrate.ts'))).toBe(true);
  });

  it('registers exactly the search attributes in SEARCH_ATTRIBUTES', () => {
    const setup = service('temporal-setup');
    const registered = Object.fromEntries(environment('temporal-setup').SEARCH_ATTRIBUTES.split(/\s+/).map((pair) => pair.split('=')));
    expect(registered).toEqual(SEARCH_ATTRIBUTES);
    expect(text(setup.command)).toContain('temporal operator search-attribute create');
    expect(text(setup.command)).toContain('$$SEARCH_ATTRIBUTES');
  });
});
