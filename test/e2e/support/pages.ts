/** Pages served at real Seller Central and ERP addresses through Playwright's request routing. */
import type { BrowserContext } from 'playwright-core';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px sans-serif;margin:0}header{background:#232f3e;color:#fff;padding:12px 20px}main{padding:20px}
/* A page's own aggressive styles: none of this may reach the panel. */
button{background:hotpink!important;font-size:30px!important} *{letter-spacing:2px}</style></head>
<body>${body}</body></html>`;

export const SELLER_CENTRAL_US = page(
  'Account Health',
  `<header><span class="dropdown-account-switcher-header-label">Acme Home US | United States</span></header>
<main><h1>Account Health</h1><p>Fixture page standing in for Seller Central.</p><button>Page button</button></main>`,
);

export const SELLER_CENTRAL_EU = page('Account Health', `<header>Seller Central Europe</header><main><h1>Account Health</h1></main>`);

export const ERP = page('店小秘', `<header>店小秘 ERP</header><main><h1>订单管理</h1><p>Fixture page standing in for an ERP.</p></main>`);

export async function servePage(context: BrowserContext, pattern: string, html: string): Promise<void> {
  await context.route(pattern, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
}
