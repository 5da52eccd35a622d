/** The small page a seller lands on after "Connect with Amazon": what happened, in zh and en. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

export function oauthResultPage(ok: boolean, zh: string, en: string): string {
  const title = ok ? '已连接 Connected' : '未能连接 Not connected';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>店铺哨兵 Storewatch - ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}h1{font-size:1.3rem}</style></head>
<body><h1>${ok ? '✅' : '⚠️'} ${title}</h1><p lang="zh-CN">${escapeHtml(zh)}</p><p lang="en">${escapeHtml(en)}</p>
<p>${ok ? '可以关闭此页面。 You can close this page.' : ''}</p></body></html>`;
}
