/**
 * The widget's stylesheet, inside its shadow root: nothing here reaches the host page, and
 * `:host { all: initial }` keeps the page's inherited styles out.
 */
export const styles = `
:host { all: initial; }
.heard {
  --bg: #ffffff; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --soft: #f3f4f6; --agent-bg: #f3f4f6; --error: #b91c1c;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); -webkit-font-smoothing: antialiased;
}
@media (prefers-color-scheme: dark) {
  .heard { --bg: #111827; --fg: #f3f4f6; --muted: #9ca3af; --line: #374151; --soft: #1f2937; --agent-bg: #1f2937; --error: #fca5a5; }
}
.heard *, .heard *::before, .heard *::after { box-sizing: border-box; }
:where(.heard button, .heard input, .heard textarea, .heard select) { font: inherit; color: inherit; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 60px; height: 60px; border-radius: 50%; border: 0;
  background: var(--accent); color: var(--on-accent); cursor: pointer; display: grid; place-items: center;
  box-shadow: 0 6px 20px rgba(0,0,0,.22); transition: transform .15s ease;
}
.launcher:hover { transform: scale(1.05); }
.launcher:focus-visible, .heard button:focus-visible, .heard input:focus-visible, .heard textarea:focus-visible, .heard select:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.launcher:focus-visible { outline-color: var(--fg); }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; border-radius: 11px;
  background: #dc2626; color: #fff; font-size: 12px; font-weight: 700; line-height: 22px; text-align: center; border: 2px solid #fff;
}
.panel {
  position: fixed; right: 20px; bottom: 92px; z-index: 2147483000; width: 380px; height: min(640px, calc(100vh - 112px));
  display: flex; flex-direction: column; background: var(--bg); border-radius: 16px; overflow: hidden;
  box-shadow: 0 12px 48px rgba(0,0,0,.28); border: 1px solid var(--line); outline: none;
}
@media (max-width: 480px) {
  .panel { inset: 0; width: auto; height: auto; border-radius: 0; border: 0; }
  .launcher.is-open { display: none; }
}
.head { display: flex; align-items: flex-start; gap: 8px; padding: 16px 12px 14px 18px; background: var(--accent); color: var(--on-accent); }
.head-text { flex: 1; min-width: 0; }
.head h2 { margin: 0; font-size: 17px; font-weight: 700; line-height: 1.3; }
.head p { margin: 2px 0 0; font-size: 13px; opacity: .92; }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: #9ca3af; margin-right: 6px; vertical-align: 1px; box-shadow: 0 0 0 2px rgba(255,255,255,.5); }
.dot.on { background: #22c55e; }
.icon-btn { border: 0; background: transparent; color: inherit; width: 36px; height: 36px; border-radius: 8px; cursor: pointer; display: grid; place-items: center; flex: none; }
.icon-btn:hover { background: rgba(255,255,255,.18); }
.head .icon-btn:focus-visible { outline-color: var(--on-accent); }
.bar { display: flex; justify-content: space-between; gap: 8px; padding: 6px 12px; border-bottom: 1px solid var(--line); background: var(--bg); }
.link { border: 0; background: transparent; color: var(--fg); font-size: 13px; font-weight: 600; padding: 6px 8px; border-radius: 6px; cursor: pointer; white-space: nowrap; }
.link:hover:not(:disabled) { background: var(--soft); }
.link:disabled { opacity: .45; cursor: default; }
.list { flex: 1; overflow-y: auto; padding: 16px 14px 8px; overscroll-behavior: contain; }
.items { margin: 0; padding: 0; list-style: none; display: flex; flex-direction: column; gap: 10px; }
.msg { display: flex; flex-direction: column; max-width: 82%; }
.msg.agent { align-self: flex-start; align-items: flex-start; }
.msg.mine { align-self: flex-end; align-items: flex-end; }
.bubble { padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.agent .bubble { background: var(--agent-bg); color: var(--fg); border-bottom-left-radius: 4px; }
.msg.mine .bubble { background: var(--accent); color: var(--on-accent); border-bottom-right-radius: 4px; }
.survey-card p { margin: 0; }
.survey-links { display: flex; gap: 6px; margin: 8px 0; }
.survey-link { flex: 1; padding: 7px 4px; border-radius: 10px; border: 1px solid var(--line); background: var(--bg); color: var(--fg); font-weight: 600; text-align: center; text-decoration: none; }
.survey-link:hover { border-color: var(--accent); }
.survey-link:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.msg.pending .bubble { opacity: .65; }
.msg.failed .bubble { outline: 2px solid var(--error); }
.author { font-size: 12px; color: var(--muted); margin: 0 0 2px 4px; font-weight: 600; }
.meta { font-size: 11px; color: var(--muted); margin: 3px 4px 0; }
.msg.failed .meta { color: var(--error); }
.offline { align-self: stretch; background: var(--soft); border: 1px solid var(--line); border-radius: 12px; padding: 12px; font-size: 14px; }
.offline p { margin: 0 0 8px; }
.offline .saved { margin: 0; font-weight: 600; }
.typing { min-height: 22px; padding: 0 16px; font-size: 12px; color: var(--muted); }
.dots { display: inline-flex; gap: 3px; margin-right: 6px; vertical-align: middle; }
.dots i { width: 5px; height: 5px; border-radius: 50%; background: var(--muted); animation: blink 1.2s infinite both; }
.dots i:nth-child(2) { animation-delay: .2s; } .dots i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .dots i { animation: none; } .launcher { transition: none; } }
.composer { border-top: 1px solid var(--line); padding: 10px 12px 12px; background: var(--bg); }
.composer-row { display: flex; gap: 8px; align-items: flex-end; }
.composer textarea, .heard input {
  flex: 1; min-width: 0; resize: none; max-height: 120px; border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px;
  background: var(--bg); color: var(--fg); line-height: 1.4;
}
.composer textarea { field-sizing: content; min-height: 42px; }
.send { flex: none; width: 42px; height: 42px; border-radius: 50%; border: 0; background: var(--accent); color: var(--on-accent); display: grid; place-items: center; cursor: pointer; }
.send:disabled { opacity: .4; cursor: default; }
.conn { margin: 0 0 8px; font-size: 12px; color: var(--muted); }
.composer .error { margin: 0 0 8px; }
.attach { flex: none; width: 36px; height: 42px; border: 0; background: transparent; color: var(--muted); border-radius: 8px; display: grid; place-items: center; cursor: pointer; }
.attach:hover:not(:disabled) { color: var(--fg); background: var(--soft); }
.attach:disabled { opacity: .4; cursor: default; }
.files { list-style: none; margin: 0 0 8px; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; }
.files li { display: flex; align-items: center; gap: 4px; max-width: 100%; padding: 3px 4px 3px 10px; border: 1px solid var(--line); border-radius: 999px; background: var(--soft); font-size: 12px; }
.files .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 200px; }
.files .remove { border: 0; background: transparent; color: var(--muted); width: 22px; height: 22px; border-radius: 50%; cursor: pointer; font-size: 16px; line-height: 1; }
.files .remove:hover { background: var(--line); color: var(--fg); }
.files-in { list-style: none; margin: 4px 0 0; padding: 0; display: flex; flex-direction: column; gap: 4px; }
.msg.mine .files-in { align-items: flex-end; }
.files-in .image img { display: block; max-width: 220px; max-height: 180px; border-radius: 12px; border: 1px solid var(--line); }
.files-in .file { display: inline-flex; align-items: center; gap: 6px; padding: 7px 11px; border: 1px solid var(--line); border-radius: 12px; color: var(--fg); background: var(--bg); text-decoration: none; font-size: 14px; overflow-wrap: anywhere; }
.files-in a.file:hover { background: var(--soft); }
.files-in .size { color: var(--muted); font-size: 12px; }
.prechat { border-top: 1px solid var(--line); padding: 12px 14px 14px; display: flex; flex-direction: column; gap: 10px; }
.prechat-intro { margin: 0; font-weight: 600; }
.field { display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
.field em { color: var(--muted); font-style: normal; }
.prechat select, .prechat textarea { border: 1px solid var(--line); border-radius: 12px; padding: 9px 12px; background: var(--bg); color: var(--fg); line-height: 1.4; min-width: 0; }
.prechat textarea { resize: vertical; }
.field .help { color: var(--muted); font-size: 12px; }
.prechat { max-height: 60%; overflow-y: auto; flex: none; }
.primary { border: 0; border-radius: 10px; padding: 10px 14px; background: var(--accent); color: var(--on-accent); font-weight: 600; cursor: pointer; }
.primary.small { padding: 9px 12px; }
.primary:disabled { opacity: .6; }
.error { margin: 0; color: var(--error); font-size: 13px; }
.notice { margin: 0; padding: 14px 16px; border-top: 1px solid var(--line); background: var(--soft); font-size: 14px; }
.history { flex: 1; overflow-y: auto; padding: 14px; }
.history h3 { margin: 0 0 10px; font-size: 14px; }
.history ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }
.conv { width: 100%; text-align: left; border: 1px solid var(--line); background: var(--bg); border-radius: 10px; padding: 10px 12px; cursor: pointer; display: flex; flex-direction: column; gap: 2px; }
.conv:hover { background: var(--soft); }
.conv.current { border-color: var(--accent); }
.conv-title { font-weight: 600; }
.conv-meta, .muted { font-size: 12px; color: var(--muted); }
`;
