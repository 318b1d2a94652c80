import * as Dialog from '@radix-ui/react-dialog';
import { Icon } from '../components/Icon';
import { t } from '../i18n';
import { SHORTCUTS } from '../lib/keys';

/** Key combinations are words on some keyboards ("Strg"), so they come from the catalog. */
const keyLabel = (k: string) => (k === 'Ctrl K' ? t('nav.searchKeys') : k === 'Ctrl Enter' ? t('key.ctrlEnter') : k);

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content className="fixed top-[15%] left-1/2 z-50 w-[min(28rem,92vw)] -translate-x-1/2 rounded-xl border border-line bg-raised p-5 shadow-xl">
          <div className="mb-3 flex items-center justify-between">
            <Dialog.Title className="font-semibold">{t('shortcuts.title')}</Dialog.Title>
            <Dialog.Close aria-label={t('shortcuts.close')} title={t('shortcuts.close')} className="rounded p-1 text-ink-3 hover:bg-hover">
              <Icon name="x" size={16} />
            </Dialog.Close>
          </div>
          <Dialog.Description className="sr-only">{t('shortcuts.title')}</Dialog.Description>
          <dl className="grid grid-cols-[1fr_auto] gap-x-6 gap-y-2 text-sm">
            {[...SHORTCUTS, { keys: ['Ctrl Enter'], action: 'send' as const }].map((s) => (
              <div key={s.action} className="contents">
                <dt className="text-ink-2">{t(`key.${s.action === 'assignMe' ? 'assignMe' : s.action}` as 'key.next')}</dt>
                <dd className="flex gap-1 justify-self-end">
                  {s.keys.map((k) => (
                    <kbd key={k} className="min-w-6 rounded border border-line bg-canvas px-1.5 text-center font-mono text-xs">
                      {keyLabel(k)}
                    </kbd>
                  ))}
                </dd>
              </div>
            ))}
          </dl>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
