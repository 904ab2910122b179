import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ProjectForm from '@/components/ProjectForm.vue';
import { makeI18n } from '@/i18n';
import type { NewProject, Project } from '@/api/types';

function mountForm(props: Partial<{ project: Project; errors: Record<string, string> }> = {}) {
  return mount(ProjectForm, {
    props: { errors: {}, busy: false, submitLabel: 'Créer le projet', ...props },
    global: { plugins: [makeI18n('fr')] },
    attachTo: document.body,
  });
}

describe('ProjectForm', () => {
  it('sends the budget typed in euros as integer cents', async () => {
    const w = mountForm();
    await w.find('#project-code').setValue('res-tilleuls');
    await w.find('#project-name').setValue(' Résidence Les Tilleuls ');
    await w.find('#project-start').setValue('2026-09-01');
    await w.find('#project-budget').setValue('1 234,56');
    await w.find('form').trigger('submit');
    const sent = w.emitted('submit')?.[0]?.[0] as NewProject;
    expect(sent).toEqual({
      code: 'RES-TILLEULS',
      name: 'Résidence Les Tilleuls',
      client: undefined,
      address: undefined,
      start_date: '2026-09-01',
      end_date: undefined,
      budget_minor: 123456,
      currency: 'EUR',
    });
    expect(JSON.stringify(sent)).toContain('"budget_minor":123456');
    w.unmount();
  });

  it('refuses three decimals next to the field, with the input marked invalid', async () => {
    const w = mountForm();
    await w.find('#project-budget').setValue('12,345');
    await w.find('form').trigger('submit');
    expect(w.emitted('submit')).toBeUndefined();
    const input = w.find('#project-budget');
    expect(input.attributes('aria-invalid')).toBe('true');
    expect(input.attributes('aria-describedby')).toContain('project-budget-error');
    expect(w.find('#project-budget-error').text()).toBe('Deux décimales au plus.');
    w.unmount();
  });

  it('shows the server field errors next to their fields', () => {
    const w = mountForm({ errors: { code: 'This code is taken.' } });
    expect(w.find('#project-code-error').text()).toBe('This code is taken.');
    expect(w.find('#project-code').attributes('aria-invalid')).toBe('true');
    expect(w.find('#project-name').attributes('aria-invalid')).toBeUndefined();
    w.unmount();
  });

  it('clears emptied optional fields with null when editing (merge patch)', async () => {
    const project: Project = {
      id: 'p1', org_id: 'o1', code: 'A', name: 'A', address: '1 rue', client: 'SCI', start_date: '2026-01-01',
      end_date: '2026-12-31', budget_minor: 500, currency: 'EUR', status: 'draft', version: 2,
      created_at: '', updated_at: '', archived_at: null,
    };
    const w = mountForm({ project });
    expect((w.find('#project-budget').element as HTMLInputElement).value).toBe('5,00');
    await w.find('#project-client').setValue('');
    await w.find('#project-end').setValue('');
    await w.find('#project-budget').setValue('');
    await w.find('form').trigger('submit');
    const sent = w.emitted('submit')?.[0]?.[0] as NewProject;
    expect(sent).toMatchObject({ client: null, end_date: null, budget_minor: null, address: '1 rue' });
    expect(sent).not.toHaveProperty('currency');
    w.unmount();
  });
});
