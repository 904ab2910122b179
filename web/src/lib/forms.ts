// What every form does with a submission: one request at a time, the error kept to show next to
// the fields (per-field problem+json `errors`) or in an alert, plus checks made here first.
import { computed, reactive, ref } from 'vue';
import { ApiError } from '@/api/errors';

export function useSubmit() {
  const error = ref<unknown>(null);
  const busy = ref(false);
  /** Messages found here before sending (an unreadable amount, two different passwords...). */
  const local = reactive<Record<string, string>>({});

  const fieldErrors = computed<Record<string, string>>(() => ({
    ...(error.value instanceof ApiError ? error.value.fieldErrors : {}),
    ...local,
  }));

  function clear(): void {
    error.value = null;
    for (const k of Object.keys(local)) delete local[k];
  }

  /** Runs `fn` unless local checks failed; resolves to its result, or undefined on failure. */
  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (busy.value) return undefined;
    error.value = null;
    if (Object.keys(local).length > 0) return undefined;
    busy.value = true;
    try {
      return await fn();
    } catch (e) {
      error.value = e;
      return undefined;
    } finally {
      busy.value = false;
    }
  }

  return { error, busy, local, fieldErrors, clear, run };
}

/** Attributes tying an input to its label's hint and error, for assistive technologies. */
export function fieldAttrs(id: string, error?: string | null, hint?: string | null) {
  const describedby = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedby || undefined,
  };
}
