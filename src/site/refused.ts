import { refusedMessage, type Screened } from '../content/assets.js';
import type { SitePlan } from './plan.js';

/** The plan without the copies of files that may not be published (see `screenAssets`), with a message for each. */
export function withoutRefused(plan: SitePlan, screened: ReadonlyMap<string, Screened>): SitePlan {
  if (screened.size === 0) return plan;
  const refused = plan.copies.filter((c) => screened.has(c.source));
  if (refused.length === 0) return plan;
  return {
    ...plan,
    copies: plan.copies.filter((c) => !screened.has(c.source)),
    messages: [...plan.messages, ...refused.map((c) => refusedMessage(c.source, screened.get(c.source)!))],
  };
}
