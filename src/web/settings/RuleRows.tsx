import { type ReactNode, useId } from 'react';
import { Icon } from '../components/Icon';
import { type MessageKey, t } from '../i18n';
import { CHANNELS, PRIORITIES, STATUSES } from '../lib/types';
import type { Canned, CustomField, SettingsInbox, SettingsMember, SettingsTeam } from './data';
import {
  ACTION_TYPES,
  type ActionRow,
  actionLabel,
  CONDITION_FIELDS,
  type ConditionRow,
  type Defaults,
  fieldLabel,
  modeLabel,
  newAction,
  newCondition,
  type Operator,
  operatorLabel,
  operatorsOf,
} from './rules';
import { cls } from './ui';

/** What the rows offer to pick from: the API's lists (canned responses only the shared ones, fields only the conversation's). */
export interface Lookups {
  members: SettingsMember[];
  teams: SettingsTeam[];
  inboxes: SettingsInbox[];
  canned: Canned[];
  fields: CustomField[];
}

export interface RowErrors {
  key?: string;
  value?: string;
  row?: string;
}

type ControlProps = { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string };

/** One control of a row: its label for screen readers (the row reads as a sentence on screen), a hint and the server's reason below it. */
function Part({ label, error, hint, className = '', children }: { label: string; error?: string; hint?: string; className?: string; children: (p: ControlProps) => ReactNode }) {
  const id = useId();
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`min-w-0 ${className}`}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-ink-3">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}

// Every control of a row, and its buttons, one height, so that a row lines up.
const select = `${cls.select} h-9 w-full`;
const input = `${cls.input} h-9`;
const invalid = (p: ControlProps) => (p['aria-invalid'] ? ' border-danger!' : '');

/** Active members, and the one chosen if they were deactivated since, so that it is not lost by opening the rule. */
function MemberOptions({ members, value }: { members: SettingsMember[]; value: string }) {
  return members
    .filter((m) => m.active || m.id === value)
    .map((m) => (
      <option key={m.id} value={m.id}>
        {m.active ? m.name : t('settings.rules.deactivated', { name: m.name })}
      </option>
    ));
}

function TeamOptions({ teams }: { teams: SettingsTeam[] }) {
  return teams.map((x) => (
    <option key={x.id} value={x.id}>
      {x.name}
    </option>
  ));
}

/** Move up, move down and remove, for a row of conditions or actions. */
function RowButtons({ index, count, onMove, onRemove, kind }: { index: number; count: number; onMove: (to: number) => void; onRemove: () => void; kind: 'condition' | 'action' }) {
  const n = index + 1;
  const label = (what: 'Up' | 'Down' | 'Remove') => t(`settings.rules.${kind}${what}` as MessageKey, { n });
  return (
    <div className="ml-auto flex shrink-0 gap-1">
      <button type="button" className={`${cls.secondary} h-9 px-2.5`} disabled={index === 0} aria-label={label('Up')} title={label('Up')} onClick={() => onMove(index - 1)}>
        <Icon name="up" size={14} />
      </button>
      <button type="button" className={`${cls.secondary} h-9 px-2.5`} disabled={index === count - 1} aria-label={label('Down')} title={label('Down')} onClick={() => onMove(index + 1)}>
        <Icon name="down" size={14} />
      </button>
      <button type="button" className={`${cls.danger} h-9 px-2.5`} aria-label={label('Remove')} title={label('Remove')} onClick={onRemove}>
        <Icon name="x" size={14} />
      </button>
    </div>
  );
}

