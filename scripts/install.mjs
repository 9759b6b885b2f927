// Installs the locked dependencies with `npm ci` unless they are installed already from this
// lockfile, so that a command run again on an installed clone starts at once.
import { execSync } from 'node:child_process';
import { statSync } from 'node:fs';

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

const installed = mtime('node_modules/.package-lock.json');
if (installed < 0 || installed < mtime('package-lock.json') || installed < mtime('package.json')) {
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
