import { type FormEvent, type ReactNode, useState } from 'react';
import { type Attribute, type AttributeType, ATTRIBUTE_TYPES, ck, formatMoney, formatValue, type ImportCheck, useAttributes } from '../catalog/data';
import { type MessageKey, t, tn } from '../i18n';
import { send, useWrite } from './data';
import { cls, DeleteButton, ErrorNote, LoadState, ReadOnlyNote, SettingsPage, SettingsTable, useIsAdmin } from './ui';

const typeLabel = (type: string) => t(`settings.catalog.type.${type}` as MessageKey);
const keyFrom = (label: string) =>
  label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 50);
const listOf = (s: string) => [...new Set(s.split(',').map((o) => o.trim()).filter(Boolean))];

function NewAttribute() {
  const [label, setLabel] = useState('');
  const [key, setKey] = useState('');
  const [type, setType] = useState<AttributeType>('text');
  const [unit, setUnit] = useState('');
  const [options, setOptions] = useState('');
  const create = useWrite((body: Record<string, unknown>) => send('POST', '/catalog/attributes', body), [ck.attributes]);
  const hasUnit = type === 'number' || type === 'dimensions';
  function submit(e: FormEvent) {
    e.preventDefault();
    const body = { label, key: key || keyFrom(label), type, ...(hasUnit && unit.trim() ? { unit: unit.trim() } : {}), ...(type === 'choice' ? { options: listOf(options) } : {}) };
    create.mutate(body, {
      onSuccess: () => {
        setLabel('');
        setKey('');
        setUnit('');
        setOptions('');
      },
    });
  }
  return (
    <form onSubmit={submit} aria-label={t('settings.catalog.create')} className={`${cls.card} mb-4 grid gap-3 p-4 sm:grid-cols-2`}>
      <div>
        <label className={cls.label} htmlFor="attr-label">
          {t('settings.catalog.label')}
        </label>
        <input id="attr-label" required className={cls.input} value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div>
        <label className={cls.label} htmlFor="attr-key">
          {t('settings.catalog.key')}
        </label>
        <input id="attr-key" className={`${cls.input} font-mono`} placeholder={keyFrom(label)} value={key} onChange={(e) => setKey(e.target.value)} />
      </div>
      <div>
        <label className={cls.label} htmlFor="attr-type">
          {t('settings.catalog.typeField')}
        </label>
        <select id="attr-type" className={cls.select} value={type} onChange={(e) => setType(e.target.value as AttributeType)}>
          {ATTRIBUTE_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {typeLabel(ty)}
            </option>
          ))}
        </select>
      </div>
      <div>
        {hasUnit && (
          <>
            <label className={cls.label} htmlFor="attr-unit">
              {t('settings.catalog.unit')}
            </label>
            <input id="attr-unit" className={cls.input} placeholder="mm" value={unit} onChange={(e) => setUnit(e.target.value)} />
          </>
        )}
        {type === 'choice' && (
          <>
            <label className={cls.label} htmlFor="attr-options">
              {t('settings.catalog.options')}
            </label>
            <input id="attr-options" required className={cls.input} placeholder={t('settings.catalog.optionsHint')} value={options} onChange={(e) => setOptions(e.target.value)} />
          </>
        )}
      </div>
      <div className="sm:col-span-2">
        <ErrorNote error={create.error} labels={{ key: t('settings.catalog.key'), label: t('settings.catalog.label'), options: t('settings.catalog.options'), unit: t('settings.catalog.unit') }} />
        <button type="submit" className={cls.primary} disabled={create.isPending}>
          {t('settings.catalog.create')}
        </button>
      </div>
    </form>
  );
}

function AttributeRow({ a, admin }: { a: Attribute; admin: boolean }) {
  const remove = useWrite(() => send('DELETE', `/catalog/attributes/${a.id}`), [ck.attributes]);
  const detail = a.type === 'choice' ? a.options.join(', ') : a.type === 'dimensions' ? `${a.axes.join(' × ')}${a.unit ? ` (${a.unit})` : ''}` : (a.unit ?? '');
  return (
    <tr className="border-t border-line">
      <td className={cls.td}>
        {a.label}
        <ErrorNote error={remove.error} />
      </td>
      <td className={`${cls.td} font-mono text-xs text-ink-2`}>{a.key}</td>
      <td className={cls.td}>
        {typeLabel(a.type)}
        {detail && <span className="block text-xs text-ink-3">{detail}</span>}
      </td>
      <td className={`${cls.td} text-right`}>
        {admin && (
          <DeleteButton label={t('settings.catalog.deleteWho', { name: a.label })} confirm={t('settings.catalog.confirmDelete', { name: a.label })} onDelete={() => remove.mutate(undefined)} />
        )}
      </td>
    </tr>
  );
}

/** A table that keeps its width on a narrow screen and scrolls sideways instead. */
function Wide({ min, children }: { min: string; children: ReactNode }) {
  return (
    <div className="overflow-x-auto">
      <div className={min}>{children}</div>
    </div>
  );
}

