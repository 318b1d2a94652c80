import { type FormEvent, useState } from 'react';
import { Icon } from '../components/Icon';
import { type MessageKey, t } from '../i18n';
import { type CustomField, type CustomFieldType, FIELD_TYPES, send, sk, type Topic, type TopicField, useCustomFields, usePatchQueue, useTopics, useWrite } from './data';
import { cls, DeleteButton, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, useIsAdmin } from './ui';

/**
 * Settings › Topics: the workspace's topics in order, each with its intake form (conversation
 * custom fields, required or not, with the help text customers read). Admins edit; everyone reads.
 */

const typeLabel = (type: string) => t(`settings.fields.type.${type}` as MessageKey);

/** A key from a label: "Order number" → order_number. */
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 50);

type FieldsBody = { customFieldId: string; required: boolean }[];
const bodyOf = (fields: TopicField[]): FieldsBody => fields.map((f) => ({ customFieldId: f.customFieldId, required: f.required }));
const moved = <T,>(list: T[], i: number, by: number) => {
  const next = [...list];
  const [x] = next.splice(i, 1);
  next.splice(i + by, 0, x);
  return next;
};

function NewTopic() {
  const [name, setName] = useState('');
  const create = useWrite((body: { name: string }) => send('POST', '/topics', body), [sk.topics]);
  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() }, { onSuccess: () => setName('') });
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.topics.create')} className={`${cls.card} mb-5 flex flex-wrap items-end gap-3 p-4`}>
      <div className="min-w-0 flex-1 basis-48">
        <label className={cls.label} htmlFor="topic-name">
          {t('settings.topics.name')}
        </label>
        <input id="topic-name" required maxLength={100} className={cls.input} value={name} placeholder={t('settings.topics.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
      </div>
      <button type="submit" className={cls.primary} disabled={create.isPending}>
        {t('settings.topics.create')}
      </button>
      <div className="w-full empty:hidden">
        <ErrorNote error={create.error} labels={{ name: t('settings.topics.name') }} />
      </div>
    </form>
  );
}

/** One field of a topic's form: required for this topic or not, its help text (the field's own, shared by every topic), its place. */
function FieldRow({ field, index, count, admin, onChange }: { field: TopicField; index: number; count: number; admin: boolean; onChange: (action: 'up' | 'down' | 'remove' | 'required') => void }) {
  const [help, setHelp] = useState(field.helpText);
  const saveHelp = useWrite((helpText: string) => send('PATCH', `/custom-fields/${field.customFieldId}`, { helpText }), [sk.topics, sk.fields]);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1.5 border-t border-line py-2.5 first:border-t-0">
      <div className="min-w-0 flex-1 basis-36">
        <p className="truncate text-sm font-medium">{field.label}</p>
        <p className="truncate text-xs text-ink-3">
          {typeLabel(field.type)}
          {field.options.length ? ` · ${field.options.join(', ')}` : ''}
        </p>
      </div>
      <div className="order-last min-w-0 basis-full lg:order-none lg:flex-[2] lg:basis-0">
        {admin ? (
          <input
            aria-label={t('settings.topics.helpOf', { name: field.label })}
            placeholder={t('settings.fields.helpText')}
            maxLength={300}
            className={cls.input}
            value={help}
            onChange={(e) => setHelp(e.target.value)}
            onBlur={() => help !== field.helpText && saveHelp.mutate(help)}
          />
        ) : (
          <p className="text-sm text-ink-2">{field.helpText}</p>
        )}
        <ErrorNote error={saveHelp.error} />
      </div>
      <div className="flex flex-wrap items-center gap-1">
        <label className="mr-1 flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={field.required} disabled={!admin} onChange={() => onChange('required')} />
          {t('settings.fields.required')}
        </label>
        {admin && (
          <>
            <button type="button" className="rounded p-1 text-ink-3 hover:bg-hover disabled:opacity-40" aria-label={t('settings.topics.fieldUp', { name: field.label })} disabled={index === 0} onClick={() => onChange('up')}>
              <Icon name="chevron" size={14} className="rotate-180" />
            </button>
            <button type="button" className="rounded p-1 text-ink-3 hover:bg-hover disabled:opacity-40" aria-label={t('settings.topics.fieldDown', { name: field.label })} disabled={index === count - 1} onClick={() => onChange('down')}>
              <Icon name="chevron" size={14} />
            </button>
            <button type="button" className="rounded p-1 text-ink-3 hover:bg-hover hover:text-danger" aria-label={t('settings.topics.fieldRemove', { name: field.label })} onClick={() => onChange('remove')}>
              <Icon name="x" size={14} />
            </button>
          </>
        )}
      </div>
    </li>
  );
}

