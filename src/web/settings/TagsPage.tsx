import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { send, sk, type Tag, useTags, useWrite } from './data';
import { cls, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, SettingsTable, useIsAdmin } from './ui';

function TagRow({ tag, admin }: { tag: Tag; admin: boolean }) {
  const [name, setName] = useState(tag.name);
  const save = useWrite((body: { name?: string; color?: string | null }) => send('PATCH', `/tags/${tag.id}`, body), [sk.tags]);
  const remove = useWrite(() => send('DELETE', `/tags/${tag.id}`), [sk.tags]);
  return (
    <tr className="border-t border-line">
      <td className={cls.td}>
        {admin ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim() && name !== tag.name) save.mutate({ name });
            }}
          >
            <input
              type="color"
              aria-label={t('settings.tags.colorOf', { name: tag.name })}
              value={tag.color ?? '#7b8594'}
              onChange={(e) => save.mutate({ color: e.target.value })}
              className="h-7 w-7 shrink-0 rounded border border-line bg-transparent"
            />
            <input aria-label={t('settings.tags.nameOf', { name: tag.name })} className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className={cls.secondary} disabled={save.isPending || name === tag.name}>
              {t('settings.save')}
            </button>
          </form>
        ) : (
          <span className="flex items-center gap-2">
            <span className="h-3 w-3 rounded-full" style={{ background: tag.color ?? 'var(--ink-3)' }} />
            {tag.name}
          </span>
        )}
        <ErrorNote error={save.error ?? remove.error} />
      </td>
      <td className={`${cls.td} text-ink-2`}>{t('settings.tags.count', { count: tag.count })}</td>
      <td className={`${cls.td} text-right`}>
        {admin && (
          <button
            type="button"
            className={cls.danger}
            aria-label={t('settings.tags.deleteWho', { name: tag.name })}
            onClick={() => window.confirm(t('settings.tags.confirmDelete', { name: tag.name, count: tag.count })) && remove.mutate(undefined)}
          >
            {t('settings.delete')}
          </button>
        )}
      </td>
    </tr>
  );
}

export default function TagsPage() {
  const admin = useIsAdmin();
  const q = useTags();
  const [name, setName] = useState('');
  const create = useWrite((body: { name: string }) => send('POST', '/tags', body), [sk.tags]);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ name }, { onSuccess: () => setName('') });
  }
  return (
    <SettingsPage title={t('settings.tags.title')} description={t('settings.tags.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && (
        <form onSubmit={submit} className="mb-5 flex gap-2">
          <input aria-label={t('settings.tags.newName')} placeholder={t('settings.tags.newName')} required className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className={`${cls.primary} shrink-0`} disabled={create.isPending}>
            {t('settings.tags.create')}
          </button>
        </form>
      )}
      <ErrorNote error={create.error} />
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <SettingsTable empty={t('settings.tags.empty')} isEmpty={q.data.length === 0}>
          {q.data.map((tag) => (
            <TagRow key={tag.id} tag={tag} admin={admin} />
          ))}
        </SettingsTable>
      )}
    </SettingsPage>
  );
}
