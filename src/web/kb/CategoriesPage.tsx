import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Icon } from '../components/Icon';
import { t, tn } from '../i18n';
import { api } from '../lib/api';
import { cls, ErrorNote, LoadState, useIsAdmin } from '../settings/ui';
import { type Category, kbk, useCategories } from './data';
import { reorder } from './reorder';
import { KbPage, useCanWrite } from './ui';

function useCategoryWrites() {
  const qc = useQueryClient();
  const done = () => {
    void qc.invalidateQueries({ queryKey: kbk.categories });
    void qc.invalidateQueries({ queryKey: kbk.articles });
  };
  const update = useMutation({
    mutationFn: (changes: { id: string; name?: string; description?: string; position?: number }[]) =>
      Promise.all(changes.map(({ id, ...body }) => api<Category>(`/kb/categories/${id}`, { method: 'PATCH', body }))),
    onSettled: done,
  });
  const remove = useMutation({ mutationFn: (id: string) => api(`/kb/categories/${id}`, { method: 'DELETE' }), onSettled: done });
  return { update, remove };
}

const iconButton = 'rounded-md border border-line p-1.5 text-ink-2 hover:bg-hover hover:text-ink disabled:opacity-40 disabled:hover:bg-transparent';

function CategoryRow({ category, index, all, canWrite, admin }: { category: Category; index: number; all: Category[]; canWrite: boolean; admin: boolean }) {
  const [name, setName] = useState(category.name);
  const [description, setDescription] = useState(category.description);
  // What the server saved becomes what the fields show.
  const [seen, setSeen] = useState(category);
  if (seen.name !== category.name || seen.description !== category.description) {
    setSeen(category);
    setName(category.name);
    setDescription(category.description);
  }
  const { update, remove } = useCategoryWrites();
  const changed = name.trim() !== category.name || description.trim() !== category.description;
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const moved = useRef<-1 | 1 | null>(null);
  const move = (delta: -1 | 1) => {
    moved.current = delta;
    update.mutate(reorder(all, index, delta));
  };
  // The row moved, and the button pressed with it: the focus stays on it (or on the other one, at either end).
  useEffect(() => {
    if (moved.current === null) return;
    const pressed = moved.current === -1 ? up.current : down.current;
    (pressed && !pressed.disabled ? pressed : moved.current === -1 ? down.current : up.current)?.focus();
    moved.current = null;
  }, [index]);
  return (
    <li className="border-t border-line px-4 py-3 first:border-t-0" aria-label={category.name}>
      <div className="flex items-start gap-3">
        {canWrite ? (
          <form
            className="grid min-w-0 flex-1 grid-cols-[minmax(0,1fr)_minmax(0,1.6fr)_auto] items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (changed && name.trim()) update.mutate([{ id: category.id, name: name.trim(), description: description.trim() }]);
            }}
          >
            <input aria-label={t('kb.categories.nameOf', { name: category.name })} required maxLength={100} className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
            <input
              aria-label={t('kb.categories.descriptionOf', { name: category.name })}
              maxLength={500}
              placeholder={t('kb.categories.descriptionField')}
              className={cls.input}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
            <button type="submit" className={cls.secondary} disabled={!changed || update.isPending}>
              {t('settings.save')}
            </button>
            <p className="col-span-3 text-xs text-ink-3">{tn('kb.categories.count', category.articleCount, { published: category.publishedCount })}</p>
          </form>
        ) : (
          <div className="min-w-0 flex-1">
            <p className="font-medium text-ink">{category.name}</p>
            {category.description && <p className="text-sm text-ink-2">{category.description}</p>}
            <p className="mt-0.5 text-xs text-ink-3">{tn('kb.categories.count', category.articleCount, { published: category.publishedCount })}</p>
          </div>
        )}
        {canWrite && (
          <div className="flex shrink-0 items-center gap-1">
            <button ref={up} type="button" className={iconButton} disabled={index === 0 || update.isPending} onClick={() => move(-1)} aria-label={t('kb.categories.upWho', { name: category.name })} title={t('kb.categories.up')}>
              <Icon name="up" size={14} />
            </button>
            <button
              ref={down}
              type="button"
              className={iconButton}
              disabled={index === all.length - 1 || update.isPending}
              onClick={() => move(1)}
              aria-label={t('kb.categories.downWho', { name: category.name })}
              title={t('kb.categories.down')}
            >
              <Icon name="down" size={14} />
            </button>
            {admin && (
              <button
                type="button"
                className={`${cls.danger} ml-1`}
                disabled={remove.isPending}
                aria-label={t('kb.categories.deleteWho', { name: category.name })}
                onClick={() => window.confirm(tn('kb.categories.confirmDelete', category.articleCount, { name: category.name })) && remove.mutate(category.id)}
              >
                {t('settings.delete')}
              </button>
            )}
          </div>
        )}
      </div>
      <ErrorNote error={update.error ?? remove.error} labels={{ name: t('kb.categories.name'), description: t('kb.categories.descriptionField'), position: t('kb.categories.up') }} />
    </li>
  );
}

function NewCategory() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const nameId = useId();
  const descriptionId = useId();
  const create = useMutation({
    mutationFn: (body: { name: string; description: string }) => api<Category>('/kb/categories', { method: 'POST', body }),
    onSuccess: () => {
      setName('');
      setDescription('');
      void qc.invalidateQueries({ queryKey: kbk.categories });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), description: description.trim() });
  };
  return (
    <form onSubmit={submit} aria-label={t('kb.categories.create')} className={`${cls.card} mb-5 p-4`}>
      <div className="grid grid-cols-[minmax(0,1fr)_minmax(0,1.6fr)_auto] items-end gap-3">
        <div>
          <label htmlFor={nameId} className={cls.label}>
            {t('kb.categories.name')}
          </label>
          <input id={nameId} required maxLength={100} className={cls.input} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor={descriptionId} className={cls.label}>
            {t('kb.categories.descriptionField')}
          </label>
          <input id={descriptionId} maxLength={500} className={cls.input} value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
        <button type="submit" className={cls.primary} disabled={create.isPending}>
          {t('kb.categories.create')}
        </button>
      </div>
      <ErrorNote error={create.error} labels={{ name: t('kb.categories.name'), description: t('kb.categories.descriptionField') }} />
    </form>
  );
}

/** /app/kb/categories: the categories in the order readers see them, renamed and described in place, moved up and down. */
export default function CategoriesPage() {
  const q = useCategories();
  const canWrite = useCanWrite();
  const admin = useIsAdmin();
  const list = q.data ?? [];
  return (
    <KbPage title={t('kb.categories.title')} description={t('kb.categories.description')} back>
      {!canWrite && <p className="mb-4 rounded-md bg-accent-soft px-3 py-2 text-sm text-ink-2">{t('kb.readOnly')}</p>}
      {canWrite && <NewCategory />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <div className={cls.card}>
          {list.length === 0 ? (
            <p className="px-4 py-3 text-sm text-ink-3">{t('kb.categories.empty')}</p>
          ) : (
            <ol aria-label={t('kb.categories.title')}>
              {list.map((c, i) => (
                <CategoryRow key={c.id} category={c} index={i} all={list} canWrite={canWrite} admin={admin} />
              ))}
            </ol>
          )}
        </div>
      )}
    </KbPage>
  );
}
