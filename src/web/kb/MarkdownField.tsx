import { useQuery } from '@tanstack/react-query';
import { type ClipboardEvent, type DragEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Icon } from '../components/Icon';
import { t, tn } from '../i18n';
import { cleanHtml } from '../lib/sanitize';
import { errorText } from '../settings/ui';
import { previewHtml, uploadImage } from './data';
import { imageProblem, insertBlock, removePlaceholder, replacePlaceholder, uploadPlaceholder } from './markdown-insert';
import { panelProps, Tabs, useTabsId } from './ui';
import './article-preview.css';

type SetText = (update: string | ((previous: string) => string)) => void;

const imagesOf = (list: FileList | null | undefined) => [...(list ?? [])].filter((f) => f.type.startsWith('image/') || f.type === '');

/** The preview: the server renders the Markdown as readers will see it, and the browser cleans the HTML again before showing it. */
function Preview({ body }: { body: string }) {
  const empty = body.trim() === '';
  const q = useQuery({ queryKey: ['kb', 'preview', body], queryFn: ({ signal }) => previewHtml(body, signal), enabled: !empty, staleTime: Infinity, gcTime: 60_000 });
  if (empty) return <p className="text-sm text-ink-3">{t('kb.editor.previewEmpty')}</p>;
  if (q.error) return <p role="alert" className="text-sm text-danger">{t('kb.editor.previewFailed', { reason: errorText(q.error) })}</p>;
  if (!q.data)
    return (
      <p role="status" className="text-sm text-ink-3">
        {t('kb.editor.previewLoading')}
      </p>
    );
  return <div className="kb-prose" dangerouslySetInnerHTML={{ __html: cleanHtml(q.data) }} />;
}

/**
 * The article's Markdown: a monospace text area with Write and Preview tabs. Images come in by
 * the button, by pasting or by dropping: each stands as "Uploading…" at the cursor until
 * POST /kb/images answers, then as the Markdown it returned.
 */
export function MarkdownField({ value, setValue, disabled, error, onBusyChange }: { value: string; setValue: SetText; disabled?: boolean; error?: string; onBusyChange?: (busy: boolean) => void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const [uploading, setUploading] = useState(0);
  const [problems, setProblems] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const caret = useRef<number | null>(null);
  const serial = useRef(0);
  const tabs = useTabsId();
  const ids = { hint: `${tabs}-hint`, error: `${tabs}-error`, area: `${tabs}-area` };

  useLayoutEffect(() => {
    if (caret.current === null || !area.current) return;
    area.current.focus();
    area.current.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  });

  const busy = (delta: number) => setUploading((n) => n + delta);
  useEffect(() => onBusyChange?.(uploading > 0), [uploading > 0]);

  function insertImages(files: File[]) {
    if (!files.length || disabled) return;
    const refused: string[] = [];
    const accepted: File[] = [];
    for (const file of files) {
      const problem = imageProblem(file);
      const name = file.name || 'image';
      if (problem === 'type') refused.push(t('kb.editor.imageType', { name }));
      else if (problem === 'size') refused.push(t('kb.editor.imageSize', { name }));
      else accepted.push(file);
    }
    setProblems(refused);
    if (!accepted.length) return;
    const el = area.current;
    const selection = el && tab === 'write' ? { start: el.selectionStart, end: el.selectionEnd } : { start: value.length, end: value.length };
    const placeholders = accepted.map((f) => uploadPlaceholder(f.name || 'image', ++serial.current));
    const edit = insertBlock(value, selection, placeholders.join('\n\n'));
    setValue(edit.text);
    setTab('write');
    caret.current = edit.caret;
    busy(accepted.length);
    accepted.forEach((file, i) => {
      uploadImage(file)
        .then(
          (image) => setValue((text) => replacePlaceholder(text, placeholders[i], image.markdown)),
          (e: unknown) => {
            setValue((text) => removePlaceholder(text, placeholders[i]));
            setProblems((p) => [...p, t('kb.editor.imageFailed', { name: file.name || 'image', reason: errorText(e) })]);
          },
        )
        .finally(() => busy(-1));
    });
  }

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = imagesOf(e.clipboardData.files);
    if (!files.length) return;
    e.preventDefault();
    insertImages(files);
  };
  const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
  const onDrop = (e: DragEvent<HTMLTextAreaElement>) => {
    setDragging(false);
    if (!hasFiles(e)) return;
    e.preventDefault();
    insertImages([...e.dataTransfer.files]);
  };

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2 rounded-t-lg border border-b-0 border-line bg-surface px-2 py-1.5">
        <Tabs
          idBase={tabs}
          label={t('kb.editor.tabs')}
          value={tab}
          onChange={setTab}
          options={[
            { value: 'write', label: t('kb.editor.write') },
            { value: 'preview', label: t('kb.editor.preview') },
          ]}
        />
        <span className="flex-1" />
        {uploading > 0 && (
          <span role="status" className="text-xs text-ink-2">
            {tn('kb.editor.uploading', uploading)}
          </span>
        )}
        <input
          ref={picker}
          type="file"
          multiple
          accept="image/png,image/jpeg,image/webp,image/gif"
          aria-label={t('kb.editor.chooseImage')}
          className="hidden"
          disabled={disabled}
          onChange={(e) => {
            insertImages(imagesOf(e.target.files));
            e.target.value = '';
          }}
        />
        <button
          type="button"
          disabled={disabled}
          onClick={() => picker.current?.click()}
          className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm text-ink-2 hover:bg-hover hover:text-ink disabled:opacity-50"
        >
          <Icon name="image" size={15} />
          {t('kb.editor.image')}
        </button>
      </div>
      <div {...panelProps(tabs, tab)} className="rounded-b-lg border border-line bg-canvas">
        <label htmlFor={ids.area} className="sr-only">
          {t('kb.editor.body')}
        </label>
        <textarea
          ref={area}
          id={ids.area}
          hidden={tab !== 'write'}
          value={value}
          disabled={disabled}
          spellCheck
          aria-invalid={error ? true : undefined}
          aria-describedby={[ids.hint, error && ids.error].filter(Boolean).join(' ')}
          onChange={(e) => setValue(e.target.value)}
          onPaste={onPaste}
          onDragOver={(e) => {
            if (!hasFiles(e)) return;
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          className={`block min-h-[26rem] w-full resize-y rounded-b-lg bg-transparent px-4 py-3 font-mono text-[13px] leading-6 text-ink outline-none focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent ${dragging ? 'bg-accent-soft' : ''}`}
        />
        {tab === 'preview' && (
          <div className="min-h-[26rem] px-5 py-4">
            <Preview body={value} />
          </div>
        )}
      </div>
      <p id={ids.hint} className="mt-1 text-xs text-ink-3">
        {t('kb.editor.markdownHint')}
      </p>
      {error && (
        <p id={ids.error} className="mt-1 text-xs text-danger">
          {error}
        </p>
      )}
      {problems.length > 0 && (
        <div role="alert" className="mt-2 rounded-md bg-danger-soft px-3 py-2 text-sm text-danger">
          {problems.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      )}
    </div>
  );
}
