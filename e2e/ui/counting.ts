// The operator's actions, counted: every click, key press and field filled
// in a test goes through `act`, which counts it. The page the test holds is
// read-only: its locators' and keyboard's action methods throw, so a test
// cannot act without being counted.
import type { Locator, Page } from 'playwright-core';

const ACTIONS = new Set([
  'click',
  'dblclick',
  'tap',
  'fill',
  'clear',
  'press',
  'pressSequentially',
  'type',
  'check',
  'uncheck',
  'setChecked',
  'selectOption',
  'selectText',
  'setInputFiles',
  'dragTo',
  'dispatchEvent',
  'focus',
  'down',
  'up',
  'insertText',
  'move',
  'wheel',
  'goto',
  'evaluate',
]);

const raw = new WeakMap<object, object>();

function readOnly<T extends object>(target: T): T {
  const proxy = new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'string' && ACTIONS.has(prop)) {
        return () => {
          throw new Error(`"${prop}" is an operator action: make it through act (counted)`);
        };
      }
      const value = Reflect.get(t, prop, receiver);
      if (prop === 'keyboard' || prop === 'mouse' || prop === 'touchscreen') return readOnly(value as object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const r = (value as (...a: unknown[]) => unknown).apply(
          t,
          args.map((a) => (a && typeof a === 'object' && raw.has(a) ? raw.get(a) : a)),
        );
        // Locators (sync) are wrapped too; promises and plain values pass through.
        return r && typeof r === 'object' && !(r instanceof Promise) && 'getByRole' in r ? readOnly(r as object) : r;
      };
    },
  });
  raw.set(proxy, target);
  return proxy;
}

export interface Counter {
  /** The page to read from: every action on it throws. */
  page: Page;
  click(l: Locator, why?: string): Promise<void>;
  press(key: string, why?: string): Promise<void>;
  fill(l: Locator, text: string, why?: string): Promise<void>;
  count(): number;
  /** Each action in order, as "click: Start the Thursday batch". */
  log(): string[];
  /** The console opened again in a new window: the count goes on there. */
  switchPage(page: Page): void;
  /** A mark in the log (a session starts), to print the count per session. */
  mark(label: string): void;
  marks(): { label: string; at: number; time: number }[];
}

export function countActions(first: Page): Counter {
  let page = first;
  const actions: string[] = [];
  const marks: { label: string; at: number; time: number }[] = [];
  const unwrap = (l: Locator) => (raw.get(l) ?? l) as Locator;
  const counter: Counter = {
    page: readOnly(page),
    switchPage(next) {
      page = next;
      counter.page = readOnly(next);
    },
    async click(l, why) {
      actions.push(`click: ${why ?? (await unwrap(l).textContent())?.trim().slice(0, 60)}`);
      await unwrap(l).click();
    },
    async press(key, why) {
      actions.push(`key ${key}${why ? `: ${why}` : ''}`);
      await page.keyboard.press(key);
    },
    async fill(l, text, why) {
      actions.push(`fill: ${why ?? text.slice(0, 40)}`);
      await unwrap(l).fill(text);
    },
    count: () => actions.length,
    log: () => [...actions],
    mark(label) {
      marks.push({ label, at: actions.length, time: Date.now() });
    },
    marks: () => [...marks],
  };
  return counter;
}
