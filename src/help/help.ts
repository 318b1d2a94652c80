import './help.css';
import { keepDraft } from './form-draft';
import { focusableScrollRegions } from './scroll-regions';
import { searchCombobox } from './search-combobox';
import { suggestBlock } from './suggest-block';
import { autoSubmitSurvey } from './survey';
import { topicFields } from './topic-fields';

// The help center's islands: each starts only where its form is, and every page works
// without them (the forms post, the search page searches).
function start() {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-suggest]')) searchCombobox(form);
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-deflect]')) {
    // The draft first: a restored subject brings its suggestions back too.
    keepDraft(form);
    topicFields(form);
    suggestBlock(form, 'subject', form.dataset.deflect, 'suggestionUrl');
  }
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-similar]')) suggestBlock(form, 'title', form.dataset.similar, 'url');
  for (const form of document.querySelectorAll<HTMLFormElement>('form.survey-form')) autoSubmitSurvey(form);
  focusableScrollRegions();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
