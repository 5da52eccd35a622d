/**
 * Every message a simulated WeChat channel accepted, for the page's phone view and for tests:
 * what a person would have seen on their phone, in the order it arrived.
 */
export type WechatChannel = 'wecom' | 'oa' | 'serverchan' | 'pushplus';

export interface PhoneMessage {
  id: number;
  /** Sandbox clock when the channel accepted it. */
  at: number;
  channel: WechatChannel;
  /** Robot key, openid, SendKey or PushPlus token. */
  to: string;
  /** Empty for WeCom, which has no title. */
  title: string;
  text: string;
  format: 'markdown' | 'text' | 'template' | 'html';
  /** The accepted request's fields as the service read them (JSON body, or form and query). */
  request: Record<string, unknown>;
}

export interface Inbox {
  add(message: Omit<PhoneMessage, 'id'>): PhoneMessage;
  /** Newest first. */
  list(): PhoneMessage[];
  clear(): void;
}

/** A demo left running for a day must not grow without bound. */
const KEEP = 500;

export function createInbox(): Inbox {
  let messages: PhoneMessage[] = [];
  let nextId = 1;
  return {
    add(message) {
      const stored = { id: nextId++, ...message };
      messages = [stored, ...messages].slice(0, KEEP);
      return stored;
    },
    list: () => messages.map((m) => ({ ...m, request: structuredClone(m.request) })),
    clear() {
      messages = [];
    },
  };
}
