/** The daily digest's words, zh-CN (the default) and English. */
import type { Language } from '../alerts/rules.ts';

export interface DigestWords {
  title: (day: string) => string;
  summary: (stores: number, breach: number, warn: number, changes: number) => string;
  atRisk: (n: number) => string;
  changes: (n: number) => string;
  changesLabel: string;
  moreChanges: (n: number) => string;
  negativeFeedback: (count: number, days: number) => string;
  authLost: string;
  healthyRest: (n: number) => string;
  allHealthy: (n: number) => string;
  moreStores: (n: number) => string;
  noStores: string;
}

const ZH: DigestWords = {
  title: (day) => `店铺哨兵早报 · ${day}`,
  summary: (stores, breach, warn, changes) => `共 ${stores} 个店铺：${breach} 个超标，${warn} 个接近超标；24 小时内 ${changes} 项变化`,
  atRisk: (n) => `${n} 个店铺有风险`,
  changes: (n) => `24小时 ${n} 项变化`,
  changesLabel: '24 小时内',
  moreChanges: (n) => `等另外 ${n} 项`,
  negativeFeedback: (count, days) => `近 ${days} 天差评 ${count} 条`,
  authLost: '亚马逊授权已失效，已停止监控',
  healthyRest: (n) => `其余 ${n} 个店铺一切正常`,
  allHealthy: (n) => `${n} 个店铺一切正常`,
  moreStores: (n) => `…及另外 ${n} 个店铺，请在店铺哨兵扩展中查看`,
  noStores: '还没有连接店铺',
};

const EN: DigestWords = {
  title: (day) => `Storewatch daily digest · ${day}`,
  summary: (stores, breach, warn, changes) =>
    `${stores} store${stores === 1 ? '' : 's'}: ${breach} breached, ${warn} near a target; ${changes} change${changes === 1 ? '' : 's'} in 24 hours`,
  atRisk: (n) => `${n} store${n === 1 ? '' : 's'} at risk`,
  changes: (n) => `${n} change${n === 1 ? '' : 's'} in 24h`,
  changesLabel: 'Last 24 hours',
  moreChanges: (n) => `and ${n} more`,
  negativeFeedback: (count, days) => `${count} negative feedback in ${days} days`,
  authLost: 'Amazon authorization lost: no longer watched',
  healthyRest: (n) => `The other ${n} store${n === 1 ? ' is' : 's are'} fine`,
  allHealthy: (n) => `All ${n} store${n === 1 ? ' is' : 's are'} fine`,
  moreStores: (n) => `…and ${n} more store${n === 1 ? '' : 's'} - see Storewatch in your browser`,
  noStores: 'No store connected yet',
};

export function digestWords(language: Language): DigestWords {
  return language === 'en' ? EN : ZH;
}
