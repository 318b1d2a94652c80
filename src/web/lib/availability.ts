import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from './api';
import { qk } from './queries';
import { useSession } from './session';
import type { Availability, Me } from './types';

/**
 * My availability and the switch for it (PATCH /members/:id): while away, teams that assign
 * automatically pass me by. The rail, the user menu and the profile page show the same value.
 */
export function useAvailability() {
  const me = useSession();
  const qc = useQueryClient();
  const change = useMutation({
    mutationFn: (availability: Availability) => api(`/members/${me.member.id}`, { method: 'PATCH', body: { availability } }),
    onMutate: (availability) => {
      const before = qc.getQueryData<Me>(qk.me);
      if (before) qc.setQueryData<Me>(qk.me, { ...before, member: { ...before.member, availability } });
      return before;
    },
    onError: (_e, _a, before) => before && qc.setQueryData(qk.me, before),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: qk.me }), qc.invalidateQueries({ queryKey: qk.members })]),
  });
  // The choice shows within the click itself: the cache's update reaches React a tick later, and
  // a controlled radio would flick back to the old value until then.
  const [chosen, setChosen] = useState<Availability>();
  const set = (availability: Availability) => {
    setChosen(availability);
    change.mutate(availability, { onSettled: () => setChosen(undefined) });
  };
  return { availability: chosen ?? me.member.availability ?? 'available', set, pending: change.isPending, error: change.error };
}
