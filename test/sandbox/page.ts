/**
 * GET / - the demo control page: every demo marketplace's metrics against target, buttons that
 * add defects and trigger faults through /_sandbox/, and the WeChat phone (page-phone.ts).
 * Self-contained (no external assets); the
 * script builds the DOM with textContent only, never innerHTML with data.
 */
import { html } from './http.ts';
import type { PhoneMessage } from './inbox.ts';
import { PHONE_SCRIPT, PHONE_STYLE, phoneHtml } from './page-phone.ts';

const SCRIPT = String.raw`
const LABELS = {
  orderDefectRate: '订单缺陷率 ODR (MFN)', 'orderDefectRate.afn': '订单缺陷率 ODR (AFN)',
  lateShipmentRate: '迟发率 Late shipment (30d)', lateShipmentRate10d: '迟发率 Late shipment (10d)', preFulfillmentCancellationRate: '取消率 Cancellation',
  invoiceDefectRate: '发票缺陷率 Invoice defects', validTrackingRate: '有效追踪率 Valid tracking',
  onTimeDeliveryRate: '准时交货率 On-time delivery', unitOnTimeDeliveryRate: '单件准时交货率 Unit on-time delivery',
};
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) document.getElementById('msg').textContent = 'Error 错误: ' + (await res.text());
  await refresh();
}
function button(text, onClick) { const b = el('button', text); b.addEventListener('click', onClick); return b; }
function pct(x) { return (x * 100).toFixed(2) + ' %'; }
function render(state) {
  const root = document.getElementById('sellers');
  root.replaceChildren();
  for (const s of state.sellers) {
    const box = el('section');
    box.append(el('h2', s.storeName + ' · ' + s.sellerId + ' · ' + s.region.toUpperCase() + (s.revoked ? ' · 已撤销授权 revoked' : '')));
    box.append(el('p', '刷新令牌 Refresh token: ' + s.refreshToken, 'mono'));
    const faults = el('div', '故障 Faults: ');
    for (const f of state.faultKinds) faults.append(button(f, () => post('/_sandbox/faults', { sellerId: s.sellerId, fault: f, count: f === 'throttle' ? 3 : 1 })));
    const active = state.faults.filter((f) => f.sellerId === s.sellerId).map((f) => f.fault + ' x' + f.remaining).join(', ');
    faults.append(el('span', active ? ' 生效中 active: ' + active : ''));
    box.append(faults);
    for (const m of s.marketplaces) {
      box.append(el('h3', m.countryCode + ' ' + m.name + ' (' + m.id + ') · AHR ' + m.ahrScore));
      const table = el('table');
      const head = el('tr');
      for (const h of ['指标 Metric', '数值 Value', '目标 Target', '计数 Count']) head.append(el('th', h));
      table.append(head);
      for (const [key, v] of Object.entries(m.rates)) {
        const tr = el('tr', undefined, v.status === 'GOOD' ? 'good' : 'bad');
        tr.append(el('td', LABELS[key] || key), el('td', pct(v.rate)), el('td', (v.condition === 'LESS_THAN' ? '< ' : '>= ') + pct(v.target)), el('td', v.n + ' / ' + v.total));
        table.append(tr);
      }
      for (const [key, n] of Object.entries(m.policies)) {
        if (n === 0 && key !== 'listingPolicyViolations') continue;
        const tr = el('tr', undefined, n === 0 ? 'good' : 'bad');
        tr.append(el('td', '政策违规 ' + key), el('td', String(n)), el('td', '= 0'), el('td', String(n)));
        table.append(tr);
      }
      box.append(table);
      const odr = m.rates.orderDefectRate, lsr = m.rates.lateShipmentRate;
      const target = { sellerId: s.sellerId, marketplaceId: m.id };
      box.append(
        button('+1 缺陷订单 defective order', () => post('/_sandbox/metrics', { ...target, metric: 'orderDefectRate', defects: odr.n + 1 })),
        button('+1 迟发 late shipment', () => post('/_sandbox/metrics', { ...target, metric: 'lateShipmentRate', defects: lsr.n + 1 })),
        button('+1 政策违规 policy violation', () => post('/_sandbox/metrics', { ...target, metric: 'listingPolicyViolations', count: m.policies.listingPolicyViolations + 1 })),
      );
    }
    root.append(box);
  }
  document.getElementById('now').textContent = new Date(state.now).toISOString();
}
async function refresh() {
  try {
    render(await (await fetch('/_sandbox/state')).json());
    renderPhone((await (await fetch('/_sandbox/messages')).json()).messages);
    renderWechat(await (await fetch('/_sandbox/wechat')).json());
  }
  catch (e) { document.getElementById('msg').textContent = 'Sandbox unreachable 沙盒无法连接: ' + e; }
}
document.getElementById('clear').addEventListener('click', () => fetch('/_sandbox/faults', { method: 'DELETE' }).then(refresh));
document.getElementById('clear-phone').addEventListener('click', () => fetch('/_sandbox/messages', { method: 'DELETE' }).then(refresh));
document.getElementById('reset').addEventListener('click', () => post('/_sandbox/reset', {}));
refresh();
setInterval(refresh, 2000);
`;

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>沙盒亚马逊 Sandbox Amazon · Storewatch</title>
<style>
body{font:14px system-ui,sans-serif;margin:1.5em;max-width:70em}
section{border:1px solid #ccc;border-radius:6px;padding:.5em 1em;margin:1em 0}
table{border-collapse:collapse;margin:.3em 0}td,th{padding:.15em .7em;text-align:left}
tr.good td{background:#e6f6e6}tr.bad td{background:#fbe3e3;color:#900}
button{margin:.15em}.mono{font-family:monospace}#msg{color:#900}
.layout{display:flex;gap:1.5em;align-items:flex-start}#sellers{flex:1}
${PHONE_STYLE}
</style></head><body>
<h1>沙盒亚马逊与微信 Sandbox Amazon + WeChat</h1>
<p>模拟时钟 Clock: <span id="now"></span> · <button id="clear">清除故障 Clear faults</button> <button id="reset">重置 Reset</button></p>
<p id="msg"></p>
<div class="layout"><div id="sellers"></div><div><h3>微信 WeChat (phone view) <button id="clear-phone">清空 Clear</button></h3><div id="phone"><!--phone--></div><div id="wechat"></div></div></div>
<script>${SCRIPT}${PHONE_SCRIPT}</script>
</body></html>`;

/** The phone is also drawn on the server, so the page shows the messages before (or without) its script. */
export function page(messages: PhoneMessage[]): Response {
  return html(PAGE.replace('<!--phone-->', () => phoneHtml(messages)));
}
