// Small helpers the Node tests share.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths.js';

const exec = promisify(execFile);
const cliPath = join(repoRoot, 'wasm', 'js', 'cli.js');

/** The error fn throws; fails the test when it throws none. */
export function catchError(fn) {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** Runs the CLI from the repository root: {code, stdout, stderr}, whatever the exit status. */
export async function runCli(...args) {
  try {
    const { stdout, stderr } = await exec('node', [cliPath, ...args], { cwd: repoRoot });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}
