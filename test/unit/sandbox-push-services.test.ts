import { describe, expect, it } from 'vitest';
import { createSandbox } from '../sandbox/amazon.ts';
import { control, forwarded } from '../sandbox/client.ts';

/** 10:00 in China (UTC+8); China's midnight is 16:00 UTC. */
const START = Date.UTC(2026, 10, 23, 2, 0, 0);
const TURBO = 'SCT123456TAbCdEfGhIjKlMnOp';
const SCTP = 'sctp4242tQwErTyUiOp1234';
const PUSHPLUS_TOKEN = '0123456789abcdef0123456789abcdef';

function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t });
  const post = async (url: string, init: Parameters<typeof forwarded>[1]) => (await (await sandbox.handle(forwarded(url, init))).json()) as Record<string, unknown>;
  const phone = async () =>
    ((await (await sandbox.handle(control('GET', 'messages'))).json()) as { messages: Array<{ channel: string; to: string; title: string; text: string }> }).messages;
  return { sandbox, post, phone, advance: (ms: number) => (t += ms), at: (ms: number) => (t = ms) };
}

const SUCCESS = { code: 0, message: '', data: { pushid: expect.any(String), readkey: expect.any(String), error: 'SUCCESS', errno: 0 } };

describe('sandbox ServerChan', () => {
  it('accepts a Turbo SendKey at sctapi.ftqq.com/{key}.send, JSON or form, and shows title and desp', async () => {
    const { post, phone } = world();
    expect(await post(`https://sctapi.ftqq.com/${TURBO}.send`, { json: { title: 'ODR 超标', desp: '**US** 1.2%' } })).toEqual(SUCCESS);
    expect(await post(`https://sctapi.ftqq.com/${TURBO}.send`, { form: { title: '恢复', desp: 'ok' } })).toEqual(SUCCESS);
    expect((await phone()).map((m) => [m.channel, m.to, m.title, m.text])).toEqual([
      ['serverchan', TURBO, '恢复', 'ok'],
      ['serverchan', TURBO, 'ODR 超标', '**US** 1.2%'],
    ]);
  });

  it('accepts an sctp<uid>t key at <uid>.push.ft07.com/send/{key}.send, and only there', async () => {
    const { post } = world();
    const body = { json: { title: 't', desp: 'd' } };
    expect(await post(`https://4242.push.ft07.com/send/${SCTP}.send`, body)).toEqual(SUCCESS);
    expect(await post(`https://4243.push.ft07.com/send/${SCTP}.send`, body)).toMatchObject({ code: 40001, message: 'bad pushtoken' });
    expect(await post(`https://sctapi.ftqq.com/${SCTP}.send`, body)).toMatchObject({ code: 40001 });
    expect(await post(`https://4242.push.ft07.com/send/${TURBO}.send`, body)).toMatchObject({ code: 40001 });
  });

  it('answers a non-zero code for a malformed or broken key, a missing title and a title over 32 characters', async () => {
    const { sandbox, post } = world();
    expect(await post('https://sctapi.ftqq.com/nonsense.send', { json: { title: 't' } })).toMatchObject({ code: 40001 });
    await sandbox.handle(control('POST', 'wechat/serverchan', { key: TURBO }));
    expect(await post(`https://sctapi.ftqq.com/${TURBO}.send`, { json: { title: 't' } })).toMatchObject({ code: 40001 });
    const other = 'SCT99TZyXwVuTsRq';
    expect(((await post(`https://sctapi.ftqq.com/${other}.send`, { json: { desp: 'no title' } })).code as number) > 0).toBe(true);
    expect(((await post(`https://sctapi.ftqq.com/${other}.send`, { json: { title: 'x'.repeat(33) } })).code as number) > 0).toBe(true);
    expect(await post(`https://sctapi.ftqq.com/${other}.send`, { json: { title: '三'.repeat(32) } })).toEqual(SUCCESS);
  });

  it('takes 5 messages a day per key (free tier) and 5 more after midnight in China', async () => {
    const { post, at } = world();
    const send = () => post(`https://sctapi.ftqq.com/${TURBO}.send`, { json: { title: 'x' } });
    for (let i = 0; i < 5; i++) expect((await send()).code).toBe(0);
    const refused = await send();
    expect(refused.code).not.toBe(0);
    expect(refused.message).toMatch(/5/);
    at(Date.UTC(2026, 10, 23, 15, 59, 59));
    expect((await send()).code).not.toBe(0);
    at(Date.UTC(2026, 10, 23, 16, 0, 0));
    expect((await send()).code).toBe(0);
  });
});

describe('sandbox PushPlus', () => {
  const url = 'https://www.pushplus.plus/send';

  it('accepts {token, title, content, template} with {code: 200, msg: "请求成功", data: <id>}', async () => {
    const { post, phone } = world();
    const res = await post(url, { json: { token: PUSHPLUS_TOKEN, title: '店铺哨兵', content: '**ODR** 1.2%', template: 'markdown' } });
    expect(res).toEqual({ code: 200, msg: '请求成功', data: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await phone())[0]).toMatchObject({ channel: 'pushplus', to: PUSHPLUS_TOKEN, title: '店铺哨兵', text: '**ODR** 1.2%' });
  });

  it('answers 903 for a malformed or broken token', async () => {
    const { sandbox, post } = world();
    expect(await post(url, { json: { token: 'short', content: 'x' } })).toMatchObject({ code: 903 });
    await sandbox.handle(control('POST', 'wechat/pushplus', { token: PUSHPLUS_TOKEN }));
    expect(await post(url, { json: { token: PUSHPLUS_TOKEN, content: 'x' } })).toMatchObject({ code: 903 });
  });

  it('answers 900 after 200 messages in a China day, and 999 for empty content', async () => {
    const { post } = world();
    expect(await post(url, { json: { token: PUSHPLUS_TOKEN, content: '' } })).toMatchObject({ code: 999 });
    for (let i = 0; i < 200; i++) expect((await post(url, { json: { token: PUSHPLUS_TOKEN, content: `#${i}` } })).code).toBe(200);
    expect(await post(url, { json: { token: PUSHPLUS_TOKEN, content: 'one more' } })).toMatchObject({ code: 900 });
  });
});
