import '@testing-library/jest-dom/vitest';

// Ant Design asks for media queries; jsdom has none.
if (!window.matchMedia) {
  window.matchMedia = (query: string) => ({
    matches: false, media: query, onchange: null,
    addListener: () => {}, removeListener: () => {}, addEventListener: () => {}, removeEventListener: () => {},
    dispatchEvent: () => false,
  }) as MediaQueryList;
}

// Ant Design measures elements; jsdom has no ResizeObserver.
if (!('ResizeObserver' in window)) {
  class NoResize {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = NoResize;
  (globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver = NoResize;
}