interface RowProps<R> {
  row: R;
  index: number;
  count: number;
  errors: RowErrors;
  lookups: Lookups;
  defaults: Defaults;
  onChange: (row: R) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

export function ConditionEditor({ row, index, count, errors, lookups, defaults, onChange, onMove, onRemove }: RowProps<ConditionRow>) {
  const n = index + 1;
  const set = (patch: Partial<ConditionRow>) => onChange({ ...row, ...patch });
  const valueLabel = t('settings.rules.conditionValue', { n });
  const value = (() => {
    switch (row.field) {
      case 'inbox':
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <select {...p} required className={select + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })}>
                <option value="" disabled>
                  {lookups.inboxes.length ? t('settings.rules.chooseInbox') : t('settings.rules.noInboxes')}
                </option>
                {lookups.inboxes
                  .filter((i) => !i.archived || i.id === row.value)
                  .map((i) => (
                    <option key={i.id} value={i.id}>
                      {i.name}
                    </option>
                  ))}
              </select>
            )}
          </Part>
        );
      case 'channel':
      case 'status':
      case 'priority': {
        const values: readonly string[] = row.field === 'channel' ? CHANNELS : row.field === 'status' ? STATUSES : PRIORITIES;
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <select {...p} className={select + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })}>
                {values.map((v) => (
                  <option key={v} value={v}>
                    {t(`${row.field}.${v}` as MessageKey)}
                  </option>
                ))}
              </select>
            )}
          </Part>
        );
      }
      case 'assignee':
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <select {...p} className={select + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })}>
                <option value="">{t('settings.rules.nobody')}</option>
                <MemberOptions members={lookups.members} value={row.value} />
              </select>
            )}
          </Part>
        );
      case 'team':
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <select {...p} className={select + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })}>
                <option value="">{t('settings.rules.noTeam')}</option>
                <TeamOptions teams={lookups.teams} />
              </select>
            )}
          </Part>
        );
      case 'hours_since_customer_message':
      case 'hours_since_update':
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <span className="flex items-center gap-2">
                <input {...p} type="number" required min={0} max={24 * 365} step={1} inputMode="numeric" className={`${input} max-w-28${invalid(p)}`} value={row.value} onChange={(e) => set({ value: e.target.value })} />
                <span className="text-sm text-ink-2">{t('settings.rules.hours')}</span>
              </span>
            )}
          </Part>
        );
      case 'contact.attribute':
        return (
          <div className="flex min-w-[min(11rem,100%)] flex-1 flex-wrap gap-2">
            <Part label={t('settings.rules.conditionKey', { n })} error={errors.key} className="min-w-[min(8rem,100%)] flex-1">
              {(p) => <input {...p} required maxLength={100} placeholder={t('settings.rules.attributeName')} className={input + invalid(p)} value={row.key} onChange={(e) => set({ key: e.target.value })} />}
            </Part>
            <Part label={valueLabel} error={errors.value} className="min-w-[min(8rem,100%)] flex-1">
              {(p) => <input {...p} maxLength={500} placeholder={t('settings.rules.textValue')} className={input + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })} />}
            </Part>
          </div>
        );
      default:
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => (
              <input
                {...p}
                required
                maxLength={row.field === 'contact.email' ? 320 : row.field === 'tags' ? 50 : 500}
                placeholder={t('settings.rules.textValue')}
                className={input + invalid(p)}
                value={row.value}
                onChange={(e) => set({ value: e.target.value })}
              />
            )}
          </Part>
        );
    }
  })();
  return (
    <li className="border-t border-line py-3 first:border-t-0 first:pt-0">
      <div className="flex flex-wrap items-start gap-2">
        <Part label={t('settings.rules.conditionField', { n })} className="basis-full sm:basis-60">
          {(p) => (
            <select {...p} className={select} value={row.field} onChange={(e) => onChange({ ...newCondition(e.target.value as ConditionRow['field'], defaults), id: row.id })}>
              {CONDITION_FIELDS.map((f) => (
                <option key={f} value={f}>
                  {fieldLabel(f)}
                </option>
              ))}
            </select>
          )}
        </Part>
        <Part label={t('settings.rules.conditionOperator', { n })} className="w-40 max-w-full">
          {(p) => (
            <select {...p} className={select} value={row.operator} onChange={(e) => set({ operator: e.target.value as Operator })}>
              {operatorsOf(row.field).map((o) => (
                <option key={o} value={o}>
                  {operatorLabel(o)}
                </option>
              ))}
            </select>
          )}
        </Part>
        {value}
        <RowButtons kind="condition" index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {errors.row && <p className="mt-1 text-xs text-danger">{errors.row}</p>}
    </li>
  );
}

/** The value control of a custom field action, suited to the field's type. */
function FieldValue({ field, value, set, label, error }: { field: CustomField | undefined; value: string; set: (v: string) => void; label: string; error?: string }) {
  return (
    <Part label={label} error={error} className="min-w-[min(9rem,100%)] flex-1">
      {(p) =>
        field?.type === 'select' || field?.type === 'checkbox' ? (
          <select {...p} className={select + invalid(p)} value={value} onChange={(e) => set(e.target.value)}>
            <option value="">{t('settings.rules.clear')}</option>
            {field.type === 'checkbox' ? (
              <>
                <option value="true">{t('settings.rules.yes')}</option>
                <option value="false">{t('settings.rules.no')}</option>
              </>
            ) : (
              [...new Set([...(field.options ?? []), ...(value ? [value] : [])])].map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))
            )}
          </select>
        ) : (
          <input
            {...p}
            type={field?.type === 'number' ? 'number' : field?.type === 'date' ? 'date' : 'text'}
            step={field?.type === 'number' ? 'any' : undefined}
            maxLength={field?.type === 'text' || !field ? 1000 : undefined}
            placeholder={t('settings.rules.clear')}
            className={input + invalid(p)}
            value={value}
            onChange={(e) => set(e.target.value)}
          />
        )
      }
    </Part>
  );
}

