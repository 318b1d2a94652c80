// Placeholder owned by W3: replace this file's content with the settings pages.
// The agent app loads it lazily at /app/settings/* (src/web/App.tsx); keep the default export.
import { t } from '../i18n';

export default function SettingsRoutes() {
  return (
    <div className="p-8">
      <h1 className="text-lg font-semibold">{t('nav.settings')}</h1>
      <p className="mt-2 text-ink-2">{t('settings.placeholder')}</p>
    </div>
  );
}
