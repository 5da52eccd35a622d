import { describe, expect, it } from 'vitest';
import { createSandbox } from '../sandbox/amazon.ts';
import { control, forwarded } from '../sandbox/client.ts';

const START = Date.UTC(2026, 10, 23, 2, 0, 0);
const KEY = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const WEBHOOK = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`;

interface WecomAnswer {
  errcode: number;
  errmsg: string;
}
interface Phone {
  messages: Array<{ channel: string; to: string; title: string; text: string; format: string; at: number }>;
}

function world() {
  let t = START;
  const sandbox = createSandbox({ now: () => t });
  const send = async (body: unknown, url = WEBHOOK): Promise<WecomAnswer & { status: number }> => {
    const res = await sandbox.handle(forwarded(url, typeof body === 'string' ? { body } : { json: body }));
    return { status: res.status, ...((await res.json()) as WecomAnswer) };
  };
  const markdown = (content: string) => send({ msgtype: 'markdown', markdown: { content } });
  const phone = async () => (await (await sandbox.handle(control('GET', 'messages'))).json()) as Phone;
  return { sandbox, send, markdown, phone, advance: (ms: number) => (t += ms) };
}

describe('sandbox WeCom group robot', () => {
  it('accepts markdown and text with HTTP 200 {errcode: 0, errmsg: "ok"} and shows them newest first', async () => {
    const { send, markdown, phone, advance } = world();
    expect(await markdown('**ODR** <font color="warning">1.2%</font>')).toEqual({ status: 200, errcode: 0, errmsg: 'ok' });
    advance(1000);
    expect((await send({ msgtype: 'text', text: { content: 'hello', mentioned_list: ['@all'] } })).errcode).toBe(0);
    const { messages } = await phone();
    expect(messages.map((m) => [m.channel, m.to, m.format, m.text, m.at])).toEqual([
      ['wecom', KEY, 'text', 'hello', START + 1000],
      ['wecom', KEY, 'markdown', '**ODR** <font color="warning">1.2%</font>', START],
    ]);
  });

  it('draws the phone on the page itself, newest first, with the message text escaped', async () => {
    const { sandbox, markdown, advance } = world();
    await markdown('**ODR** <font color="warning">1.2%</font> <img src=x onerror=alert(1)>');
    advance(1000);
    await markdown('第二条 second');
    const page = await (await sandbox.handle(new Request('http://sandbox.test/'))).text();
    const phone = page.slice(page.indexOf('<div id="phone">'), page.indexOf('<div id="wechat">'));
    expect(phone.indexOf('第二条 second')).toBeGreaterThan(-1);
    expect(phone.indexOf('第二条 second')).toBeLessThan(phone.indexOf('**ODR**'));
    expect(phone).toContain('&#60;font color=&#34;warning&#34;&#62;1.2%&#60;/font&#62; &#60;img src=x onerror=alert(1)&#62;');
    expect(phone).not.toContain('<img');
    expect(phone).toContain('企业微信群机器人 WeCom');
  });

  it('answers 93000 with HTTP 200 for a key that is not a UUID, a missing key, and a key the control API broke', async () => {
    const { sandbox, send } = world();
    const body = { msgtype: 'text', text: { content: 'x' } };
    const notUuid = await send(body, 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=not-a-key');
    expect(notUuid.status).toBe(200);
    expect(notUuid.errcode).toBe(93000);
    expect(notUuid.errmsg).toMatch(/^invalid webhook url, hint: \[\d+\].*e=93000$/);
    expect((await send(body, 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send')).errcode).toBe(93000);
    expect((await sandbox.handle(control('POST', 'wechat/wecom', { key: KEY, broken: true }))).status).toBe(200);
    expect((await send(body)).errcode).toBe(93000);
  });

  it('answers 45009 to the 21st message within a minute, and accepts again once the first is a minute old', async () => {
    const { markdown, phone, advance } = world();
    for (let i = 0; i < 20; i++) {
      expect((await markdown(`#${i}`)).errcode).toBe(0);
      advance(1000);
    }
    expect((await markdown('one too many')).errcode).toBe(45009);
    advance(60_000 - 20_000);
    expect((await markdown('later')).errcode).toBe(0);
    expect((await phone()).messages).toHaveLength(21);
  });

  it('answers 45002 past 4096 UTF-8 bytes of markdown and 2048 of text, counting Chinese as 3 bytes', async () => {
    const { send, markdown } = world();
    expect((await markdown('a'.repeat(4096))).errcode).toBe(0);
    expect((await markdown('超'.repeat(1366))).errcode).toBe(45002);
    expect((await send({ msgtype: 'text', text: { content: '超'.repeat(682) } })).errcode).toBe(0);
    expect((await send({ msgtype: 'text', text: { content: '超'.repeat(683) } })).errcode).toBe(45002);
  });

  it('answers 40008 for an uppercase or unknown msgtype and for a body that is not JSON', async () => {
    const { send } = world();
    expect((await send({ msgtype: 'MARKDOWN', MARKDOWN: { content: 'x' } })).errcode).toBe(40008);
    expect((await send({ msgtype: 'sticker', sticker: { content: 'x' } })).errcode).toBe(40008);
    const broken = await send('{"msgtype": "markdown", ');
    expect(broken.errcode).toBe(40008);
    expect(broken.errmsg).toContain('Warning: wrong json format.');
  });

  it('answers 44004 for empty content and 44002 for an empty body', async () => {
    const { send, markdown } = world();
    expect((await markdown('   ')).errcode).toBe(44004);
    expect((await send({ msgtype: 'text' })).errcode).toBe(44004);
    expect((await send('')).errcode).toBe(44002);
  });

  it('answers a scripted errcode (45009, then -1) for the next N messages, then delivers again', async () => {
    const { sandbox, markdown, phone } = world();
    await sandbox.handle(control('POST', 'wechat/wecom', { key: KEY, errcode: 45009, count: 2 }));
    expect((await markdown('a')).errcode).toBe(45009);
    expect((await markdown('b')).errcode).toBe(45009);
    await sandbox.handle(control('POST', 'wechat/wecom', { key: KEY, errcode: -1 }));
    expect((await markdown('c')).errcode).toBe(-1);
    expect((await markdown('d')).errcode).toBe(0);
    expect((await phone()).messages.map((m) => m.text)).toEqual(['d']);
  });

  it('rejects a control call without a key or a fault with 400', async () => {
    const { sandbox } = world();
    expect((await sandbox.handle(control('POST', 'wechat/wecom', {}))).status).toBe(400);
    expect((await sandbox.handle(control('POST', 'wechat/wecom', { key: KEY }))).status).toBe(400);
  });
});
