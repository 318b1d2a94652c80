/** How readers rated an article: the share who found it helpful, in whole percent, and how many answered; null when nobody did. */
export function helpfulness(yes: number, no: number): { percent: number; votes: number } | null {
  const votes = yes + no;
  if (votes <= 0) return null;
  return { percent: Math.round((yes / votes) * 100), votes };
}
