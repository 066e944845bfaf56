import { cli } from './cli';

cli(process.argv.slice(2), process.env, { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) }).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`tempest: unexpected error: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
);
