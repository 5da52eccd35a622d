import type { Level } from '../../shared/types.ts';
import { useT } from './i18n-context.tsx';
import { LEVEL_KEYS } from './labels.ts';

/** The level in words and colour - never colour alone, so it reads without colour vision. */
export function LevelPill({ level }: { level: Level }) {
  const t = useT();
  return <span class={`sw-pill sw-${level}`}>{t(LEVEL_KEYS[level])}</span>;
}
