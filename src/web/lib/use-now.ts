import { useEffect, useState } from 'react';

/**
 * The time now, brought up to date every `everyMs`: what a due time or an age shown on
 * screen is counted from, so that "due in 1m" becomes "overdue" without a reload.
 */
export function useNow(everyMs = 15_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
