import { Route, Routes } from 'react-router';
import { t } from '../i18n';
import { NotFound } from '../screens/NotFound';
import ArticleEditor from './ArticleEditor';
import ArticlesPage from './ArticlesPage';
import CategoriesPage from './CategoriesPage';
import CommunityPage from './CommunityPage';

/** The knowledge base at /app/kb/*: the articles, the editor, the categories and the community's questions. Loaded only when opened. */
export default function KnowledgeBaseRoutes() {
  return (
    <Routes>
      <Route index element={<ArticlesPage />} />
      <Route path="articles/new" element={<ArticleEditor />} />
      <Route path="articles/:id" element={<ArticleEditor />} />
      <Route path="categories" element={<CategoriesPage />} />
      <Route path="community" element={<CommunityPage />} />
      {/* A mistyped address says so rather than landing somewhere else without a word. */}
      <Route path="*" element={<NotFound back="/kb" backLabel={t('notFound.backKb')} />} />
    </Routes>
  );
}
