import * as Dialog from '@radix-ui/react-dialog';
import { type ReactNode, useRef } from 'react';
import { t } from '../i18n';
import { Icon } from './Icon';

/** A centred dialog with a title, a one-line description and a close button: the frame of the app's forms in a dialog. */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  width = 'w-[min(32rem,94vw)]',
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: string;
  width?: string;
  children: ReactNode;
}) {
  const body = useRef<HTMLDivElement>(null);
  // The first field takes the focus, not the close button before it.
  const focusFirstField = (e: Event) => {
    const field = body.current?.querySelector<HTMLElement>('input:not([type=radio]):not([disabled]), select, textarea');
    if (!field) return;
    e.preventDefault();
    field.focus();
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content
          onOpenAutoFocus={focusFirstField}
          className={`fixed top-[8%] left-1/2 z-50 flex max-h-[84vh] -translate-x-1/2 flex-col overflow-hidden rounded-xl border border-line bg-raised shadow-xl ${width}`}
        >
          <div className="flex items-start gap-3 border-b border-line px-5 pt-4 pb-3">
            <div className="min-w-0 flex-1">
              <Dialog.Title className="font-semibold">{title}</Dialog.Title>
              {description ? <Dialog.Description className="mt-0.5 text-[13px] text-ink-2">{description}</Dialog.Description> : <Dialog.Description className="sr-only">{title}</Dialog.Description>}
            </div>
            <Dialog.Close aria-label={t('app.close')} title={t('app.close')} className="rounded p-1 text-ink-3 hover:bg-hover hover:text-ink">
              <Icon name="x" size={16} />
            </Dialog.Close>
          </div>
          <div ref={body} className="min-h-0 overflow-y-auto px-5 py-4">
            {children}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** A labelled form field of the dialogs: the label above, the control, a hint or an error below. */
export function Field({ label, htmlFor, hint, children }: { label: string; htmlFor?: string; hint?: string; children: ReactNode }) {
  return (
    <div className="grid gap-1">
      <label htmlFor={htmlFor} className="text-[13px] font-medium text-ink-2">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-ink-3">{hint}</p>}
    </div>
  );
}

export const inputCls = 'h-9 w-full rounded-md border border-line bg-canvas px-2.5 text-[14px] text-ink outline-none focus:border-accent';