export function ActionEditor({ row, index, count, errors, lookups, defaults, onChange, onMove, onRemove }: RowProps<ActionRow>) {
  const n = index + 1;
  const set = (patch: Partial<ActionRow>) => onChange({ ...row, ...patch });
  const valueLabel = t('settings.rules.actionValue', { n });
  const valueSelect = (options: ReactNode, hint?: string, required = false) => (
    <Part label={valueLabel} error={errors.value} hint={hint} className="min-w-[min(11rem,100%)] flex-1">
      {(p) => (
        <select {...p} required={required} className={select + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })}>
          {options}
        </select>
      )}
    </Part>
  );
  const value = (() => {
    switch (row.type) {
      case 'assign_member':
        return valueSelect(
          <>
            <option value="">{t('settings.rules.unassign')}</option>
            <MemberOptions members={lookups.members} value={row.value} />
          </>,
        );
      case 'assign_team':
        return valueSelect(
          <>
            <option value="">{t('settings.rules.noTeam')}</option>
            <TeamOptions teams={lookups.teams} />
          </>,
        );
      case 'assign_within_team': {
        const team = lookups.teams.find((x) => x.id === row.value);
        return valueSelect(
          <>
            <option value="" disabled>
              {t('settings.rules.chooseTeam')}
            </option>
            <TeamOptions teams={lookups.teams} />
          </>,
          team ? t('settings.rules.withinTeamHint', { team: team.name, mode: modeLabel(team.assignmentMode) }) : undefined,
          true,
        );
      }
      case 'set_priority':
        return valueSelect(
          PRIORITIES.map((v) => (
            <option key={v} value={v}>
              {t(`priority.${v}`)}
            </option>
          )),
        );
      case 'set_status':
        return valueSelect(
          STATUSES.map((v) => (
            <option key={v} value={v}>
              {t(`status.${v}`)}
            </option>
          )),
        );
      case 'reply_template':
        return valueSelect(
          <>
            <option value="" disabled>
              {t('settings.rules.chooseCanned')}
            </option>
            {lookups.canned
              .filter((c) => c.shared || c.id === row.value)
              .map((c) => (
                <option key={c.id} value={c.id}>
                  {c.title}
                </option>
              ))}
          </>,
          lookups.canned.some((c) => c.shared) ? undefined : t('settings.rules.noCanned'),
          true,
        );
      case 'set_custom_field': {
        const known = lookups.fields.some((f) => f.key === row.key);
        return (
          <div className="flex min-w-[min(11rem,100%)] flex-1 flex-wrap gap-2">
            <Part label={t('settings.rules.actionKey', { n })} error={errors.key} hint={lookups.fields.length ? undefined : t('settings.rules.noFields')} className="min-w-[min(9rem,100%)] flex-1">
              {(p) => (
                <select {...p} required className={select + invalid(p)} value={row.key} onChange={(e) => set({ key: e.target.value, value: '' })}>
                  <option value="" disabled>
                    {t('settings.rules.chooseField')}
                  </option>
                  {!known && row.key && <option value={row.key}>{row.key}</option>}
                  {lookups.fields.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.label}
                    </option>
                  ))}
                </select>
              )}
            </Part>
            <FieldValue field={lookups.fields.find((f) => f.key === row.key)} value={row.value} set={(v) => set({ value: v })} label={valueLabel} error={errors.value} />
          </div>
        );
      }
      case 'add_note':
        return (
          <Part label={valueLabel} error={errors.value} className="order-last basis-full">
            {(p) => <textarea {...p} required rows={3} maxLength={10_000} placeholder={t('settings.rules.notePlaceholder')} className={cls.input + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })} />}
          </Part>
        );
      case 'webhook':
        return (
          <Part label={valueLabel} error={errors.value} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => <input {...p} type="url" required maxLength={2000} placeholder="https://" className={input + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })} />}
          </Part>
        );
      default:
        return (
          <Part label={valueLabel} error={errors.value} hint={t('settings.rules.tagsHint')} className="min-w-[min(11rem,100%)] flex-1">
            {(p) => <input {...p} required className={input + invalid(p)} value={row.value} onChange={(e) => set({ value: e.target.value })} />}
          </Part>
        );
    }
  })();
  return (
    <li className="border-t border-line py-3 first:border-t-0 first:pt-0">
      <div className="flex flex-wrap items-start gap-2">
        <Part label={t('settings.rules.actionType', { n })} className="basis-full sm:basis-60">
          {(p) => (
            <select {...p} className={select} value={row.type} onChange={(e) => onChange({ ...newAction(e.target.value as ActionRow['type'], defaults), id: row.id })}>
              {ACTION_TYPES.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          )}
        </Part>
        {value}
        <RowButtons kind="action" index={index} count={count} onMove={onMove} onRemove={onRemove} />
      </div>
      {errors.row && <p className="mt-1 text-xs text-danger">{errors.row}</p>}
    </li>
  );
}
