/**
 * The panel and badge live in closed shadow roots (page scripts must not read them), which
 * Playwright's locators do not enter; the DevTools protocol does (`pierce`), so tests read the
 * text and find the buttons there, then click where a person would.
 */
import type { CDPSession, Page } from 'playwright-core';

interface DomNode {
  nodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
  contentDocument?: DomNode;
}

async function session(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}

function find(node: DomNode, test: (n: DomNode) => boolean, depth = 0): DomNode | null {
  if (depth > 200) return null;
  if (test(node)) return node;
  for (const child of [...(node.shadowRoots ?? []), ...(node.children ?? [])]) {
    const hit = find(child, test, depth + 1);
    if (hit) return hit;
  }
  return null;
}

function textOf(node: DomNode, depth = 0): string {
  if (depth > 200) return '';
  if (node.nodeType === 3) return node.nodeValue;
  if (node.nodeName === 'STYLE') return '';
  return [...(node.shadowRoots ?? []), ...(node.children ?? [])].map((c) => textOf(c, depth + 1)).join(' ');
}

async function documentTree(cdp: CDPSession): Promise<DomNode> {
  const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
  return root;
}

/** All text inside the element named `tag` (its shadow root included), whitespace collapsed. */
export async function shadowText(page: Page, tag: string): Promise<string | null> {
  const cdp = await session(page);
  try {
    const host = find(await documentTree(cdp), (n) => n.nodeName === tag.toUpperCase());
    return host ? textOf(host).replace(/\s+/g, ' ').trim() : null;
  } finally {
    await cdp.detach();
  }
}

/** Polls until the text inside `tag` matches, or fails after `timeoutMs` (bounded). */
export async function waitForShadowText(page: Page, tag: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  let last: string | null = null;
  for (let waited = 0; waited <= timeoutMs; waited += 250) {
    last = await shadowText(page, tag);
    if (last !== null && pattern.test(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`<${tag}> never matched ${pattern}; last text: ${last}`);
}

/** Clicks the button inside `tag` whose text contains `label`. */
export async function clickInShadow(page: Page, tag: string, label: string): Promise<void> {
  const cdp = await session(page);
  try {
    const host = find(await documentTree(cdp), (n) => n.nodeName === tag.toUpperCase());
    const button = host && find(host, (n) => n.nodeName === 'BUTTON' && textOf(n).includes(label));
    if (!button) throw new Error(`no button "${label}" in <${tag}>`);
    const { model } = (await cdp.send('DOM.getBoxModel', { nodeId: button.nodeId })) as { model: { content: number[] } };
    const [x1, y1, , , x3, y3] = model.content as [number, number, number, number, number, number];
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}
