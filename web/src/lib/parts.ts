// A project's lots, milestones or participants as a paged list that knows when the server does
// not offer the route yet (404/405/501 on a project that exists): the tab then says so.
import { ref, shallowRef } from 'vue';
import { ApiError } from '@/api/errors';
import { createPart, deletePart, listParts, updatePart } from '@/api/projects';

type Part = 'lots' | 'milestones' | 'participants';

export function isUnavailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501);
}

export function usePartList<T extends { id: string; version?: number }>(projectId: string, part: Part) {
  const items = shallowRef<T[]>([]);
  const nextCursor = ref<string | null>(null);
  const loading = ref(false);
  const loaded = ref(false);
  const unavailable = ref(false);
  const error = ref<unknown>(null);

  async function load(more = false): Promise<void> {
    loading.value = true;
    error.value = null;
    try {
      const page = await listParts<T>(projectId, part, more ? nextCursor.value : null);
      items.value = more ? [...items.value, ...page.items] : page.items;
      nextCursor.value = page.next_cursor;
      loaded.value = true;
    } catch (e) {
      if (isUnavailable(e)) unavailable.value = true;
      else error.value = e;
    } finally {
      loading.value = false;
    }
  }

  async function add(body: object): Promise<T> {
    const created = await createPart<T>(projectId, part, body);
    items.value = [...items.value, created];
    return created;
  }

  async function update(item: T, patch: object): Promise<T> {
    const changed = await updatePart<T>(projectId, part, item.id, item.version ?? 1, patch);
    items.value = items.value.map((i) => (i.id === item.id ? changed : i));
    return changed;
  }

  async function remove(item: T): Promise<void> {
    await deletePart(projectId, part, item.id);
    items.value = items.value.filter((i) => i.id !== item.id);
  }

  return { items, nextCursor, loading, loaded, unavailable, error, load, add, update, remove };
}
