/** @jsxImportSource preact */
import type { IntakeField } from '../../domains/topics/service.js';
import type { Translate } from '../i18n/index.js';
import { FieldError } from '../layout.js';
import { type SurveyContext, SurveyLayout } from './survey.js';

/**
 * The fields of a topic's intake form as inputs named `<prefix>.<key>`: each with its label,
 * whether it is required, its help text and its error, typed for the phone's keyboard.
 */
export function IntakeInputs({ t, fields, prefix, values, errors }: { t: Translate; fields: IntakeField[]; prefix: string; values: Record<string, string>; errors: Record<string, string> }) {
  return (
    <>
      {fields.map((f) => {
        const name = `${prefix}.${f.key}`;
        const id = name.replaceAll('.', '-');
        const e = errors[name];
        const common = { id, name, 'aria-invalid': e ? ('true' as const) : undefined, 'aria-describedby': `${id}-hint ${id}-error`, required: f.required };
        return (
          <div class="field">
            <label for={id}>
              {f.label} <span class="small">({f.required ? t('intake.required') : t('intake.optional')})</span>
            </label>
            {f.type === 'long_text' ? (
              <textarea {...common} rows={4} maxLength={10_000}>
                {values[name]}
              </textarea>
            ) : f.type === 'select' ? (
              <select {...common}>
                <option value="" />
                {f.options.map((o) => (
                  <option value={o} selected={values[name] === o}>
                    {o}
                  </option>
                ))}
              </select>
            ) : f.type === 'checkbox' ? (
              <select {...common}>
                <option value="" />
                <option value="yes" selected={values[name] === 'yes'}>
                  ✓
                </option>
                <option value="no" selected={values[name] === 'no'}>
                  ✗
                </option>
              </select>
            ) : (
              <input
                {...common}
                type={(f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : f.type === 'email' ? 'email' : 'text') as 'text'}
                step={f.type === 'number' ? 'any' : undefined}
                maxLength={f.type === 'text' ? 10_000 : 320}
                value={values[name]}
              />
            )}
            {f.helpText && (
              <p class="hint" id={`${id}-hint`}>
                {f.helpText}
              </p>
            )}
            <FieldError id={id} error={e} />
          </div>
        );
      })}
    </>
  );
}

export interface IntakeForm {
  token: string;
  about: { subject: string; number: number };
  fields: IntakeField[];
  values: Record<string, string>;
  errors?: Record<string, string>;
}

/** The one-page form an intake link opens: the fields still missing on the conversation, all at once. */
export function IntakePage({ ctx, form }: { ctx: SurveyContext; form: IntakeForm }) {
  const { t } = ctx;
  const errors = form.errors ?? {};
  return (
    <SurveyLayout ctx={ctx} title={t('intake.title')}>
      <h1>{t('intake.title')}</h1>
      <p class="lead">{t('intake.about', form.about)}</p>
      {Object.keys(errors).length > 0 && (
        <p class="form-error" role="alert">
          {t('form.errors')}
        </p>
      )}
      <form method="post" action={`/intake/${form.token}`} class="stack form" novalidate>
        <IntakeInputs t={t} fields={form.fields} prefix="field" values={form.values} errors={errors} />
        <div>
          <button type="submit">{t('intake.send')}</button>
        </div>
      </form>
    </SurveyLayout>
  );
}

/** After the answers are stored, or when nothing is missing any more. */
export function IntakeDonePage({ ctx, saved }: { ctx: SurveyContext; saved: boolean }) {
  const { t } = ctx;
  return (
    <SurveyLayout ctx={ctx} title={t('intake.title')}>
      <h1>{t('intake.title')}</h1>
      <p role="status">{saved ? t('intake.saved') : t('intake.nothing')}</p>
    </SurveyLayout>
  );
}

/** A link that is forged, broken (404) or expired (410). */
export function IntakeInvalidPage({ ctx, expired }: { ctx: SurveyContext; expired: boolean }) {
  const { t } = ctx;
  return (
    <SurveyLayout ctx={ctx} title={t('intake.notFound.title')}>
      <h1>{t('intake.notFound.title')}</h1>
      <p>{expired ? t('intake.expired') : t('intake.notFound')}</p>
    </SurveyLayout>
  );
}
