import type { Topic } from '../lib/help-center';
import { slugify, uniqueId } from '../lib/slug';

/**
 * The contact form's topics as an admin edits them. A topic's id is made from its name and is
 * unique in the list; once saved it stays when the topic is renamed, since conversations
 * already carry it.
 */

const MAX_ID = 60;

/** The id a topic of this name gets, among the ids already taken. */
export function topicId(name: string, taken: Iterable<string>): string {
  return uniqueId(slugify(name, MAX_ID) || 'topic', taken, MAX_ID);
}

/** Adds a topic at the end; an empty name adds nothing. */
export function addTopic(topics: Topic[], name: string): Topic[] {
  const clean = name.trim();
  if (!clean) return topics;
  return [...topics, { id: topicId(clean, topics.map((t) => t.id)), name: clean }];
}

/** Renames a topic; one not saved yet (not in `saved`) also gets a new id from its new name. */
export function renameTopic(topics: Topic[], index: number, name: string, saved: ReadonlySet<string>): Topic[] {
  return topics.map((topic, i) => {
    if (i !== index) return topic;
    if (saved.has(topic.id)) return { ...topic, name };
    const others = topics.filter((_, k) => k !== i).map((t) => t.id);
    return { id: topicId(name, others), name };
  });
}

export function removeTopic(topics: Topic[], index: number): Topic[] {
  return topics.filter((_, i) => i !== index);
}
