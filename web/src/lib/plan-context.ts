// What the planning pages need to know about their project: the project itself (its name, and
// whether it may be changed), its lots (to name a task's lot) and the organisation's members (to
// name assignees). Lots and members are optional: a server without them leaves the lists empty.
import { computed, ref, shallowRef } from 'vue';
import { listMembers } from '@/api/identity';
import { getProject, listParts } from '@/api/projects';
import type { Lot, Member, Project } from '@/api/types';
import { useAuthStore } from '@/stores/auth';

export function usePlanContext(projectId: () => string) {
  const auth = useAuthStore();
  const project = shallowRef<Project | null>(null);
  const lots = shallowRef<Lot[]>([]);
  const members = shallowRef<Member[]>([]);
  const error = ref<unknown>(null);

  const canWrite = computed(() => auth.canWrite && project.value !== null && project.value.archived_at === null);
  const lotById = computed(() => new Map(lots.value.map((l) => [l.id, l])));
  const memberById = computed(() => new Map(members.value.map((m) => [m.user_id, m])));

  async function load(): Promise<void> {
    error.value = null;
    try {
      project.value = await getProject(projectId());
    } catch (e) {
      error.value = e;
      return;
    }
    const [l, m] = await Promise.all([
      listParts<Lot>(projectId(), 'lots').then((p) => p.items).catch(() => []),
      auth.orgId ? listMembers(auth.orgId).then((p) => p.items).catch(() => []) : Promise.resolve([]),
    ]);
    lots.value = l;
    members.value = m;
  }

  return { project, lots, members, error, canWrite, lotById, memberById, load };
}
