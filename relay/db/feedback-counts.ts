/** The negative-feedback count per marketplace that the feedback report last gave (relay/pipeline/feedback-writes.ts writes it). */

export interface FeedbackCount {
  count: number;
  windowDays: number;
}

/** Negative feedback inside the ODR window per `${storeId}/${marketplaceId}` of a workspace, for the overview. */
export async function feedbackCounts(db: D1Database, workspaceId: string): Promise<Map<string, FeedbackCount>> {
  const { results } = await db
    .prepare('SELECT store_id, marketplace_id, window_count, window_days FROM feedback_counts WHERE workspace_id = ? ORDER BY store_id, marketplace_id')
    .bind(workspaceId)
    .all<{ store_id: string; marketplace_id: string; window_count: number; window_days: number }>();
  return new Map(results.map((r) => [`${r.store_id}/${r.marketplace_id}`, { count: r.window_count, windowDays: r.window_days }]));
}
