/**
 * A team's admin builds one zip with the relay and an enrolment code in it and puts it in the
 * fingerprint browser's extension library: every fresh profile pairs itself on first start, all as
 * devices of one member, until the code is used up - then the profile's options say so. Real
 * Chromium profiles, the real relay on local workerd (scripts/local-stack.ts), a real build.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../scripts/local-stack.ts';
import { type ExtensionBrowser, launchExtension } from './support/browser.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = fileURLToPath(new URL('../../.output/preconfigured/chrome-mv3', import.meta.url));

interface Members {
  members: Array<{ id: string; name: string; devices: Array<{ device: string }> }>;
}

let stack: LocalStack;
const browsers: ExtensionBrowser[] = [];

function build(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['wxt', 'build', '-c', 'test/e2e/support/wxt-preconfigured.config.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wxt build exited with ${code}:\n${output}`))));
  });
}

/** The team member's devices as the owner sees them, once there are `count` (bounded wait). */
async function devicesOf(name: string, count: number): Promise<Members['members'][number]> {
  for (let i = 0; i < 100; i++) {
    const { members } = (await stack.owner.call('GET', '/v1/members')) as unknown as Members;
    const member = members.find((m) => m.name === name);
    if (member && member.devices.length >= count) return member;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} never had ${count} devices`);
}

beforeAll(async () => {
  stack = await startLocalStack({ reportProcessingMs: 1500 });
  const { code } = (await stack.owner.call('POST', '/v1/invites', { devices: 2, name: '紫鸟 运营' })) as { code: string };
  await build({ STOREWATCH_RELAY_URL: stack.relayUrl, STOREWATCH_ENROL_CODE: code });
}, 240_000);

afterAll(async () => {
  for (const b of browsers) await b.close();
  await stack?.close();
});

describe('a preconfigured build in fresh browser profiles', () => {
  it('pairs each new profile by itself, as devices of one member', async () => {
    browsers.push(await launchExtension('en-US', BUILT));
    const first = await devicesOf('紫鸟 运营', 1);
    browsers.push(await launchExtension('en-US', BUILT));
    const both = await devicesOf('紫鸟 运营', 2);
    expect(both.id).toBe(first.id);
    expect(both.devices[0]!.device).not.toBe(both.devices[1]!.device);
    const options = await browsers[1]!.context.newPage();
    await options.goto(browsers[1]!.url('options.html'));
    // Options asks the relay who this profile is as it opens.
    await options.locator('.sw-connected', { hasText: 'as 紫鸟 运营 (member)' }).waitFor({ timeout: 15_000 });
  });

  it('tells a third profile that the built-in code is used up, in its options', async () => {
    const third = await launchExtension('en-US', BUILT);
    browsers.push(third);
    const options = await third.context.newPage();
    await options.goto(third.url('options.html'));
    // The background may still be asking the relay when options first opens: look again until it has.
    const refused = options.getByText('This extension came with a pairing code that the relay no longer accepts');
    for (let i = 0; i < 50 && !(await refused.isVisible()); i++) {
      await options.waitForTimeout(200);
      await options.reload();
    }
    await refused.waitFor({ timeout: 5_000 });
    expect(await refused.textContent()).toContain('The pairing code is invalid or expired');
    // Only a new code is needed: the form already names the relay the build was made for.
    expect(await options.locator('#relay-url').inputValue()).toBe(stack.relayUrl);
    expect((await devicesOf('紫鸟 运营', 2)).devices).toHaveLength(2);
  });
});