/** Adds a field to a topic's form: one of the conversation fields, or a new one made here. */
function AddField({ topic, fields, onAdd, busy }: { topic: Topic; fields: CustomField[]; onAdd: (customFieldId: string) => void; busy: boolean }) {
  const [pick, setPick] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<CustomFieldType>('text');
  const [options, setOptions] = useState('');
  const create = useWrite(
    (body: Record<string, unknown>) => send<CustomField>('POST', '/custom-fields', body),
    [sk.fields],
  );
  const free = fields.filter((f) => f.entity === 'conversation' && !topic.fields.some((x) => x.customFieldId === f.id));
  const creating = pick === 'new';
  function submit(e: FormEvent) {
    e.preventDefault();
    if (!creating) {
      if (pick) onAdd(pick);
      setPick('');
      return;
    }
    const opts = [...new Set(options.split(',').map((o) => o.trim()).filter(Boolean))];
    create.mutate(
      { entity: 'conversation', label, key: keyFrom(label), type, ...(type === 'select' ? { options: opts } : {}) },
      {
        onSuccess: (f) => {
          onAdd(f.id);
          setPick('');
          setLabel('');
          setOptions('');
        },
      },
    );
  }
  const id = `add-${topic.id}`;
  return (
    <form onSubmit={submit} className="mt-2 flex flex-wrap items-end gap-2" aria-label={t('settings.topics.addField')}>
      <div>
        <label className={cls.label} htmlFor={id}>
          {t('settings.topics.addField')}
        </label>
        <select id={id} aria-label={t('settings.topics.pickField', { name: topic.name })} className={cls.select} value={pick} onChange={(e) => setPick(e.target.value)}>
          <option value="">—</option>
          {free.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
          <option value="new">{t('settings.topics.newField')}</option>
        </select>
      </div>
      {creating && (
        <>
          <div className="min-w-40 flex-1">
            <label className={cls.label} htmlFor={`${id}-label`}>
              {t('settings.fields.label')}
            </label>
            <input id={`${id}-label`} required maxLength={100} className={cls.input} value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
          <div>
            <label className={cls.label} htmlFor={`${id}-type`}>
              {t('settings.fields.typeField')}
            </label>
            <select id={`${id}-type`} className={cls.select} value={type} onChange={(e) => setType(e.target.value as CustomFieldType)}>
              {FIELD_TYPES.map((ft) => (
                <option key={ft} value={ft}>
                  {typeLabel(ft)}
                </option>
              ))}
            </select>
          </div>
          {type === 'select' && (
            <div className="min-w-40 flex-1">
              <label className={cls.label} htmlFor={`${id}-options`}>
                {t('settings.fields.options')}
              </label>
              <input id={`${id}-options`} required className={cls.input} placeholder={t('settings.fields.optionsHint')} value={options} onChange={(e) => setOptions(e.target.value)} />
            </div>
          )}
        </>
      )}
      <button type="submit" className={cls.secondary} disabled={busy || create.isPending || !pick}>
        {t('settings.topics.add')}
      </button>
      <div className="w-full empty:hidden">
        <ErrorNote error={create.error} labels={{ key: t('settings.fields.key'), label: t('settings.fields.label'), options: t('settings.fields.options') }} />
      </div>
    </form>
  );
}

function TopicCard({ topic, index, count, admin, fields }: { topic: Topic; index: number; count: number; admin: boolean; fields: CustomField[] }) {
  const [name, setName] = useState(topic.name);
  // Each change sends the whole field list; quick clicks are sent one after another, each built
  // on the list the one before asked for (usePatchQueue), so none undoes another.
  const save = usePatchQueue<{ name: string; position: number; fields: FieldsBody }>((body) => send('PATCH', `/topics/${topic.id}`, body), [sk.topics]);
  const remove = useWrite(() => send('DELETE', `/topics/${topic.id}`), [sk.topics]);
  const list = save.shown?.fields ?? bodyOf(topic.fields);
  // What the list will be once the server has it: the fields the topic has, in the order asked for.
  const shownFields = list.flatMap((b) => {
    const f = topic.fields.find((x) => x.customFieldId === b.customFieldId);
    return f ? [{ ...f, required: b.required }] : [];
  });
  const change = (i: number) => (action: 'up' | 'down' | 'remove' | 'required') => {
    const next =
      action === 'up' ? moved(list, i, -1) : action === 'down' ? moved(list, i, 1) : action === 'remove' ? list.filter((_, k) => k !== i) : list.map((f, k) => (k === i ? { ...f, required: !f.required } : f));
    save.patch({ fields: next });
  };
  return (
    <li className={`${cls.card} p-3 md:p-4`} aria-label={topic.name}>
      <div className="flex flex-wrap items-center gap-2">
        {admin ? (
          <form
            className="flex min-w-0 flex-1 basis-full items-center gap-2 md:basis-56"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim() && name !== topic.name) save.patch({ name: name.trim() });
            }}
          >
            <input aria-label={t('settings.topics.nameOf', { name: topic.name })} maxLength={100} className={`${cls.input} font-medium`} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className={cls.secondary} disabled={save.busy || name === topic.name}>
              {t('settings.save')}
            </button>
          </form>
        ) : (
          <h2 className="min-w-0 flex-1 font-medium">{topic.name}</h2>
        )}
        <span className="truncate font-mono text-xs text-ink-3" title={t('settings.topics.key', { key: topic.key })}>
          {topic.key}
        </span>
        {admin && (
          <div className="flex items-center gap-1">
            <button type="button" className="rounded p-1 text-ink-3 hover:bg-hover disabled:opacity-40" aria-label={t('settings.topics.up', { name: topic.name })} disabled={index === 0} onClick={() => save.patch({ position: index - 1 })}>
              <Icon name="chevron" size={15} className="rotate-180" />
            </button>
            <button type="button" className="rounded p-1 text-ink-3 hover:bg-hover disabled:opacity-40" aria-label={t('settings.topics.down', { name: topic.name })} disabled={index === count - 1} onClick={() => save.patch({ position: index + 1 })}>
              <Icon name="chevron" size={15} />
            </button>
            <DeleteButton label={t('settings.topics.delete', { name: topic.name })} confirm={t('settings.topics.confirmDelete', { name: topic.name })} onDelete={() => remove.mutate(undefined)} />
          </div>
        )}
      </div>
      <h3 className="mt-3 text-[11px] font-semibold tracking-wide text-ink-3 uppercase">{t('settings.topics.fields')}</h3>
      {shownFields.length ? (
        <ul aria-label={t('settings.topics.fields')}>
          {shownFields.map((f, i) => (
            <FieldRow key={f.customFieldId} field={f} index={i} count={shownFields.length} admin={admin} onChange={change(i)} />
          ))}
        </ul>
      ) : (
        <p className="py-2 text-sm text-ink-3">{t('settings.topics.noFields')}</p>
      )}
      {admin && <AddField topic={topic} fields={fields} busy={save.busy} onAdd={(id) => save.patch({ fields: [...list, { customFieldId: id, required: true }] })} />}
      <ErrorNote error={save.error ?? remove.error} />
    </li>
  );
}

export default function TopicsPage() {
  const admin = useIsAdmin();
  const q = useTopics();
  const fields = useCustomFields();
  return (
    <SettingsPage title={t('settings.topics.title')} description={t('settings.topics.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && <NewTopic />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data &&
        (q.data.length ? (
          <ul className="flex flex-col gap-3">
            {q.data.map((topic, i) => (
              <TopicCard key={topic.id} topic={topic} index={i} count={q.data.length} admin={admin} fields={fields.data ?? []} />
            ))}
          </ul>
        ) : (
          <p className="text-sm text-ink-3">{t('settings.topics.empty')}</p>
        ))}
    </SettingsPage>
  );
}
