import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import TabList from '@/components/TabList.vue';
import { makeI18n } from '@/i18n';

const tabs = ['characters', 'scenes', 'storyboard'] as const;

function mountTabs(selected: string) {
  return mount(TabList, {
    props: { tabs, label: 'Résultats', prefix: 'books.tabs', modelValue: selected, 'onUpdate:modelValue': () => {} },
    global: { plugins: [makeI18n('en')] },
    attachTo: document.body,
  });
}

describe('TabList', () => {
  it('marks the selected tab, which alone is in the tab order', () => {
    const wrapper = mountTabs('scenes');
    const buttons = wrapper.findAll('[role="tab"]');
    expect(buttons).toHaveLength(3);
    expect(buttons.map((b) => b.attributes('aria-selected'))).toEqual(['false', 'true', 'false']);
    expect(buttons.map((b) => b.attributes('tabindex'))).toEqual(['-1', '0', '-1']);
    expect(buttons[1]!.attributes('aria-controls')).toBe('panel-scenes');
    expect(wrapper.get('[role="tablist"]').attributes('aria-label')).toBe('Résultats');
    expect(buttons.map((b) => b.text())).toEqual(['Characters', 'Scenes', 'Storyboard']);
    wrapper.unmount();
  });

  it('moves with the arrows, wraps around, and jumps with Home and End', async () => {
    const wrapper = mountTabs('characters');
    const press = async (key: string, index: number) => {
      await wrapper.findAll('[role="tab"]')[index]!.trigger('keydown', { key });
      const emitted = wrapper.emitted('update:modelValue') ?? [];
      return emitted[emitted.length - 1]?.[0];
    };
    expect(await press('ArrowRight', 0)).toBe('scenes');
    expect(await press('ArrowLeft', 0)).toBe('storyboard');
    expect(await press('End', 0)).toBe('storyboard');
    expect(await press('Home', 2)).toBe('characters');
    const before = (wrapper.emitted('update:modelValue') ?? []).length;
    await press('a', 0);
    expect((wrapper.emitted('update:modelValue') ?? []).length).toBe(before);
    wrapper.unmount();
  });

  it('selects a tab on click', async () => {
    const wrapper = mountTabs('characters');
    await wrapper.findAll('[role="tab"]')[2]!.trigger('click');
    expect(wrapper.emitted('update:modelValue')?.[0]).toEqual(['storyboard']);
    wrapper.unmount();
  });
});
