/**
 * The page's WeChat column: a phone showing every delivered message (markdown rendered simply,
 * newest first) and the WeChat switches - break a key, script an error, scan a QR code as a new
 * or returning follower, unfollow. Browser code kept as a string; it builds the DOM with
 * textContent and element properties only: message text comes from the relay and is untrusted.
 */
import type { PhoneMessage } from './inbox.ts';

const CHANNEL_NAMES: Record<PhoneMessage['channel'], string> = {
  wecom: '企业微信群机器人 WeCom',
  oa: '服务号 Official Account',
  serverchan: 'Server酱 ServerChan',
  pushplus: 'PushPlus 推送加',
};

const escapeHtml = (s: string): string => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The phone's first drawing, on the server: every message as the escaped text it is (the script
 * then redraws it with markdown). Newest first, like the inbox.
 */
export function phoneHtml(messages: PhoneMessage[]): string {
  if (messages.length === 0) return '<p class="empty">还没有消息 No messages yet</p>';
  return messages
    .map((m) => {
      const meta = `${new Date(m.at).toISOString()} · ${CHANNEL_NAMES[m.channel]} → ${m.to.slice(0, 10)}…`;
      const title = m.title ? `<div class="title">${escapeHtml(m.title)}</div>` : '';
      return `<div class="bubble"><div class="meta">${escapeHtml(meta)}</div>${title}<div class="body">${escapeHtml(m.text)}</div></div>`;
    })
    .join('');
}

export const PHONE_STYLE = `
#phone{width:22em;min-height:24em;border:10px solid #222;border-radius:24px;padding:.6em;background:#ededed;max-height:70vh;overflow:auto}
.bubble{background:#fff;border-radius:8px;padding:.4em .6em;margin:.4em 0;box-shadow:0 1px 2px #0002}
.bubble .body{white-space:pre-wrap;font:13px system-ui,sans-serif;margin:.2em 0}.bubble .title{font-weight:600}
.meta{color:#888;font-size:11px}.empty{color:#888;text-align:center}
.h{font-weight:700;font-size:14px}.quote{border-left:3px solid #ccc;padding-left:.4em;color:#555}
.c-warning{color:#d46b08}.c-info{color:#389e0d}.c-comment{color:#8c8c8c}.link{color:#1677ff;text-decoration:underline}
#wechat input{width:20em;font-family:monospace}#wechat img{width:7em;vertical-align:middle}
`;

export const PHONE_SCRIPT = String.raw`
const CHANNELS = ${JSON.stringify(CHANNEL_NAMES)};
// Inline markdown as WeCom shows it: **bold**, <font color="warning|info|comment">, [text](url).
const INLINE = /\*\*([^*]+)\*\*|<font color="(warning|info|comment)">([\s\S]*?)<\/font>|\[([^\]]+)\]\(([^)\s]+)\)/g;
function inline(parent, text) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) parent.append(text.slice(last, m.index));
    if (m[1] !== undefined) parent.append(el('strong', m[1]));
    else if (m[2] !== undefined) { const span = el('span', undefined, 'c-' + m[2]); inline(span, m[3]); parent.append(span); }
    else parent.append(el('span', m[4] + ' ↗', 'link'));
    last = m.index + m[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}
function markdown(text) {
  const box = el('div', undefined, 'body');
  for (const line of text.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    const row = el('div', undefined, heading ? 'h' : quote ? 'quote' : '');
    inline(row, heading ? heading[1] : quote ? quote[1] : line);
    if (line === '') row.append('\u00a0');
    box.append(row);
  }
  return box;
}
function renderPhone(messages) {
  const phone = document.getElementById('phone');
  phone.replaceChildren();
  if (messages.length === 0) phone.append(el('p', '还没有消息 No messages yet', 'empty'));
  for (const m of messages) {
    const bubble = el('div', undefined, 'bubble');
    bubble.append(el('div', new Date(m.at).toLocaleTimeString() + ' · ' + (CHANNELS[m.channel] || m.channel) + ' → ' + m.to.slice(0, 10) + '…', 'meta'));
    if (m.title) bubble.append(el('div', m.title, 'title'));
    // HTML (PushPlus's default template) is shown as the text it is, never interpreted.
    bubble.append(m.format === 'markdown' ? markdown(m.text) : el('div', m.text, 'body'));
    phone.append(bubble);
  }
}
function input(placeholder, value) { const i = el('input'); i.placeholder = placeholder; if (value) i.value = value; return i; }
function row(...children) { const d = el('div'); d.append(...children); return d; }
async function control(path, body) {
  const res = await fetch('/_sandbox/wechat/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  document.getElementById('msg').textContent = (res.ok ? '微信 WeChat: ' : 'Error 错误: ') + text.slice(0, 600);
  await refresh();
}
let wechatDrawn = false;
function renderWechat(w) {
  const box = document.getElementById('wechat');
  const oa = w.officialAccount;
  if (!wechatDrawn) {
    wechatDrawn = true;
    const key = input('WeCom robot key (UUID)'), sc = input('ServerChan SendKey'), pp = input('PushPlus token');
    const cb = input('http://127.0.0.1:8787/wechat/callback', oa.config.callbackUrl || '');
    box.append(
      el('h4', '企业微信 WeCom'), row(key),
      row(button('失效 Break (93000)', () => control('wecom', { key: key.value, broken: true })),
        button('限流 Next 3 → 45009', () => control('wecom', { key: key.value, errcode: 45009, count: 3 })),
        button('繁忙 Next → -1', () => control('wecom', { key: key.value, errcode: -1, count: 1 }))),
      el('h4', 'Server酱 / PushPlus'),
      row(sc, button('失效 Break', () => control('serverchan', { key: sc.value }))),
      row(pp, button('失效 Break (903)', () => control('pushplus', { token: pp.value }))),
      el('h4', '服务号 Official Account (' + oa.config.appId + ')'),
      row(cb, button('保存回调 Save callback', () => control('oa/config', { callbackUrl: cb.value || null })),
        button('校验 Verify', () => control('oa/verify', {}))),
      row(button('令牌被刷新 Token rotated', () => control('oa/token', { action: 'rotate' })),
        button('令牌过期 Token expired', () => control('oa/token', { action: 'expire' })),
        button('模板限额 Next → 45009', () => control('oa/script', { errcode: 45009, count: 1 }))),
      el('div', undefined, 'oa-live'),
    );
  }
  const live = box.querySelector('.oa-live');
  live.replaceChildren();
  const codes = oa.qrCodes.filter((q) => !q.expired).slice(-3).reverse();
  if (codes.length === 0) live.append(el('p', '没有有效二维码：在扩展的选项页绑定微信 No live QR code: bind WeChat from the extension options', 'meta'));
  for (const q of codes) {
    const img = el('img');
    img.src = '/cgi-bin/showqrcode?ticket=' + encodeURIComponent(q.ticket);
    img.alt = 'QR ' + q.scene;
    live.append(row(img, el('span', ' scene ' + q.scene + ' '), button('新用户扫码 New person scans', () => control('oa/scan', { ticket: q.ticket }))));
  }
  for (const f of oa.followers) {
    const actions = f.following
      ? [button('再次扫码 Scans again', () => control('oa/scan', { openid: f.openid })), button('取消关注 Unfollows', () => control('oa/unsubscribe', { openid: f.openid }))]
      : [el('span', ' 已取消关注 unfollowed', 'meta')];
    live.append(row(el('span', f.openid + ' ', 'mono'), ...actions));
  }
}
`;
