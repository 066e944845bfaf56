// How `npm start` and `npm test` install dependencies on a fresh clone.
// `npm install` rather than `npm ci`: the lock pins every version, but npm ci
// refuses a lock whose other-platform optional binaries a registry mirror lacks.
// `--no-save`: installing from the lock must never rewrite it (another npm
// version would otherwise reformat it and leave the clone dirty).
export const INSTALL_ARGS = ['install', '--no-save', '--no-audit', '--no-fund'];
