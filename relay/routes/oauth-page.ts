/** The small pages a seller sees around "Connect with Amazon", in zh and en; every value escaped. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const HEAD = (title: string) => `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>店铺哨兵 Storewatch - ${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.3rem}button{font:inherit;padding:.4rem 1rem}</style></head>`;

export function oauthResultPage(ok: boolean, zh: string, en: string): string {
  const title = ok ? '已连接 Connected' : '未能连接 Not connected';
  return `${HEAD(title)}
<body><h1>${ok ? '✅' : '⚠️'} ${title}</h1><p lang="zh-CN">${escapeHtml(zh)}</p><p lang="en">${escapeHtml(en)}</p>
<p>${ok ? '可以关闭此页面。 You can close this page.' : ''}</p></body></html>`;
}

export interface ConfirmPage {
  workspaceName: string;
  sellerId: string;
  region: string;
  /** The store being re-authorized, if any. */
  storeName: string | null;
  /** Posted back as they are: the state and the form token (the code stays on the relay). */
  fields: Record<'state' | 'csrf', string>;
}

/** Names the workspace the store joins and asks for a click: nothing is stored before it. */
export function oauthConfirmPage(p: ConfirmPage): string {
  const ws = escapeHtml(p.workspaceName);
  const seller = escapeHtml(p.sellerId);
  const region = escapeHtml(p.region.toUpperCase());
  const what = p.storeName
    ? `<p lang="zh-CN">重新授权工作区“${ws}”中的店铺“${escapeHtml(p.storeName)}”（亚马逊卖家 ${seller}，${region}）？</p>
<p lang="en">Reconnect store "${escapeHtml(p.storeName)}" (Amazon seller ${seller}, ${region}) in workspace "${ws}"?</p>`
    : `<p lang="zh-CN">将亚马逊卖家 ${seller}（${region}）连接到店铺哨兵工作区“${ws}”？该工作区的成员将能看到这个店铺的账户状况。</p>
<p lang="en">Connect Amazon seller ${seller} (${region}) to the Storewatch workspace "${ws}"? Its members will see this store's account health.</p>`;
  const hidden = Object.entries(p.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `${HEAD('确认 Confirm')}
<body><h1>店铺哨兵 Storewatch</h1>${what}
<form method="post" action="/v1/oauth/callback">${hidden}<button type="submit">确认连接 Confirm</button></form>
<p>如果这不是你发起的，请关闭此页面。 If you did not start this, close this page.</p></body></html>`;
}
