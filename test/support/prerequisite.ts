/**
 * Whether to skip a suite whose prerequisite (a build, Chromium) is missing: a developer's quick
 * run may, but in CI (CI=true) the suite runs and fails, so a missing install step cannot pass
 * as a green run that tested nothing.
 */
export function skipWhenMissing(present: boolean, what: string): boolean {
  if (present) return false;
  if (process.env.CI) return false;
  console.warn(`skipped: ${what} is missing (CI=true runs it and fails instead)`);
  return true;
}