/** A CSV file checked on the server first (what would be created and updated, each bad cell by line and column), then imported whole. */
function CsvImport({ attributes }: { attributes: Attribute[] }) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [check, setCheck] = useState<ImportCheck | null>(null);
  const [done, setDone] = useState<ImportCheck | null>(null);
  const preview = useWrite((csv: string) => send<ImportCheck>('POST', '/products/import', { csv, dryRun: true }), []);
  const commit = useWrite((csv: string) => send<ImportCheck>('POST', '/products/import', { csv, dryRun: false }), [['catalog']]);
  async function choose(list: FileList | null) {
    const f = list?.[0];
    setCheck(null);
    setDone(null);
    if (!f) return setFile(null);
    const text = await f.text();
    setFile({ name: f.name, text });
    preview.mutate(text, { onSuccess: setCheck });
  }
  const columns = ['sku', 'name', 'description', 'url', 'price', 'currency', ...attributes.map((a) => a.key)].join(',');
  return (
    <section aria-labelledby="import-title" className="mb-6">
      <h2 id="import-title" className="mb-1 text-sm font-semibold">
        {t('settings.catalog.import')}
      </h2>
      <p className="mb-2 text-sm text-ink-2">{t('settings.catalog.importHint')}</p>
      <p className="mb-3 overflow-x-auto rounded-md bg-hover px-3 py-2 font-mono text-xs whitespace-nowrap text-ink-2">{columns}</p>
      <label className={`${cls.secondary} inline-block cursor-pointer focus-within:border-accent`}>
        {t('settings.catalog.chooseFile')}
        <input type="file" accept=".csv,text/csv" className="sr-only" onChange={(e) => void choose(e.target.files).then(() => (e.target.value = ''))} />
      </label>
      {file && <span className="ml-2 text-sm text-ink-2">{file.name}</span>}
      <ErrorNote error={preview.error ?? commit.error} />
      {done && (
        <p role="status" className="mt-3 rounded-md bg-accent-soft px-3 py-2 text-sm">
          {t('settings.catalog.imported', { create: done.create, update: done.update })}
        </p>
      )}
      {check && !done && (
        <div className="mt-3" aria-label={t('settings.catalog.preview')} role="region">
          {check.errorCount === 0 && <p className="mb-2 text-sm">{tn('settings.catalog.checked', check.rows, { create: check.create, update: check.update })}</p>}
          {check.errorCount > 0 && (
            <div className="mb-3">
              <p role="alert" className="mb-1 text-sm font-medium text-danger">
                {tn('settings.catalog.errors', check.errorCount)}
              </p>
              <Wide min="min-w-[24rem]">
                <SettingsTable columns={[t('settings.catalog.line'), t('settings.catalog.column'), t('settings.catalog.problem')]} isEmpty={false}>
                  {check.errors.map((e, i) => (
                    <tr key={i} className="border-t border-line">
                      <td className={`${cls.td} tabular-nums`}>{e.line}</td>
                      <td className={`${cls.td} font-mono text-xs`}>{e.column}</td>
                      <td className={cls.td}>{e.reason}</td>
                    </tr>
                  ))}
                </SettingsTable>
              </Wide>
            </div>
          )}
          {check.preview.length > 0 && check.errorCount === 0 && (
            <Wide min="min-w-[36rem]">
              <SettingsTable columns={[t('settings.catalog.line'), '', 'SKU', t('settings.catalog.name'), t('settings.catalog.price'), t('settings.catalog.attributes')]} isEmpty={false}>
                {check.preview.map((p) => (
                  <tr key={p.line} className="border-t border-line">
                    <td className={`${cls.td} tabular-nums`}>{p.line}</td>
                    <td className={`${cls.td} text-xs text-ink-3`}>{t(p.action === 'create' ? 'settings.catalog.new' : 'settings.catalog.update')}</td>
                    <td className={`${cls.td} font-mono text-xs`}>{p.sku}</td>
                    <td className={cls.td}>{p.name}</td>
                    <td className={`${cls.td} whitespace-nowrap`}>{formatMoney(p.price, p.currency)}</td>
                    <td className={`${cls.td} text-xs text-ink-2`}>
                      {Object.entries(p.attributes)
                        .filter(([, v]) => v !== null)
                        .map(([k, v]) => `${attributes.find((a) => a.key === k)?.label ?? k}: ${formatValue(attributes.find((a) => a.key === k), v, t('catalog.yes'), t('catalog.no'))}`)
                        .join(' · ')}
                    </td>
                  </tr>
                ))}
              </SettingsTable>
            </Wide>
          )}
          <div className="mt-3 flex gap-2">
            {check.errorCount === 0 && (
              <button type="button" className={cls.primary} disabled={commit.isPending || !file || check.create + check.update === 0} onClick={() => file && commit.mutate(file.text, { onSuccess: setDone })}>
                {tn('settings.catalog.importNow', check.create + check.update)}
              </button>
            )}
            <button type="button" className={cls.secondary} onClick={() => (setCheck(null), setFile(null))}>
              {t('contact.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

/** Settings › Catalog: the products' typed attributes, and products imported from a CSV file. */
export default function CatalogPage() {
  const admin = useIsAdmin();
  const q = useAttributes();
  return (
    <SettingsPage title={t('settings.catalog.title')} description={t('settings.catalog.description')}>
      {!admin && <ReadOnlyNote />}
      {admin && q.data && <CsvImport attributes={q.data} />}
      <section aria-labelledby="attributes-title">
        <h2 id="attributes-title" className="mb-2 text-sm font-semibold">
          {t('settings.catalog.attributes')}
        </h2>
        {admin && <NewAttribute />}
        <LoadState error={q.error} loading={q.isPending} />
        {q.data && (
          <SettingsTable empty={t('settings.catalog.empty')} isEmpty={q.data.length === 0}>
            {q.data.map((a) => (
              <AttributeRow key={a.id} a={a} admin={admin} />
            ))}
          </SettingsTable>
        )}
      </section>
    </SettingsPage>
  );
}
