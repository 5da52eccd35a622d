/** Every word a message uses, in zh-CN (the default) and English. */
import type { Language } from '../alerts/rules.ts';
import type { HealthEventKind } from '../types.ts';

export interface DefectWords {
  zh: string;
  en: string;
  enPlural: string;
  shortEn: string;
}

function zhUnit(defectZh: string): string {
  return defectZh.endsWith('订单') ? '笔' : '次';
}

export interface Phrases {
  brand: string;
  store: string;
  marketplace: string;
  value: string;
  headroom: string;
  window: string;
  openAccountHealth: string;
  windowSeparator: string;
  target: (t: string) => string;
  /** Wraps an aside: （…） / (…). */
  aside: (t: string) => string;
  label: (name: string) => string;
  changes: (n: number) => string;
  more: (n: number) => string;
  resend: string;
  reminder: string;
  remindedAge: (days: number) => string;
  headroomLeft: (n: number, defect: DefectWords) => string;
  /** Headroom once the target is broken: how far over, when the counts say. */
  headroomGone: (over: number | null, defect: DefectWords) => string;
  marketplaceName: (m: { flag: string; zh: string; en: string }) => string;
  subject: Partial<Record<HealthEventKind, string>>;
  verdict: {
    breach: string;
    warn: string;
    ok: string;
    improved: string;
    headroomLow: string;
    countRose: string;
    statusChanged: string;
    authLost: string;
    reauthDue: string;
    stale: string;
    pollingFailing: string;
  };
  advice: Partial<Record<HealthEventKind, string>>;
  accountStatus: Record<string, string>;
  testTitle: string;
  testBody: string;
}

const ZH: Phrases = {
  brand: '店铺哨兵',
  store: '店铺',
  marketplace: '站点',
  value: '数值',
  headroom: '余量',
  window: '周期',
  openAccountHealth: '打开账户状况页',
  windowSeparator: ' 至 ',
  target: (t) => `目标 ${t}`,
  aside: (t) => `（${t}）`,
  label: (name) => `${name}：`,
  changes: (n) => `${n} 项变化`,
  more: (n) => `……另有 ${n} 项变化，请在店铺哨兵扩展中查看`,
  resend: '（连接中断后重发，可能与上一条重复）',
  reminder: '⏰ 提醒',
  remindedAge: (days) => `${days} 天前已报警，仍未确认`,
  headroomLeft: (n, d) => (n <= 0 ? `下一${zhUnit(d.zh)}${d.zh}就会超标` : `再有 ${n} ${zhUnit(d.zh)}${d.zh}将超标`),
  headroomGone: (over, d) => (over && over > 0 ? `已无余量，超出 ${over} ${zhUnit(d.zh)}${d.zh}` : '已无余量'),
  marketplaceName: (m) => `${m.flag} ${m.zh}站`,
  subject: {
    account_status_changed: '账户状态',
    ahr_status_changed: '账户状况评级',
    auth_lost: '亚马逊授权',
    reauth_due: '亚马逊授权',
    data_stale: '账户状况数据',
    polling_failing: '报告拉取',
  },
  verdict: {
    breach: '已超标',
    warn: '接近超标',
    ok: '已恢复达标',
    improved: '有所好转，仍接近超标',
    headroomLow: '余量告急',
    countRose: '数量上升',
    statusChanged: '发生变化',
    authLost: '已失效',
    reauthDue: '即将到期',
    stale: '长时间未更新',
    pollingFailing: '持续失败',
  },
  advice: {
    auth_lost: '店铺已停止监控，请在选项页重新连接该店铺。',
    reauth_due: '亚马逊要求每 365 天重新授权一次，请在选项页重新连接该店铺。',
    data_stale: '已有一段时间没有拿到新的账户状况报告，数据可能已过时。',
    polling_failing: '多次请求报告都失败了，店铺哨兵会继续重试。',
  },
  accountStatus: { NORMAL: '正常', AT_RISK: '有风险', DEACTIVATED: '已停用', SUSPENDED: '已暂停', UNKNOWN: '未知' },
  testTitle: '店铺哨兵测试消息',
  testBody: '这条消息来自店铺哨兵的「发送测试」。收到它，说明这个通知渠道已经可以正常使用。',
};

const EN: Phrases = {
  brand: 'Storewatch',
  store: 'Store',
  marketplace: 'Marketplace',
  value: 'Value',
  headroom: 'Headroom',
  window: 'Window',
  openAccountHealth: 'Open Account Health',
  windowSeparator: ' to ',
  target: (t) => `target ${t}`,
  aside: (t) => ` (${t})`,
  label: (name) => `${name}: `,
  changes: (n) => `${n} changes`,
  more: (n) => `…and ${n} more changes - see Storewatch in your browser`,
  resend: '(Re-sent after an interruption - may repeat an earlier message)',
  reminder: '⏰ Reminder',
  remindedAge: (days) => `First alerted ${days} day${days === 1 ? '' : 's'} ago, not acknowledged yet`,
  headroomLeft: (n, d) =>
    n <= 0 ? `the next ${d.en} breaks ${d.shortEn}` : `${n} more ${n === 1 ? d.en : d.enPlural} and ${d.shortEn} breaks`,
  headroomGone: (over, d) => (over && over > 0 ? `none - ${over} ${over === 1 ? d.en : d.enPlural} over the limit` : 'none left'),
  marketplaceName: (m) => `${m.flag} ${m.en}`,
  subject: {
    account_status_changed: 'Account status',
    ahr_status_changed: 'Account Health Rating',
    auth_lost: 'Amazon authorization',
    reauth_due: 'Amazon authorization',
    data_stale: 'Account health data',
    polling_failing: 'Report polling',
  },
  verdict: {
    breach: 'breached its target',
    warn: 'is nearing its target',
    ok: 'is back on target',
    improved: 'improved but is still near its target',
    headroomLow: 'is running out of headroom',
    countRose: 'rose',
    statusChanged: 'changed',
    authLost: 'was lost',
    reauthDue: 'is due for renewal',
    stale: 'has not been updated for a while',
    pollingFailing: 'keeps failing',
  },
  advice: {
    auth_lost: 'The store is no longer watched: reconnect it in Storewatch options.',
    reauth_due: 'Amazon asks for re-authorization every 365 days: reconnect the store in Storewatch options.',
    data_stale: 'No fresh account health report for a while; the numbers may be out of date.',
    polling_failing: 'Requesting the report failed several times; Storewatch keeps retrying.',
  },
  accountStatus: { NORMAL: 'Normal', AT_RISK: 'At risk', DEACTIVATED: 'Deactivated', SUSPENDED: 'Suspended', UNKNOWN: 'Unknown' },
  testTitle: 'Storewatch test message',
  testBody: 'This message comes from "Send test" in Storewatch. If you can read it, this channel works.',
};

export function phrases(language: Language): Phrases {
  return language === 'en' ? EN : ZH;
}
