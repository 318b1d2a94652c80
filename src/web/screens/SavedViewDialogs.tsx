import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Field, inputCls, Modal } from '../components/Modal';
import { Button } from '../components/ui';
import { t } from '../i18n';
import { ApiError } from '../lib/api';
import { useSavedViewMutations, useTeams } from '../lib/queries';
import { useSession } from '../lib/session';
import type { SavedView } from '../lib/types';
import { type ListQuery, savedFiltersOf } from '../lib/views';

const isAdminRole = (role: string) => role === 'owner' || role === 'admin';

/** What went wrong, said with the field's own label where the server named one. */
function problem(e: unknown, labels: Record<string, string>) {
  if (e instanceof ApiError) {
    if (e.status === 403) return t('error.forbidden');
    if (e.errors.length) return e.errors.map((x) => `${labels[x.field] ?? x.field}: ${x.reason}`).join('; ');
    return e.detail;
  }
  return e instanceof Error ? e.message : String(e);
}

function ErrorLine({ error, labels }: { error: unknown; labels: Record<string, string> }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-md bg-danger-soft px-3 py-2 text-[13px] text-danger">
      {problem(error, labels)}
    </p>
  );
}

/**
 * "Save view": a name and who sees it (only me, or one of my teams; an admin may pick any
 * team), for the list as it is now (its filters and order). The new view opens.
 */
export function SaveViewDialog({ open, onOpenChange, query }: { open: boolean; onOpenChange: (o: boolean) => void; query: ListQuery }) {
  const me = useSession();
  const teams = (useTeams().data ?? []).filter((tm) => isAdminRole(me.member.role) || tm.memberIds?.includes(me.member.id));
  const { create } = useSavedViewMutations();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [scope, setScope] = useState('me');
  const { filters, dropped } = savedFiltersOf(query);
  const close = (o: boolean) => {
    if (!o) {
      setName('');
      setScope('me');
      create.reset();
    }
    onOpenChange(o);
  };
  const submit = () =>
    create.mutate(
      { name: name.trim(), filters, ...(scope === 'me' ? { personal: true as const } : { teamId: scope }) },
      {
        onSuccess: (v) => {
          close(false);
          navigate(`/inbox/saved:${v.id}`);
        },
      },
    );
  const empty = !Object.keys(filters).some((k) => k !== 'sort');
  return (
    <Modal open={open} onOpenChange={close} title={t('saved.saveTitle')} description={t('saved.description')}>
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label={t('saved.name')} htmlFor="saved-view-name">
          <input id="saved-view-name" className={inputCls} value={name} maxLength={80} placeholder={t('saved.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        </Field>
        <fieldset className="grid gap-1.5">
          <legend className="mb-1 text-[13px] font-medium text-ink-2">{t('saved.who')}</legend>
          {[{ id: 'me', label: t('saved.onlyMe') }, ...teams.map((tm) => ({ id: tm.id, label: t('saved.team', { team: tm.name }) }))].map((o) => (
            <label key={o.id} className="flex items-center gap-2 text-[14px]">
              <input type="radio" name="saved-view-scope" value={o.id} checked={scope === o.id} onChange={() => setScope(o.id)} className="h-4 w-4 accent-accent" />
              {o.label}
            </label>
          ))}
        </fieldset>
        {dropped && <p className="text-[13px] text-ink-2">{t('saved.dropped', { view: t(`view.${dropped}`) })}</p>}
        {empty && !dropped && <p className="text-[13px] text-ink-2">{t('saved.noFilters')}</p>}
        <ErrorLine error={create.error} labels={{ name: t('saved.name'), teamId: t('saved.who'), personal: t('saved.who') }} />
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>{t('saved.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={create.isPending || !name.trim()}>
            {create.isPending ? t('saved.saving') : t('saved.submit')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** Renames a saved view. */
export function RenameViewDialog({ view, onOpenChange }: { view: SavedView | null; onOpenChange: (o: boolean) => void }) {
  const { update } = useSavedViewMutations();
  const [name, setName] = useState(view?.name ?? '');
  const close = (o: boolean) => {
    if (!o) update.reset();
    onOpenChange(o);
  };
  if (!view) return null;
  return (
    <Modal open onOpenChange={close} title={t('saved.renameTitle', { name: view.name })}>
      <form
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: view.id, patch: { name: name.trim() } }, { onSuccess: () => close(false) });
        }}
      >
        <Field label={t('saved.name')} htmlFor="saved-view-rename">
          <input id="saved-view-rename" className={inputCls} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
        </Field>
        <ErrorLine error={update.error} labels={{ name: t('saved.name') }} />
        <div className="flex justify-end gap-2">
          <Button onClick={() => close(false)}>{t('saved.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={update.isPending || !name.trim()}>
            {t('saved.renameSubmit')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
