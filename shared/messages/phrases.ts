/** Every word a message uses, in zh-CN (the default) and English. */
import type { Language } from '../alerts/rules.ts';
import type { HealthEventKind } from '../types.ts';
import { type HeadroomPhrases, headroomPhrases } from './headroom-phrases.ts';

export type { DefectWords, GoodWords } from './headroom-phrases.ts';

/** The ODR's breakdown counts, as the report names them. */
export type OdrPart = 'claims' | 'chargebacks' | 'negativeFeedback';

export interface Phrases extends HeadroomPhrases {
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
  /** Label of the way-back line. */
  wayBackLabel: string;
  /** Label of the first-step line and the help link's text. */
  firstStep: string;
  help: string;
  /** "新增 1 笔 A-to-z 索赔" / "1 new A-to-z claim". */
  odrNew: (n: number, part: OdrPart) => string;
  odrPart: (part: OdrPart) => string;
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
    scoreDown: string;
    scoreUp: string;
    warningOn: string;
    warningOff: string;
    suspendedOn: string;
    suspendedOff: string;
  };
  advice: Partial<Record<HealthEventKind, string>>;
  accountStatus: Record<string, string>;
  testTitle: string;
  testBody: string;
}

const ODR_ZH: Record<OdrPart, string> = { claims: 'A-to-z 索赔', chargebacks: '信用卡拒付', negativeFeedback: '负面反馈' };

const ZH: Phrases = {
  ...headroomPhrases('zh-CN'),
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
  wayBackLabel: '回到目标内',
  firstStep: '先做',
  help: '亚马逊帮助',
  odrNew: (n, part) => `新增 ${n} 笔${ODR_ZH[part]}`,
  odrPart: (part) => ODR_ZH[part],
  marketplaceName: (m) => `${m.flag} ${m.zh}站`,
  subject: {
    account_status_changed: '账户状态',
    ahr_status_changed: '账户状况评级',
    ahr_score_changed: '账户状况评级',
    warning_state_changed: '账户警告',
    suspended_listings: '被暂停的商品',
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
    scoreDown: '分数下降',
    scoreUp: '分数上升',
    warningOn: '变为 BAD',
    warningOff: '已解除',
    suspendedOn: '已出现',
    suspendedOff: '已全部恢复',
  },
  advice: {
    auth_lost: '店铺已停止监控，请在选项页重新连接该店铺。',
    reauth_due: '亚马逊要求每 365 天重新授权一次，请在选项页重新连接该店铺。',
    data_stale: '已有一段时间没有拿到新的账户状况报告，数据可能已过时。',
    polling_failing: '多次请求报告都失败了，店铺哨兵会继续重试。',
    odr_defects_rose: '即使订单缺陷率仍在目标内，也请尽快处理这笔新的缺陷，以免它超标。',
    warning_state_changed: '在账户状况页查看这条警告的详情。',
    suspended_listings: '在库存页筛选“已停售”的商品，查看原因并处理。',
  },
  accountStatus: { NORMAL: '正常', AT_RISK: '有风险', DEACTIVATED: '已停用', SUSPENDED: '已暂停', UNKNOWN: '未知' },
  testTitle: '店铺哨兵测试消息',
  testBody: '这条消息来自店铺哨兵的「发送测试」。收到它，说明这个通知渠道已经可以正常使用。',
};

const ODR_EN: Record<OdrPart, [string, string]> = {
  claims: ['A-to-z claim', 'A-to-z claims'],
  chargebacks: ['chargeback', 'chargebacks'],
  negativeFeedback: ['negative feedback', 'negative feedback'],
};

const EN: Phrases = {
  ...headroomPhrases('en'),
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
  wayBackLabel: 'Way back',
  firstStep: 'First step',
  help: "Amazon's help",
  odrNew: (n, part) => `${n} new ${ODR_EN[part][n === 1 ? 0 : 1]}`,
  odrPart: (part) => ODR_EN[part][1],
  marketplaceName: (m) => `${m.flag} ${m.en}`,
  subject: {
    account_status_changed: 'Account status',
    ahr_status_changed: 'Account Health Rating',
    ahr_score_changed: 'Account Health Rating',
    warning_state_changed: 'Account warning',
    suspended_listings: 'Suspended listings',
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
    scoreDown: 'score dropped',
    scoreUp: 'score rose',
    warningOn: 'turned BAD',
    warningOff: 'cleared',
    suspendedOn: 'appeared',
    suspendedOff: 'all reinstated',
  },
  advice: {
    auth_lost: 'The store is no longer watched: reconnect it in Storewatch options.',
    reauth_due: 'Amazon asks for re-authorization every 365 days: reconnect the store in Storewatch options.',
    data_stale: 'No fresh account health report for a while; the numbers may be out of date.',
    polling_failing: 'Requesting the report failed several times; Storewatch keeps retrying.',
    odr_defects_rose: 'The order defect rate is still under target: resolve the new defect soon so it stays there.',
    warning_state_changed: 'See this warning on the Account Health page.',
    suspended_listings: 'Filter your inventory for suspended listings to see why and fix them.',
  },
  accountStatus: { NORMAL: 'Normal', AT_RISK: 'At risk', DEACTIVATED: 'Deactivated', SUSPENDED: 'Suspended', UNKNOWN: 'Unknown' },
  testTitle: 'Storewatch test message',
  testBody: 'This message comes from "Send test" in Storewatch. If you can read it, this channel works.',
};

export function phrases(language: Language): Phrases {
  return language === 'en' ? EN : ZH;
}
