import { type FormEvent, useState } from 'react';
import { type MessageKey, t } from '../i18n';
import { type CustomField, type CustomFieldType, FIELD_TYPES, send, sk, useCustomFields, useWrite } from './data';
import { cls, DeleteButton, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, SettingsTable, useIsAdmin } from './ui';

const typeLabel = (type: string) => t(`settings.fields.type.${type}` as MessageKey);

/** A key from a label: "Order number" → order_number. */
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 50);

const parseOptions = (s: string) => [...new Set(s.split(',').map((o) => o.trim()).filter(Boolean))];

function NewField() {
  const [entity, setEntity] = useState<'conversation' | 'contact'>('conversation');
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [type, setType] = useState<CustomFieldType>('text');
  const [options, setOptions] = useState('');
  const [required, setRequired] = useState(false);
  const create = useWrite((body: Record<string, unknown>) => send('POST', '/custom-fields', body), [sk.fields]);
  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate(
      { entity, label, key: key || keyFrom(label), type, required, ...(type === 'select' ? { options: parseOptions(options) } : {}) },
      {
        onSuccess: () => {
          setLabel('');
          setKey('');
          setOptions('');
          setRequired(false);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.fields.create')} className={`${cls.card} mb-5 grid grid-cols-2 gap-3 p-4`}>
      <div>
        <label className={cls.label} htmlFor="field-label">
          {t('settings.fields.label')}
        </label>
        <input id="field-label" required className={cls.input} value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div>
        <label className={cls.label} htmlFor="field-key">
          {t('settings.fields.key')}
        </label>
        <input id="field-key" className={`${cls.input} font-mono`} placeholder={keyFrom(label)} value={key} onChange={(e) => setKey(e.target.value)} />
      </div>
      <div className="flex gap-3">
        <div>
          <label className={cls.label} htmlFor="field-entity">
            {t('settings.fields.entity')}
          </label>
          <select id="field-entity" className={cls.select} value={entity} onChange={(e) => setEntity(e.target.value as 'conversation' | 'contact')}>
            <option value="conversation">{t('settings.fields.conversations')}</option>
            <option value="contact">{t('settings.fields.contacts')}</option>
          </select>
        </div>
        <div>
          <label className={cls.label} htmlFor="field-type">
            {t('settings.fields.typeField')}
          </label>
          <select id="field-type" className={cls.select} value={type} onChange={(e) => setType(e.target.value as CustomFieldType)}>
            {FIELD_TYPES.map((ft) => (
              <option key={ft} value={ft}>
                {typeLabel(ft)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div>
        {type === 'select' && (
          <>
            <label className={cls.label} htmlFor="field-options">
              {t('settings.fields.options')}
            </label>
            <input id="field-options" required className={cls.input} placeholder={t('settings.fields.optionsHint')} value={options} onChange={(e) => setOptions(e.target.value)} />
          </>
        )}
      </div>
      <label className="col-span-2 flex items-center gap-2 text-sm">
        <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} />
        {t('settings.fields.requiredField')}
      </label>
      <div className="col-span-2">
        <ErrorNote error={create.error} labels={{ key: t('settings.fields.key'), label: t('settings.fields.label'), options: t('settings.fields.options') }} />
        <button type="submit" className={cls.primary} disabled={create.isPending}>
          {t('settings.fields.create')}
        </button>
      </div>
    </form>
  );
}

function FieldRow({ field, admin }: { field: CustomField; admin: boolean }) {
  const [label, setLabel] = useState(field.label);
  const save = useWrite((body: { label?: string; required?: boolean }) => send('PATCH', `/custom-fields/${field.id}`, body), [sk.fields]);
  const remove = useWrite(() => send('DELETE', `/custom-fields/${field.id}`), [sk.fields]);
  return (
    <tr className="border-t border-line">
      <td className={cls.td}>
        {admin ? (
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (label.trim() && label !== field.label) save.mutate({ label });
            }}
          >
            <input aria-label={t('settings.fields.labelOf', { key: field.key })} className={cls.input} value={label} onChange={(e) => setLabel(e.target.value)} />
            <button type="submit" className={cls.secondary} disabled={save.isPending || label === field.label}>
              {t('settings.save')}
            </button>
          </form>
        ) : (
          field.label
        )}
        <ErrorNote error={save.error ?? remove.error} />
      </td>
      <td className={`${cls.td} font-mono text-xs text-ink-2`}>{field.key}</td>
      <td className={cls.td}>
        {typeLabel(field.type)}
        {field.options?.length ? <span className="block text-xs text-ink-3">{field.options.join(', ')}</span> : null}
      </td>
      <td className={cls.td}>
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={field.required} disabled={!admin || save.isPending} onChange={(e) => save.mutate({ required: e.target.checked })} />
          {t('settings.fields.required')}
        </label>
      </td>
      <td className={`${cls.td} text-right`}>
        {admin && (
          <DeleteButton label={t('settings.fields.deleteWho', { name: field.label })} confirm={t('settings.fields.confirmDelete', { name: field.label })} onDelete={() => remove.mutate(undefined)} />
        )}
      </td>
    </tr>
  );
}

function FieldTable({ title, fields, admin }: { title: string; fields: CustomField[]; admin: boolean }) {
  return (
    <section aria-label={title} className="mb-6">
      <h2 className="mb-2 text-sm font-semibold">{title}</h2>
      <SettingsTable empty={t('settings.fields.empty')} isEmpty={fields.length === 0}>
        {fields.map((f) => (
          <FieldRow key={f.id} field={f} admin={admin} />
        ))}
      </SettingsTable>
    </section>
  );
}

export default function CustomFieldsPage() {
  const admin = useIsAdmin();
  const q = useCustomFields();
  return (
    <SettingsPage title={t('settings.fields.title')} description={t('settings.fields.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && <NewField />}
      <LoadState error={q.error} loading={q.isPending} />
      {q.data && (
        <>
          <FieldTable title={t('settings.fields.conversations')} fields={q.data.filter((f) => f.entity === 'conversation')} admin={admin} />
          <FieldTable title={t('settings.fields.contacts')} fields={q.data.filter((f) => f.entity === 'contact')} admin={admin} />
        </>
      )}
    </SettingsPage>
  );
}
