import { type FormEvent, useState } from 'react';
import { t } from '../i18n';
import { type Canned, send, sk, useCannedList, useWrite } from './data';
import { cls, ErrorNote, LoadState, SettingsPage, useIsAdmin } from './ui';

interface Draft {
  title: string;
  body: string;
  shortcut: string;
  shared: boolean;
}

const empty: Draft = { title: '', body: '', shortcut: '', shared: false };

function CannedForm({ initial, onSave, onCancel, pending, error, editing }: { initial: Draft; onSave: (d: Draft) => void; onCancel: () => void; pending: boolean; error: unknown; editing: boolean }) {
  const admin = useIsAdmin();
  const [d, setD] = useState(initial);
  function submit(e: FormEvent) {
    e.preventDefault();
    onSave(d);
  }
  return (
    <form onSubmit={submit} aria-label={editing ? t('settings.canned.edit') : t('settings.canned.add')} className={`${cls.card} mb-5 space-y-3 p-4`}>
      <div className="grid grid-cols-[2fr_1fr] gap-3">
        <div>
          <label className={cls.label} htmlFor="canned-title">
            {t('settings.canned.titleField')}
          </label>
          <input id="canned-title" required className={cls.input} value={d.title} onChange={(e) => setD({ ...d, title: e.target.value })} />
        </div>
        <div>
          <label className={cls.label} htmlFor="canned-shortcut">
            {t('settings.canned.shortcut')}
          </label>
          <input id="canned-shortcut" className={cls.input} value={d.shortcut} onChange={(e) => setD({ ...d, shortcut: e.target.value })} />
        </div>
      </div>
      <div>
        <label className={cls.label} htmlFor="canned-body">
          {t('settings.canned.body')}
        </label>
        <textarea id="canned-body" required rows={5} className={cls.input} value={d.body} onChange={(e) => setD({ ...d, body: e.target.value })} />
        <p className="mt-1 text-xs text-ink-3">{t('settings.canned.variables')}</p>
      </div>
      {admin && !editing && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={d.shared} onChange={(e) => setD({ ...d, shared: e.target.checked })} />
          {t('settings.canned.sharedField')}
        </label>
      )}
      <ErrorNote error={error} />
      <div className="flex gap-2">
        <button type="submit" className={cls.primary} disabled={pending}>
          {t('settings.save')}
        </button>
        <button type="button" className={cls.secondary} onClick={onCancel}>
          {t('settings.cancel')}
        </button>
      </div>
    </form>
  );
}

export default function CannedPage() {
  const q = useCannedList();
  const [editing, setEditing] = useState<Canned | 'new' | null>(null);
  const toBody = (d: Draft) => ({ title: d.title, body: d.body, shortcut: d.shortcut.trim() || null });
  const create = useWrite((d: Draft) => send('POST', '/canned-responses', { ...toBody(d), shared: d.shared }), [sk.canned]);
  const update = useWrite(({ id, d }: { id: string; d: Draft }) => send('PATCH', `/canned-responses/${id}`, toBody(d)), [sk.canned]);
  const remove = useWrite((id: string) => send('DELETE', `/canned-responses/${id}`), [sk.canned]);
  return (
    <SettingsPage
      title={t('settings.canned.title')}
      description={t('settings.canned.description')}
      actions={
        editing ? null : (
          <button type="button" className={cls.primary} onClick={() => setEditing('new')}>
            {t('settings.canned.add')}
          </button>
        )
      }
    >
      {editing === 'new' && (
        <CannedForm initial={empty} editing={false} pending={create.isPending} error={create.error} onCancel={() => setEditing(null)} onSave={(d) => create.mutate(d, { onSuccess: () => setEditing(null) })} />
      )}
      {editing && editing !== 'new' && (
        <CannedForm
          key={editing.id}
          editing
          initial={{ title: editing.title, body: editing.body, shortcut: editing.shortcut ?? '', shared: editing.shared }}
          pending={update.isPending}
          error={update.error}
          onCancel={() => setEditing(null)}
          onSave={(d) => update.mutate({ id: editing.id, d }, { onSuccess: () => setEditing(null) })}
        />
      )}
      <ErrorNote error={remove.error} />
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <ul className="space-y-2">
          {q.data.length === 0 && <li className="text-sm text-ink-3">{t('settings.canned.empty')}</li>}
          {q.data.map((c) => (
            <li key={c.id} className={`${cls.card} flex items-start gap-3 p-4`} aria-label={c.title}>
              <div className="min-w-0 flex-1">
                <div className="font-medium">
                  {c.title}
                  {c.shortcut && <code className="ml-2 rounded bg-hover px-1.5 py-0.5 text-xs text-ink-2">/{c.shortcut}</code>}
                  <span className="ml-2 text-xs text-ink-3">{c.shared ? t('settings.canned.shared') : t('settings.canned.personal')}</span>
                </div>
                <p className="mt-1 line-clamp-2 text-sm whitespace-pre-line text-ink-2">{c.body}</p>
              </div>
              <button type="button" className={cls.secondary} aria-label={t('settings.canned.editWho', { name: c.title })} onClick={() => setEditing(c)}>
                {t('settings.edit')}
              </button>
              <button
                type="button"
                className={cls.danger}
                aria-label={t('settings.canned.deleteWho', { name: c.title })}
                onClick={() => window.confirm(t('settings.canned.confirmDelete', { name: c.title })) && remove.mutate(c.id)}
              >
                {t('settings.delete')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </SettingsPage>
  );
}
