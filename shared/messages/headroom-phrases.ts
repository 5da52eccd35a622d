/**
 * Headroom and the way back in words, zh-CN and English: "再有 2 笔缺陷订单将超标" / "2 more
 * defective orders and ODR (MFN) breaks". Every message says them (phrases.ts spreads them in),
 * and so does the popup's first screen, which loads this file alone rather than every phrase.
 */
import type { Language } from '../alerts/rules.ts';

export interface DefectWords {
  zh: string;
  en: string;
  enPlural: string;
  shortEn: string;
}

export interface GoodWords {
  zh: string;
  en: string;
  enPlural: string;
}

export interface HeadroomPhrases {
  headroomLeft: (n: number, defect: DefectWords) => string;
  /** Headroom once the target is broken: how far over, when the counts say. */
  headroomGone: (over: number | null, defect: DefectWords) => string;
  /** How many defect-free orders/shipments bring a broken rate back under its target. */
  wayBack: (n: number, good: GoodWords) => string;
}

function zhUnit(defectZh: string): string {
  return defectZh.endsWith('订单') ? '笔' : '次';
}

/** Orders are counted in 笔, shipments and units in 件. */
function zhGoodUnit(goodZh: string): string {
  return goodZh.endsWith('订单') ? '笔' : '件';
}

const ZH: HeadroomPhrases = {
  headroomLeft: (n, d) => (n <= 0 ? `下一${zhUnit(d.zh)}${d.zh}就会超标` : `再有 ${n} ${zhUnit(d.zh)}${d.zh}将超标`),
  headroomGone: (over, d) => (over && over > 0 ? `已无余量，超出 ${over} ${zhUnit(d.zh)}${d.zh}` : '已无余量'),
  wayBack: (n, g) => `需再有约 ${n} ${zhGoodUnit(g.zh)}${g.zh}才能回到目标内`,
};

const EN: HeadroomPhrases = {
  headroomLeft: (n, d) =>
    n <= 0 ? `the next ${d.en} breaks ${d.shortEn}` : `${n} more ${n === 1 ? d.en : d.enPlural} and ${d.shortEn} breaks`,
  headroomGone: (over, d) => (over && over > 0 ? `none - ${over} ${over === 1 ? d.en : d.enPlural} over the limit` : 'none left'),
  wayBack: (n, g) => `about ${n} more ${n === 1 ? g.en : g.enPlural} to be back under target`,
};

export function headroomPhrases(language: Language): HeadroomPhrases {
  return language === 'en' ? EN : ZH;
}
