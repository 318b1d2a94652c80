import { z } from 'zod';

export const CustomFieldEntitySchema = z.enum(['conversation', 'contact']);
/** `select` is a choice among options; `order_number` is a reference a customer copies from their order (letters, digits, - / # .). */
export const CustomFieldTypeSchema = z.enum(['text', 'long_text', 'number', 'date', 'email', 'order_number', 'select', 'checkbox']);
const helpText = z.string().trim().max(300).describe('What a customer reads under the field when a topic asks for it.');

const option = z.string().trim().min(1).max(100);
const options = z
  .array(option)
  .max(100)
  .refine((o) => new Set(o).size === o.length, 'must not repeat an option');

/** A new custom field; a `select` needs its options, other types take none. */
export const CustomFieldCreateSchema = z
  .object({
    entity: CustomFieldEntitySchema,
    key: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and _, starting with a letter'),
    label: z.string().trim().min(1).max(100),
    type: CustomFieldTypeSchema,
    options: options.optional(),
    required: z.boolean().default(false),
    helpText: helpText.optional(),
  })
  .refine((f) => f.type !== 'select' || (f.options?.length ?? 0) > 0, { message: 'a select field needs at least one option', path: ['options'] })
  .refine((f) => f.type === 'select' || !f.options?.length, { message: 'only a select field has options', path: ['options'] });
export type CustomFieldCreate = z.infer<typeof CustomFieldCreateSchema>;

/** A change to a custom field: its label, options (select) and whether it is required. Key, entity and type stay. */
export const CustomFieldUpdateSchema = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  options: options.optional(),
  required: z.boolean().optional(),
  helpText: helpText.optional(),
});
export type CustomFieldUpdate = z.infer<typeof CustomFieldUpdateSchema>;

export const CustomFieldListQuerySchema = z.object({ entity: CustomFieldEntitySchema.optional() });
