import { render } from 'preact';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

describe('extension test project', () => {
  it('renders Preact into happy-dom with WXT fake browser available', async () => {
    const root = document.createElement('div');
    render(<p>店铺哨兵</p>, root);
    expect(root.textContent).toBe('店铺哨兵');
    await fakeBrowser.storage.local.set({ a: 1 });
    expect(await fakeBrowser.storage.local.get('a')).toEqual({ a: 1 });
  });
});
