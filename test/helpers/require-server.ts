// A suite whose server is missing on this machine skips with one clear line; under
// CI=true that skip fails the run instead, so CI proves everything.
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export function requireServer(ctx: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  if (IN_CI) throw new Error(`Required test server missing in CI: ${what}`);
  console.log(`      skipped: ${what}`);
  ctx.skip();
}
