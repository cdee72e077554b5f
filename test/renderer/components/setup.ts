import { cleanup } from '@testing-library/svelte';
import { afterEach } from 'vitest';

// jsdom has no layout: scrolling is a no-op here.
Element.prototype.scrollIntoView = function scrollIntoView() {};
afterEach(() => cleanup());
